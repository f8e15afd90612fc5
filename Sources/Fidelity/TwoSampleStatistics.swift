import Foundation
import Metrics

/// One-dimensional comparisons of two samples: medians, the Kolmogorov–Smirnov distance and the
/// AUC of the value itself as a classifier score.
public enum TwoSampleStatistics {
    /// The median of `values` (mean of the two middle values for an even count); nil when empty.
    public static func median(_ values: [Float]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let n = sorted.count
        return n % 2 == 1 ? Double(sorted[n / 2]) : 0.5 * (Double(sorted[n / 2 - 1]) + Double(sorted[n / 2]))
    }

    /// sup_x |F_a(x) − F_b(x)| of the two empirical distribution functions (0 when either is empty).
    public static func ksDistance(_ a: [Float], _ b: [Float]) -> Double {
        let x = a.sorted(), y = b.sorted()
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        var i = 0, j = 0, d = 0.0
        while i < x.count && j < y.count {
            // Step past every copy of the smallest value in both samples at once (ties).
            let v = min(x[i], y[j])
            while i < x.count && x[i] == v { i += 1 }
            while j < y.count && y[j] == v { j += 1 }
            d = max(d, abs(Double(i) / Double(x.count) - Double(j) / Double(y.count)))
        }
        return d
    }

    /// The AUC of the value as a score separating `b` (positive) from `a`, folded to ≥ 0.5 (the
    /// direction is not known in advance): 0.5 means the value alone cannot tell the samples apart.
    public static func singleValueAUC(_ a: [Float], _ b: [Float]) throws -> Double {
        let auc = try ROC.auc(
            scores: (a + b).map(Double.init),
            isSignal: [Bool](repeating: false, count: a.count) + [Bool](repeating: true, count: b.count))
        return max(auc, 1 - auc)
    }
}
