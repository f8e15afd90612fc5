/// The small dense solvers the fits need (a few tens of parameters): Gaussian elimination with
/// partial pivoting, and a Cholesky factorisation that reports indefiniteness.
enum DenseLinearAlgebra {
    /// Solves A x = b for a square, non-singular A (rows of `matrix`).
    static func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double] {
        var m = matrix, b = rhs
        let n = b.count
        for column in 0..<n {
            var pivot = column
            for row in column + 1..<n where abs(m[row][column]) > abs(m[pivot][column]) { pivot = row }
            m.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in column + 1..<n {
                let f = m[row][column] / m[column][column]
                if f == 0 { continue }
                for k in column..<n { m[row][k] -= f * m[column][k] }
                b[row] -= f * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in row + 1..<n { sum -= m[row][k] * x[k] }
            x[row] = sum / m[row][row]
        }
        return x
    }

    /// Solves H x = b for a symmetric positive-definite H (row-major n×n) by Cholesky.
    /// Returns nil when H is not positive definite.
    static func choleskySolve(_ h: [Double], _ b: [Double], n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = h[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else { return nil }
                    l[i * n + i] = sum.squareRoot()
                } else {
                    l[i * n + j] = sum / l[j * n + j]
                }
            }
        }
        var y = b
        for i in 0..<n {
            var sum = y[i]
            for k in 0..<i { sum -= l[i * n + k] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            var sum = y[i]
            for k in i + 1..<n { sum -= l[k * n + i] * y[k] }
            y[i] = sum / l[i * n + i]
        }
        return y
    }
}
