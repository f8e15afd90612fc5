import Events
import Foundation

/// The generator-level preselection: cheap tests, before the detector, that reject attempts which
/// cannot plausibly pass the baseline selection (met > 200). Rejected attempts are counted in
/// `n_generated` like the lost-lepton vetoes, so σ_gen · kept / n_generated stays the cross
/// section of what was kept. Two stages: the first on the hard process, before fragmentation
/// (under 1 µs an attempt); the second, `ParticlePreselection`, on the visible particles of the
/// fragmented hard process, before the soft particles and the detector (a few µs an attempt,
/// against ≈ 150 µs for the detector). The topology and alignment parts are looser than the
/// reconstructed cuts they anticipate; the floor is a bias towards the selected phase space. What
/// they lose of the selected sample is measured by `vbfgrid bench fastsim --preselection-loss`
/// (docs/physics.md). The hard-process stage has three parts:
///
/// - **invisible p_T floor**: the transverse momentum that reaches no calorimeter (the invisible
///   system; for W the neutrino, a muon and the invisible part of a τ), plus the p_T of partons
///   beyond |η| = `escapeEta`, must reach `minInvisiblePt`. For H and Z → νν this raises the
///   generation threshold; for W it also removes decays whose lepton took most of the p_T.
///   The particle-level stage applies the same floor to its MET.
/// - **jet topology**: some pair of hard objects that can make a jet (tagging partons, radiated
///   partons, hadronic τ, electrons) and can be the two leading jets must lie in opposite
///   hemispheres, with |Δφ| < `maxDeltaPhi` and |Δη| > `minDeltaEta`; the hemisphere test allows
///   objects up to `hemisphereMargin` on the wrong side. The selection asks the same of the two
///   leading jets with |Δφ| < 1.5, |Δη| > 1 and no margin. An object cannot be one of the two
///   leading jets when two others each have p_T > `dominance` × (the p_T of all objects within
///   ΔR < `mergeRadius` of it, itself included) + `dominanceOffset`.
/// - **MET alignment**: an object of p_T ≥ `alignedJetPt` and |η| < `alignedJetEta` that is
///   surely among the four leading jets (fewer than four others dominate it) must not lie within
///   Δφ < `maxAlignment` of the invisible p_T (the selection asks Δφ > 0.5 of the leading four
///   jets); skipped when partons escape beyond `escapeEta`, which turns the MET.
public struct Preselection: Sendable, Equatable {
    /// Invisible p_T floor (GeV) and the |η| beyond which partons count as escaping.
    public var minInvisiblePt = 160.0
    public var escapeEta = 4.5
    /// Jet topology margins.
    public var hemisphereMargin = 0.4
    public var maxDeltaPhi = 2.0
    public var minDeltaEta = 0.5
    /// Which objects can be leading jets.
    public var mergeRadius = 1.0
    public var dominance = 3.0
    public var dominanceOffset = 30.0
    /// MET alignment.
    public var alignedJetPt = 50.0
    public var alignedJetEta = 4.2
    public var maxAlignment = 0.2
    /// The second stage, on the particles of the fragmented hard process.
    public var particles = ParticlePreselection()

    public init() {}

    /// What the two stages say of an attempt. Without `FastSim.applyPreselection` both are
    /// evaluated; with it, a kept event passes both.
    public struct Verdict: Sendable, Equatable {
        public var hardProcess: Bool
        public var particles: Bool
        public var passes: Bool { hardProcess && particles }
        public init(hardProcess: Bool, particles: Bool) {
            self.hardProcess = hardProcess
            self.particles = particles
        }
    }

    /// True if the hard process passes the three parts of the first stage.
    func accepts(_ h: HardProcess) -> Bool {
        var escaping = 0.0
        for p in h.tags where abs(p.eta) > escapeEta { escaping += p.pt }
        for p in h.radiation where abs(p.eta) > escapeEta { escaping += p.pt }
        let invisible = (h.invisibleX * h.invisibleX + h.invisibleY * h.invisibleY).squareRoot()
        guard invisible + escaping >= minInvisiblePt else { return false }

        let jets = h.jetSeeds
        // The objects that can be one of the two leading jets.
        let r2 = mergeRadius * mergeRadius
        var leading: [Parton] = []
        let invisiblePhi = atan2(h.invisibleY, h.invisibleX)
        for c in jets {
            var reach = 0.0
            for o in jets where Kinematics.deltaR2(o.eta, o.phi, c.eta, c.phi) < r2 { reach += o.pt }
            let bound = dominance * reach + dominanceOffset
            let harder = jets.count(where: { $0.pt > bound })
            if harder < 2 { leading.append(c) }
            if escaping == 0 && harder < 4 && c.pt >= alignedJetPt && abs(c.eta) < alignedJetEta
                && Kinematics.absDeltaPhi(c.phi, invisiblePhi) < maxAlignment
            {
                return false
            }
        }
        return Self.hasTaggingPair(
            leading.map { ($0.eta, $0.phi) }, margin: hemisphereMargin,
            minDeltaEta: minDeltaEta, maxDeltaPhi: maxDeltaPhi)
    }

    /// The topology test of both stages: some pair of the objects that can be the two leading
    /// jets lies in opposite hemispheres (each up to `margin` on the wrong side), with
    /// |Δη| > `minDeltaEta` and |Δφ| < `maxDeltaPhi`.
    static func hasTaggingPair(
        _ leading: [(eta: Double, phi: Double)], margin: Double,
        minDeltaEta: Double, maxDeltaPhi: Double
    ) -> Bool {
        for a in leading.indices {
            for b in leading.indices where b > a {
                let lo = min(leading[a].eta, leading[b].eta), hi = max(leading[a].eta, leading[b].eta)
                if lo < margin && hi > -margin && hi - lo > minDeltaEta
                    && Kinematics.absDeltaPhi(leading[a].phi, leading[b].phi) < maxDeltaPhi
                {
                    return true
                }
            }
        }
        return false
    }
}
