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
    /// a₁ … a₆.
    let coefficients: [Double]

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
        let rhs = [hi - 1, hi * logHi, hi * logHi * logHi,
                   lo - 1, -lo * logLo, lo * logLo * logLo]
        coefficients = DenseLinearAlgebra.solve(matrix, rhs)
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
        let a = coefficients
        let value = 1 + alpha * (a[0] + alpha * (a[1] + alpha * (a[2] + alpha * (a[3] + alpha * (a[4] + alpha * a[5])))))
        let first = a[0] + alpha * (2 * a[1] + alpha * (3 * a[2] + alpha * (4 * a[3] + alpha * (5 * a[4] + alpha * 6 * a[5]))))
        let second = 2 * a[1] + alpha * (6 * a[2] + alpha * (12 * a[3] + alpha * (20 * a[4] + alpha * 30 * a[5])))
        return (value, first, second)
    }
}
