import Foundation
import Random

/// A counter-based random stream: a SplitMix64 generator whose start (the key) is derived by
/// hashing (seed, stage, unit, index), so output k is `mix(key + k·γ)`. Any event of any stream
/// can therefore be generated on its own, whatever the split of a job into shards, and the
/// numbers are identical on every platform.
public struct RandomStream: Sendable {
    @usableFromInline var generator: SplitMix64
    @usableFromInline var spareNormal: Double? = nil

    /// The stream for `(seed, stage, unit, index)`; e.g. stage = a stage tag, unit = channel,
    /// index = event number.
    public init(seed: UInt64, stage: UInt64 = 0, unit: UInt64 = 0, index: UInt64 = 0) {
        var k = SplitMix64.mix(seed &+ SplitMix64.gamma)
        k = SplitMix64.mix(k ^ (stage &* 0xD6E8_FEB8_6659_FD93))
        k = SplitMix64.mix(k ^ (unit &* 0xA076_1D64_78BD_642F))
        k = SplitMix64.mix(k ^ (index &* 0xE703_7ED1_A0B4_28DB))
        generator = SplitMix64(state: k)
    }

    /// The stream of a pipeline stage (the numbers are listed in `RandomStage`).
    public init(seed: UInt64, stage: RandomStage, unit: UInt64 = 0, index: UInt64 = 0) {
        self.init(seed: seed, stage: stage.rawValue, unit: unit, index: index)
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func uniform() -> Double { generator.nextUnitDouble() }

    /// Uniform in (0, 1], safe for logarithms.
    @inlinable
    public mutating func uniformPositive() -> Double { 1 - uniform() }

    /// Uniform in [a, b).
    @inlinable
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Standard normal (polar Box–Muller, the second value cached).
    public mutating func normal() -> Double {
        if let s = spareNormal {
            spareNormal = nil
            return s
        }
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * log(s) / s).squareRoot()
                spareNormal = v * f
                return u * f
            }
        }
    }

    /// Normal with mean and standard deviation.
    public mutating func normal(mean: Double, sigma: Double) -> Double { mean + sigma * normal() }

    /// Exponential with the given mean.
    @inlinable
    public mutating func exponential(mean: Double) -> Double { -mean * log(uniformPositive()) }

    /// Gamma(shape, scale) by Marsaglia–Tsang (shape < 1 through the boost u^(1/shape)).
    public mutating func gamma(shape: Double, scale: Double) -> Double {
        if shape < 1 {
            return gamma(shape: shape + 1, scale: scale) * pow(uniformPositive(), 1 / shape)
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = uniformPositive(), x2 = x * x
            // The squeeze u < 1 − 0.0331·x⁴ accepts a subset of what the exact test accepts, without logs.
            if u < 1 - 0.0331 * x2 * x2 || log(u) < 0.5 * x2 + d - d * v + d * log(v) { return d * v * scale }
        }
    }

    /// Poisson with the given mean (multiplication method below 30, else a rounded
    /// gamma-mixture-free normal approximation with continuity correction).
    public mutating func poisson(mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean < 30 {
            let limit = exp(-mean)
            var k = 0, p = uniform()
            while p > limit {
                k += 1
                p *= uniform()
            }
            return k
        }
        return max(0, Int((mean + mean.squareRoot() * normal() + 0.5).rounded(.down)))
    }

    /// Negative binomial with mean and shape k (a gamma-mixed Poisson), the usual
    /// multiplicity distribution of soft hadron production.
    public mutating func negativeBinomial(mean: Double, k: Double) -> Int {
        poisson(mean: gamma(shape: k, scale: mean / k))
    }
}
