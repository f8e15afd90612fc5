import Events
import Foundation
import Pileup
import Testing

/// Poisson draws by inversion against the distribution's own moments and probabilities.
@Suite struct PoissonTests {
    /// Mean and variance of 100,000 draws both equal λ, within 5 standard errors (the sample
    /// variance's variance is (μ₄ − σ⁴)/n with μ₄ = λ(1 + 3λ)); λ = 1200 takes the summed path.
    @Test(arguments: [0.3, 4.5, 20.0, 50.0, 1200.0])
    func meanAndVarianceEqualTheMean(mean: Double) {
        var rng = RandomStream(seed: 11, stage: 3)
        let n = 100_000
        var sum = 0.0, squares = 0.0
        for _ in 0..<n {
            let k = Double(Poisson.sample(mean: mean, rng: &rng))
            sum += k
            squares += k * k
        }
        let sampleMean = sum / Double(n), variance = squares / Double(n) - sampleMean * sampleMean
        #expect(abs(sampleMean - mean) < 5 * (mean / Double(n)).squareRoot(), "mean \(sampleMean) for λ = \(mean)")
        let varianceError = ((mean * (1 + 3 * mean) - mean * mean) / Double(n)).squareRoot()
        #expect(abs(variance - mean) < 5 * varianceError, "variance \(variance) for λ = \(mean)")
    }

    /// The frequencies of k = 0 … 6 for λ = 2 against e^−λ λ^k / k!, each within 5 binomial errors.
    @Test func frequenciesFollowTheProbabilities() {
        var rng = RandomStream(seed: 12, stage: 3)
        let n = 100_000, mean = 2.0
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<n {
            let k = Poisson.sample(mean: mean, rng: &rng)
            if k < counts.count { counts[k] += 1 }
        }
        var p = exp(-mean)
        for k in counts.indices {
            let expected = Double(n) * p, error = (Double(n) * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[k]) - expected) < 5 * error, "k = \(k): \(counts[k]) vs \(expected)")
            p *= mean / Double(k + 1)
        }
    }

    @Test func zeroMeanGivesZero() {
        var rng = RandomStream(seed: 13)
        #expect((0..<100).allSatisfy { _ in Poisson.sample(mean: 0, rng: &rng) == 0 })
    }
}
