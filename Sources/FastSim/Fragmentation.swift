import Events
import Foundation

/// Fragmentation of a parton into visible hadrons and photons, and the soft particles of the
/// underlying event, colour strings and min-bias collisions.
///
/// A parton of p_T gives 2 + Poisson(4.5·ln(1 + p_T/4 GeV)) particles sharing its p_T with
/// Gamma(0.7)-distributed fractions z; each is displaced from the axis in (η, φ) by a distance
/// drawn from an exponential of mean min(0.45, 0.30/√(z·p_T/GeV)), so that hard fragments are
/// collinear and soft ones wide, giving R = 0.5 anti-kt jets that hold ≈ 90% of the parton
/// p_T. Species: 60% π± (211), 25% photons from π⁰ (22), 15% neutral hadrons (130, 2112).
enum Fragmentation {
    /// Appends the fragments of `parton` to `out`.
    static func fragment(_ parton: Parton, into out: inout [Particle], rng: inout RandomStream) {
        let n = 2 + rng.poisson(mean: 4.5 * log(1 + parton.pt / 4))
        var weights = [Double](repeating: 0, count: n)
        var sum = 0.0
        for i in 0..<n {
            weights[i] = rng.gamma(shape: 0.7, scale: 1)
            sum += weights[i]
        }
        for i in 0..<n {
            let pt = parton.pt * weights[i] / sum
            let r = rng.exponential(mean: min(0.45, 0.30 / max(pt, 1e-3).squareRoot()))
            let a = rng.uniform(-.pi, .pi)
            out.append(
                Particle(
                    pt: Float(pt), eta: Float(parton.eta + r * cos(a)),
                    phi: Float(Kinematics.wrapPhi(parton.phi + r * sin(a))), pid: species(&rng)))
        }
    }

    /// A hadronic τ decay: one or three charged pions and up to two photons, inside ΔR ≈ 0.05.
    static func hadronicTau(_ tau: Parton, into out: inout [Particle], rng: inout RandomStream) {
        let nCharged = rng.uniform() < 0.77 ? 1 : 3
        let nPhotons = rng.poisson(mean: 0.8)
        let n = nCharged + min(nPhotons, 2)
        var weights = (0..<n).map { _ in rng.gamma(shape: 1.5, scale: 1) }
        let sum = weights.reduce(0, +)
        for i in 0..<n {
            weights[i] /= sum
            let r = rng.exponential(mean: 0.02), a = rng.uniform(-.pi, .pi)
            out.append(
                Particle(
                    pt: Float(tau.pt * weights[i]), eta: Float(tau.eta + r * cos(a)),
                    phi: Float(Kinematics.wrapPhi(tau.phi + r * sin(a))),
                    pid: i < nCharged ? (rng.uniform() < 0.5 ? 211 : -211) : 22))
        }
    }

    /// `count` soft particles flat in η ∈ [etaLow, etaHigh], p_T ~ Gamma(shape, mean/shape).
    static func soft(
        count: Int, etaLow: Double, etaHigh: Double, meanPt: Double, shape: Double,
        into out: inout [Particle], rng: inout RandomStream
    ) {
        for _ in 0..<count {
            out.append(
                Particle(
                    pt: Float(rng.gamma(shape: shape, scale: meanPt / shape)),
                    eta: Float(rng.uniform(etaLow, etaHigh)),
                    phi: Float(rng.uniform(-.pi, .pi)), pid: species(&rng)))
        }
    }

    @inline(__always)
    static func species(_ rng: inout RandomStream) -> Int32 {
        let u = rng.uniform()
        if u < 0.30 { return 211 }
        if u < 0.60 { return -211 }
        if u < 0.85 { return 22 }
        return u < 0.93 ? 130 : 2112
    }
}
