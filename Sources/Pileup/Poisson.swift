import Events
import Foundation

/// Poisson random numbers by inversion of the cumulative distribution (exact, one uniform per
/// draw); means above 500 are drawn as sums of smaller Poisson variates so exp(−mean) never
/// underflows.
public enum Poisson {
    public static func sample(mean: Double, rng: inout RandomStream) -> Int {
        precondition(mean >= 0 && mean.isFinite, "Poisson mean must be finite and ≥ 0, got \(mean)")
        if mean == 0 { return 0 }
        if mean > 500 {
            let parts = Int((mean / 250).rounded(.up))
            return (0..<parts).reduce(0) { total, _ in total + sample(mean: mean / Double(parts), rng: &rng) }
        }
        let u = rng.uniform()
        var k = 0
        var probability = exp(-mean)
        var cumulative = probability
        while cumulative <= u {
            k += 1
            probability *= mean / Double(k)
            cumulative += probability
            if probability < 1e-300 && Double(k) > mean { break } // u within rounding of 1
        }
        return k
    }
}
