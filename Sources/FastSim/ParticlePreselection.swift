import Events
import Foundation

/// The particle-level stage of the preselection (see `Preselection`): judges the visible
/// particles of the hard process after fragmentation (the fragments of the tagging and radiated
/// partons, the hadronic τ and the W's lepton) and before the soft particles (colour strings,
/// underlying event) are added and the detector runs. It sees those particles as the calorimeter
/// does (|η| < 5, no muons or neutrinos): its MET is −Σ p⃗_T of them, its jets are cones of
/// R = 0.5 around the hard objects (see `jetsAndMissingPt`). Its parts, each looser than the
/// reconstructed cut it anticipates (margins for the calorimeter's resolution and the soft
/// particles):
///
/// - **MET floor**: the particle-level MET must reach the preselection's `minInvisiblePt`.
/// - **jet topology**: as the hard-process stage, on particle jets and with tighter margins: some
///   pair of jets that can be the two leading ones (not two others above `dominance` × its p_T +
///   `dominanceOffset`) has one jet at η < `hemisphereMargin` and the other at η >
///   −`hemisphereMargin`, |Δη| > `minDeltaEta`, |Δφ| < `maxDeltaPhi`.
/// - **MET alignment**: no jet of p_T ≥ `alignedJetPt`, |η| < `alignedJetEta` that is surely
///   among the four leading ones lies within Δφ < `maxAlignment` of the particle-level MET (this
///   catches the W's τ-jet or electron next to its neutrino).
///
/// There is no cut on the particle jets' p_T: pileup adds ≈ 15–35 GeV to a jet at ⟨N⟩ = 20–50,
/// and such a cut made most of what the stage lost with pileup for little rejection without it.
public struct ParticlePreselection: Sendable, Equatable {
    /// False skips the stage (every fragmented hard process passes).
    public var enabled = true
    /// Particle-level jets: cone radius and minimum p_T (GeV).
    public var radius = 0.5
    public var jetPtMin = 15.0
    /// A jet cannot be one of the two leading reconstructed jets when two others have
    /// p_T > `dominance` × its p_T + `dominanceOffset`.
    public var dominance = 1.5
    public var dominanceOffset = 5.0
    /// Topology margins (the selection: η_j1·η_j2 < 0, |Δη_jj| > 1, |Δφ_jj| < 1.5).
    public var hemisphereMargin = 0.1
    public var minDeltaEta = 0.9
    public var maxDeltaPhi = 1.6
    /// MET alignment: a jet of p_T ≥ `alignedJetPt`, |η| < `alignedJetEta`, surely among the
    /// four leading ones (fewer than four others dominate it), within Δφ < `maxAlignment` of the
    /// particle-level MET rejects the event (the selection: p_T > 30, |η| < 4.7, Δφ ≤ 0.5).
    public var alignedJetPt = 45.0
    public var alignedJetEta = 4.5
    public var maxAlignment = 0.3

    public init() {}

    /// A particle-level jet.
    struct Jet { var pt, eta, phi: Double }

    /// The particle-level jets (ordered by p_T, above `jetPtMin`) and MET vector of `particles`.
    /// The jets are cones of R = `radius` around the hard objects of `seeds` (partons, hadronic
    /// τ, electrons), taken by decreasing p_T; a seed within R of a harder one is part of its
    /// jet, and a particle within R of several seeds goes to the hardest, as anti-kt would
    /// share them. A jet's p⃗_T is the sum of its particles', its η their p_T-weighted mean.
    func jetsAndMissingPt(_ particles: [Particle], seeds: [Parton]) -> (jets: [Jet], metX: Double, metY: Double) {
        let r2 = radius * radius
        var axes: [Parton] = []
        for s in seeds.sorted(by: { $0.pt > $1.pt }) where abs(s.eta) < 5 {
            if !axes.contains(where: { Kinematics.deltaR2(s.eta, s.phi, $0.eta, $0.phi) < r2 }) { axes.append(s) }
        }
        var sumX = [Double](repeating: 0, count: axes.count), sumY = sumX, sumEta = sumX, sumPt = sumX
        var metX = 0.0, metY = 0.0
        for p in particles {
            let kind = p.kind
            guard kind == .electromagnetic || kind == .hadronic, abs(p.eta) < 5 else { continue }
            let pt = Double(p.pt), eta = Double(p.eta), phi = Double(p.phi)
            let x = pt * cos(phi), y = pt * sin(phi)
            metX -= x
            metY -= y
            if let k = axes.firstIndex(where: { Kinematics.deltaR2(eta, phi, $0.eta, $0.phi) < r2 }) {
                sumX[k] += x
                sumY[k] += y
                sumEta[k] += pt * eta
                sumPt[k] += pt
            }
        }
        var jets: [Jet] = []
        for k in axes.indices {
            let pt = (sumX[k] * sumX[k] + sumY[k] * sumY[k]).squareRoot()
            if pt > jetPtMin { jets.append(Jet(pt: pt, eta: sumEta[k] / sumPt[k], phi: atan2(sumY[k], sumX[k]))) }
        }
        jets.sort { $0.pt > $1.pt }
        return (jets, metX, metY)
    }

    /// True if the particles of a fragmented hard process pass; `minMissingPt` is the floor of
    /// the particle-level MET (the preselection's invisible p_T floor).
    func accepts(_ particles: [Particle], seeds: [Parton], minMissingPt: Double) -> Bool {
        guard enabled else { return true }
        let (jets, metX, metY) = jetsAndMissingPt(particles, seeds: seeds)
        guard (metX * metX + metY * metY).squareRoot() >= minMissingPt else { return false }
        let metPhi = atan2(metY, metX)
        var leading: [Jet] = []
        for j in jets {
            let bound = dominance * j.pt + dominanceOffset
            let harder = jets.count(where: { $0.pt > bound })
            if harder < 2 { leading.append(j) }
            if harder < 4 && j.pt >= alignedJetPt && abs(j.eta) < alignedJetEta
                && Kinematics.absDeltaPhi(j.phi, metPhi) < maxAlignment
            {
                return false
            }
        }
        return Preselection.hasTaggingPair(
            leading.map { ($0.eta, $0.phi) }, margin: hemisphereMargin,
            minDeltaEta: minDeltaEta, maxDeltaPhi: maxDeltaPhi)
    }
}
