/// Bins of a network output at quantiles of the weighted background distribution: each bin
/// holds about 1/N of the background weight, whatever the spread of the outputs.
///
/// The rule, exactly: sort the background events by (score, index) and sum their weights W.
/// For k = 1 … N−1 the inner edge e_k is the smallest background score v with
/// W(score < v) ≥ (k/N)·W; an event with score x is in the bin [e_k, e_{k+1}) (the edge value
/// belongs to the upper bin). Edges that coincide (ties, a spike of equal outputs) or would
/// leave no background below them (the lowest background score) are dropped, so every bin
/// holds background; fewer than N bins result when the background cannot be split further.
/// The outer edges are the lowest and highest score of all events (the highest raised above
/// the last inner edge when equal), and scores beyond them belong to the end bins.
///
/// The edges are background scores and every assignment is a comparison with them, so a
/// strictly increasing change of the outputs moves the edges with the scores and keeps every
/// event in its bin: the binning depends on how the network ranks the events, not on how its
/// outputs spread.
public enum QuantileBinning {
    /// Edges for `scores` with the background events marked by `isBackground` and their
    /// (non-negative) `weights`; every event's score is used only for the outer edges.
    public static func edges(scores: [Double], isBackground: [Bool], weights: [Double], bins: Int) throws -> [Double] {
        guard bins >= 1 else { throw MetricsError.invalidInput("quantile binning needs at least 1 bin, got \(bins)") }
        guard scores.count == isBackground.count else {
            throw MetricsError.invalidInput("\(scores.count) scores but \(isBackground.count) labels")
        }
        let w = try ROC.checkedWeights(weights, count: scores.count)
        if let bad = scores.firstIndex(where: { !$0.isFinite }) {
            throw MetricsError.invalidInput("score \(bad) is \(scores[bad])")
        }
        let background = scores.indices.filter { isBackground[$0] && w[$0] > 0 }
            .sorted { (scores[$0], $0) < (scores[$1], $1) }
        guard !background.isEmpty else {
            throw MetricsError.invalidInput("quantile binning needs background events with positive weight")
        }
        let total = background.reduce(0) { $0 + w[$1] }
        var inner: [Double] = []
        var below = 0.0 // background weight with a score < scores[background[j]]
        var k = 1
        for (j, event) in background.enumerated() {
            let v = scores[event]
            if j > 0 && v != scores[background[j - 1]] {
                // v starts a new value: every quantile level reached below it puts its edge at v.
                var reached = false
                while k < bins && below >= Double(k) / Double(bins) * total {
                    reached = true
                    k += 1
                }
                if reached { inner.append(v) }
            }
            below += w[event]
        }
        let low = scores.min()!
        var high = scores.max()!
        if let last = inner.last, high <= last { high = last.nextUp }
        return [low] + inner + [high]
    }
}
