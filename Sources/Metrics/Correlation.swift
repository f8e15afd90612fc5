/// Weighted Pearson correlation matrices (paper fig. 14: between the highest-separation
/// features and the network outputs, separately for each class).
public enum Correlation {
    /// The k×k matrix of the k `columns` (each one value per event) with optional weights:
    /// ρ_ij = cov_w(i, j)/√(cov_w(i, i) cov_w(j, j)). A constant column has ρ = 0 with the
    /// others and 1 with itself.
    public static func matrix(_ columns: [[Double]], weights: [Double]? = nil) throws -> [[Double]] {
        guard let n = columns.first?.count, n > 0 else { throw MetricsError.invalidInput("correlation of no events") }
        if let bad = columns.firstIndex(where: { $0.count != n }) {
            throw MetricsError.invalidInput("column \(bad) has \(columns[bad].count) values, expected \(n)")
        }
        let w = try ROC.checkedWeights(weights, count: n)
        let total = w.reduce(0, +)
        guard total > 0 else { throw MetricsError.invalidInput("correlation with zero total weight") }
        let means = columns.map { c in zip(c, w).reduce(0) { $0 + $1.0 * $1.1 } / total }
        let k = columns.count
        var cov = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for i in 0..<k {
            for j in i..<k {
                var s = 0.0
                for e in 0..<n { s += w[e] * (columns[i][e] - means[i]) * (columns[j][e] - means[j]) }
                cov[i][j] = s
                cov[j][i] = s
            }
        }
        return (0..<k).map { i in
            (0..<k).map { j in
                if i == j { return 1 }
                let d = (cov[i][i] * cov[j][j]).squareRoot()
                return d > 0 ? cov[i][j] / d : 0
            }
        }
    }

    /// The matrices of the signal and of the background events.
    public static func classWise(_ columns: [[Double]], isSignal: [Bool], weights: [Double]? = nil) throws
        -> (signal: [[Double]], background: [[Double]])
    {
        guard columns.allSatisfy({ $0.count == isSignal.count }) else {
            throw MetricsError.invalidInput("every column needs one value per label (\(isSignal.count))")
        }
        func subset(_ label: Bool) throws -> [[Double]] {
            let rows = isSignal.indices.filter { isSignal[$0] == label }
            return try matrix(columns.map { c in rows.map { c[$0] } }, weights: weights.map { w in rows.map { w[$0] } })
        }
        return (try subset(true), try subset(false))
    }
}
