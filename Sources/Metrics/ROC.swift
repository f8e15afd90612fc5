/// One point of a ROC curve: events with score ≥ `threshold` are accepted.
public struct ROCPoint: Codable, Sendable, Equatable {
    public var threshold: Double
    /// ε_S: accepted fraction of the signal weight.
    public var signalEfficiency: Double
    /// ε_B: accepted fraction of the background weight.
    public var backgroundEfficiency: Double
    /// 1/ε_B (+∞ where ε_B = 0), the y axis of the paper's ROC plots.
    public var backgroundRejection: Double { 1 / backgroundEfficiency }
}

/// ROC curves and the area under them, with weights and ties handled as scikit-learn's
/// `roc_curve`/`roc_auc_score`: one point per distinct score (tied events enter together),
/// a first point (0, 0) at threshold +∞, the last at (1, 1), and the AUC by the trapezoidal
/// rule in (ε_B, ε_S) — which equals the Mann–Whitney statistic with ties counted ½.
public enum ROC {
    /// The curve for `scores` (higher = more signal-like), `isSignal` labels and optional weights.
    public static func curve(scores: [Double], isSignal: [Bool], weights: [Double]? = nil) throws -> [ROCPoint] {
        guard scores.count == isSignal.count else {
            throw MetricsError.invalidInput("\(scores.count) scores but \(isSignal.count) labels")
        }
        let w = try checkedWeights(weights, count: scores.count)
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw MetricsError.invalidInput("score \(bad) is \(scores[bad])")
        }
        var totalS = 0.0, totalB = 0.0
        for i in scores.indices { if isSignal[i] { totalS += w[i] } else { totalB += w[i] } }
        guard totalS > 0, totalB > 0 else {
            throw MetricsError.invalidInput(
                "the ROC needs both classes with positive weight (signal \(totalS), background \(totalB))")
        }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points = [ROCPoint(threshold: .infinity, signalEfficiency: 0, backgroundEfficiency: 0)]
        var s = 0.0, b = 0.0, k = 0
        while k < order.count {
            let threshold = scores[order[k]]
            while k < order.count, scores[order[k]] == threshold {
                if isSignal[order[k]] { s += w[order[k]] } else { b += w[order[k]] }
                k += 1
            }
            points.append(
                ROCPoint(threshold: threshold, signalEfficiency: s / totalS, backgroundEfficiency: b / totalB))
        }
        // Exactly (1, 1) at the end, whatever the rounding of the sums.
        points[points.count - 1].signalEfficiency = 1
        points[points.count - 1].backgroundEfficiency = 1
        return points
    }

    /// The area under the curve (trapezoidal in ε_B), as `roc_auc_score`.
    public static func auc(_ curve: [ROCPoint]) -> Double {
        var area = 0.0
        for (a, b) in zip(curve, curve.dropFirst()) {
            area += (b.backgroundEfficiency - a.backgroundEfficiency) * 0.5 * (a.signalEfficiency + b.signalEfficiency)
        }
        return area
    }

    /// The AUC of scores, labels and optional weights.
    public static func auc(scores: [Double], isSignal: [Bool], weights: [Double]? = nil) throws -> Double {
        auc(try curve(scores: scores, isSignal: isSignal, weights: weights))
    }

    /// Unit weights when nil; otherwise checks count, finiteness and non-negativity.
    static func checkedWeights(_ weights: [Double]?, count: Int) throws -> [Double] {
        guard let weights else { return [Double](repeating: 1, count: count) }
        guard weights.count == count else {
            throw MetricsError.invalidInput("\(count) values but \(weights.count) weights")
        }
        if let bad = weights.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw MetricsError.invalidInput("weight \(bad) is \(weights[bad]) (must be finite and ≥ 0)")
        }
        return weights
    }
}
