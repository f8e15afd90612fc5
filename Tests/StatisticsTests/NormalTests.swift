import Foundation
import Statistics
import Testing

/// Φ and Φ⁻¹ in double precision.
@Suite struct NormalTests {
    @Test func knownValues() {
        #expect(Normal.cdf(0) == 0.5)
        #expect(abs(Normal.quantile(0.975) - 1.959963984540054) < 1e-14)
        #expect(abs(Normal.quantile(0.05) + 1.6448536269514722) < 1e-14)
        #expect(abs(Normal.cdf(-3) - 0.0013498980316300946) < 1e-17)
        #expect(abs(Normal.cdf(1) - 0.8413447460685429) < 1e-15)
    }

    @Test func quantileInvertsCdf() {
        for exponent in stride(from: -15.0, through: -0.31, by: 0.37) {
            let p = pow(10, exponent)
            let x = Normal.quantile(p)
            #expect(abs(Normal.cdf(x) - p) / p < 1e-13, "p = \(p)")
            if p > 1e-3 { #expect(abs(Normal.quantile(1 - p) + x) < 1e-12, "p = \(p)") }
        }
        #expect(Normal.quantile(0) == -.infinity)
        #expect(Normal.quantile(1) == .infinity)
    }
}
