import Foundation

/// HistFactory/pyhf interpolation code 4 for a multiplicative factor κ(α) between `lo` (α = −1)
/// and `hi` (α = +1): exponential (hi^α, lo^−α) for |α| ≥ 1, and inside a 6th-order polynomial
/// 1 + Σ aᵢ αⁱ matching value, slope and curvature of the exponentials at α = ±1.
/// This is pyhf's `normsys` interpolation.
public struct Code4: Sendable, Equatable {
    public let lo: Double
    public let hi: Double
    let logLo: Double
    let logHi: Double
    /// a₁ … a₆ (stored inline: no reference counting in the hot loop).
    let a1, a2, a3, a4, a5, a6: Double

    /// Fails unless both `lo` and `hi` are finite and positive.
    public init(lo: Double, hi: Double) throws {
        guard lo > 0, hi > 0, lo.isFinite, hi.isFinite else {
            throw StatisticsError.degenerateModel("normsys lo = \(lo), hi = \(hi): both must be finite and > 0")
        }
        self.lo = lo
        self.hi = hi
        logLo = Foundation.log(lo)
        logHi = Foundation.log(hi)
        // Rows: value, slope, curvature at +1, then at −1; columns: a₁ … a₆.
        var matrix = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 6)
        for i in 1...6 {
            let n = Double(i), sign = i % 2 == 0 ? 1.0 : -1.0
            matrix[0][i - 1] = 1
            matrix[1][i - 1] = n
            matrix[2][i - 1] = n * (n - 1)
            matrix[3][i - 1] = sign
            matrix[4][i - 1] = -sign * n
            matrix[5][i - 1] = sign * n * (n - 1)
        }
        let rhs = [
            hi - 1, hi * logHi, hi * logHi * logHi,
            lo - 1, -lo * logLo, lo * logLo * logLo,
        ]
        let a = DenseLinearAlgebra.solve(matrix, rhs)
        (a1, a2, a3, a4, a5, a6) = (a[0], a[1], a[2], a[3], a[4], a[5])
    }

    /// κ(α), dκ/dα, d²κ/dα².
    @inline(__always)
    public func evaluate(_ alpha: Double) -> (value: Double, first: Double, second: Double) {
        if alpha >= 1 {
            let v = Foundation.exp(alpha * logHi)
            return (v, v * logHi, v * logHi * logHi)
        }
        if alpha <= -1 {
            let v = Foundation.exp(-alpha * logLo)
            return (v, -v * logLo, v * logLo * logLo)
        }
        let value = 1 + alpha * (a1 + alpha * (a2 + alpha * (a3 + alpha * (a4 + alpha * (a5 + alpha * a6)))))
        let first = a1 + alpha * (2 * a2 + alpha * (3 * a3 + alpha * (4 * a4 + alpha * (5 * a5 + alpha * 6 * a6))))
        let second = 2 * a2 + alpha * (6 * a3 + alpha * (12 * a4 + alpha * (20 * a5 + alpha * 30 * a6)))
        return (value, first, second)
    }
}
