import Foundation

/// Kinematics helpers shared by the detector, the selection and the features.
public enum Kinematics {
    /// φ wrapped to [−π, π). (The remainder is exact, and the identity below 2π in magnitude,
    /// so it is skipped there.)
    @inlinable
    public static func wrapPhi(_ phi: Double) -> Double {
        var x = abs(phi) < 2 * .pi ? phi : phi.truncatingRemainder(dividingBy: 2 * .pi)
        if x < -.pi { x += 2 * .pi } else if x >= .pi { x -= 2 * .pi }
        return x
    }

    /// φ wrapped to [−π, π) (single precision).
    @inlinable
    public static func wrapPhi(_ phi: Float) -> Float { Float(wrapPhi(Double(phi))) }

    /// Signed azimuthal difference a − b wrapped to [−π, π).
    @inlinable
    public static func deltaPhi(_ a: Double, _ b: Double) -> Double { wrapPhi(a - b) }

    /// |Δφ| in [0, π].
    @inlinable
    public static func absDeltaPhi(_ a: Double, _ b: Double) -> Double { abs(wrapPhi(a - b)) }

    /// ΔR² = Δη² + Δφ² between two directions.
    @inlinable
    public static func deltaR2(_ eta1: Double, _ phi1: Double, _ eta2: Double, _ phi2: Double) -> Double {
        let deta = eta1 - eta2, dphi = absDeltaPhi(phi1, phi2)
        return deta * deta + dphi * dphi
    }

    /// Cartesian four-momentum (px, py, pz, E) of an object given as (p_T, η, φ, m).
    @inlinable
    public static func fourMomentum(pt: Double, eta: Double, phi: Double, mass: Double = 0)
        -> (px: Double, py: Double, pz: Double, e: Double)
    {
        let px = pt * cos(phi), py = pt * sin(phi), pz = pt * sinh(eta)
        let e = (px * px + py * py + pz * pz + mass * mass).squareRoot()
        return (px, py, pz, e)
    }

    /// Invariant mass of two objects given as (p_T, η, φ, m) (0 if numerically negative).
    public static func invariantMass(_ a: Jet, _ b: Jet) -> Double {
        let p = fourMomentum(pt: Double(a.pt), eta: Double(a.eta), phi: Double(a.phi), mass: Double(a.mass))
        let q = fourMomentum(pt: Double(b.pt), eta: Double(b.eta), phi: Double(b.phi), mass: Double(b.mass))
        let e = p.e + q.e, px = p.px + q.px, py = p.py + q.py, pz = p.pz + q.pz
        return max(0, e * e - px * px - py * py - pz * pz).squareRoot()
    }

    /// Missing transverse momentum of a set of towers: |−Σ p⃗_T| and its azimuth.
    public static func missingET(_ towers: [Tower]) -> MissingET {
        var sx = 0.0, sy = 0.0
        for t in towers {
            sx -= Double(t.et) * cos(Double(t.phi))
            sy -= Double(t.et) * sin(Double(t.phi))
        }
        return missingET(sumX: sx, sumY: sy)
    }

    /// Missing transverse momentum from the components of −Σ p⃗_T.
    public static func missingET(sumX sx: Double, sumY sy: Double) -> MissingET {
        MissingET(value: Float((sx * sx + sy * sy).squareRoot()), phi: Float(wrapPhi(atan2(sy, sx))))
    }

    /// Pseudorapidity of a three-vector (±large for vectors along the beam).
    @inlinable
    public static func pseudorapidity(px: Double, py: Double, pz: Double) -> Double {
        let pt = (px * px + py * py).squareRoot()
        if pt == 0 { return pz >= 0 ? 1e5 : -1e5 }
        return asinh(pz / pt)
    }
}
