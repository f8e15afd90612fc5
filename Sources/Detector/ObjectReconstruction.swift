import Events
import Foundation

/// Reconstructed electrons, muons and photons for the vetoes. Kept deliberately simple:
/// a particle of the right id inside the tracker acceptance (e, γ: |η| < 2.5; μ: |η| < 2.4)
/// above 5 GeV, isolated (Σ p_T of other visible particles within ΔR < 0.4 below 20% of
/// its p_T), is found with a flat efficiency (e 95%, μ 95%, γ 90%) and a 2% p_T smearing.
/// Non-isolated photons (π⁰ photons inside jets) are part of the jets, not objects.
public struct ObjectReconstruction: Sendable {
    public var minPt = 5.0
    public var isolationCone = 0.4
    public var isolationFraction = 0.2
    public var electronEfficiency = 0.95, muonEfficiency = 0.95, photonEfficiency = 0.90
    public var ptResolution = 0.02

    public init() {}

    /// The reconstructed e/μ/γ of a particle-level event, ordered by decreasing p_T.
    public func objects(from particles: [Particle], rng: inout RandomStream) -> [RecoObject] {
        var out: [RecoObject] = []
        for (i, p) in particles.enumerated() {
            let id = abs(p.pid)
            guard id == 11 || id == 13 || id == 22, Double(p.pt) > minPt else { continue }
            let etaMax = id == 13 ? 2.4 : 2.5
            guard abs(Double(p.eta)) < etaMax else { continue }
            var cone = 0.0
            let r2 = isolationCone * isolationCone
            for (j, q) in particles.enumerated() where j != i && q.kind != .invisible {
                let deta = Double(q.eta - p.eta)
                if deta * deta > r2 { continue }
                let dphi = Kinematics.absDeltaPhi(Double(q.phi), Double(p.phi))
                if deta * deta + dphi * dphi < r2 { cone += Double(q.pt) }
            }
            guard cone < isolationFraction * Double(p.pt) else { continue }
            let efficiency = id == 11 ? electronEfficiency : id == 13 ? muonEfficiency : photonEfficiency
            guard rng.uniform() < efficiency else { continue }
            let pt = Double(p.pt) * max(0, 1 + ptResolution * rng.normal())
            out.append(RecoObject(pt: Float(pt), eta: p.eta, phi: p.phi, pid: Int32(id)))
        }
        out.sort { $0.pt > $1.pt }
        return out
    }
}
