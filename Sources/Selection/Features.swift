import Events
import Foundation

/// The paper's high-level features (§3), computed from the towers, the two leading jets and
/// the MET, before any preprocessing rotation. Angles: φ_met in [−π, π), the |Δφ| in [0, π].
public enum Features {
    /// K (8) for an event with at least two jets.
    public static func k(_ event: Event) -> [Float] {
        precondition(event.jets.count >= 2, "K features need two jets")
        let j1 = event.jets[0], j2 = event.jets[1]
        let metPhi = Double(event.met.phi)
        let sx = Double(j1.pt) * cos(Double(j1.phi)) + Double(j2.pt) * cos(Double(j2.phi))
        let sy = Double(j1.pt) * sin(Double(j1.phi)) + Double(j2.pt) * sin(Double(j2.phi))
        return [
            abs(j1.eta - j2.eta),
            Float(Kinematics.absDeltaPhi(Double(j1.phi), Double(j2.phi))),
            Float(Kinematics.invariantMass(j1, j2)),
            event.met.value,
            Float(Kinematics.wrapPhi(metPhi)),
            Float(Kinematics.absDeltaPhi(Double(j1.phi), metPhi)),
            Float(Kinematics.absDeltaPhi(Double(j2.phi), metPhi)),
            Float(Kinematics.absDeltaPhi(atan2(sy, sx), metPhi)),
        ]
    }

    /// R (16): HT_ηC = Σ E_T of the towers with |η| < η_C.
    public static func r(_ event: Event) -> [Float] {
        var sums = [Double](repeating: 0, count: FeatureNames.etaCuts.count)
        for t in event.towers {
            let a = abs(t.eta)
            for (i, c) in FeatureNames.etaCuts.enumerated() where a < c { sums[i] += Double(t.et) }
        }
        return sums.map { Float($0) }
    }

    /// H (24) = K followed by R.
    public static func h(_ event: Event) -> [Float] { k(event) + r(event) }
}
