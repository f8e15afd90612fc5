/// The separation ⟨S²⟩ = ½ ∫ (p_S − p_B)²/(p_S + p_B) dx of a feature (paper eq. 3.2), with
/// p_S, p_B the normalised distributions of the two classes, evaluated on a histogram:
/// ½ Σ_i (s_i − b_i)²/(s_i + b_i) with s_i, b_i the classes' weight fractions in bin i.
/// 0 for identical distributions, 1 for non-overlapping ones.
public enum Separation {
    /// ⟨S²⟩ with `bins` equal bins on `range` (default: the smallest and largest value of both
    /// samples); values outside `range` are ignored.
    public static func compute(
        signal: [Double], signalWeights: [Double]? = nil,
        background: [Double], backgroundWeights: [Double]? = nil,
        bins: Int = 100, range: ClosedRange<Double>? = nil
    ) throws -> Double {
        guard bins >= 1 else { throw MetricsError.invalidInput("separation needs ≥ 1 bin") }
        let all = signal + background
        guard let lo = range?.lowerBound ?? all.min(), let hi = range?.upperBound ?? all.max() else {
            throw MetricsError.invalidInput("separation of empty samples")
        }
        guard lo.isFinite, hi.isFinite else { throw MetricsError.invalidInput("non-finite values in the samples") }
        if lo == hi { return 0 }
        let edges = (0...bins).map { lo + (hi - lo) * Double($0) / Double(bins) }
        var hs = try WeightedHistogram(edges: edges), hb = try WeightedHistogram(edges: edges)
        try hs.fill(signal, weights: signalWeights)
        try hb.fill(background, weights: backgroundWeights)
        let ts = hs.total, tb = hb.total
        guard ts > 0, tb > 0 else {
            throw MetricsError.invalidInput("separation needs positive weight in both classes")
        }
        var sum = 0.0
        for i in 0..<bins {
            let s = hs.sumw[i] / ts, b = hb.sumw[i] / tb
            if s + b > 0 { sum += (s - b) * (s - b) / (s + b) }
        }
        return 0.5 * sum
    }

    /// ⟨S²⟩ of a feature, by the one rule every ranking of vbfgrid uses (`vbfgrid inspect`,
    /// `evaluate`'s metrics.json, the report): equal bins between the 0.5% and 99.5% quantiles
    /// of the pooled values (long tails such as m_jj's would otherwise hide the bulk), values
    /// outside folded into the end bins; `bins(events:)` bins, fewer for small samples, whose
    /// empty and single-event bins would fake separation.
    public static func ofFeature(
        signal: [Double], signalWeights: [Double]? = nil,
        background: [Double], backgroundWeights: [Double]? = nil
    ) throws -> Double {
        let pooled = (signal + background).sorted()
        guard let first = pooled.first, let last = pooled.last, first.isFinite, last.isFinite else {
            throw MetricsError.invalidInput(
                pooled.isEmpty ? "separation of empty samples" : "non-finite values in the samples")
        }
        let lo = pooled[Int(0.005 * Double(pooled.count - 1))], hi = pooled[Int(0.995 * Double(pooled.count - 1))]
        guard lo < hi else { return 0 }
        let fold = { (values: [Double]) in values.map { min(max($0, lo), hi) } }
        return try compute(
            signal: fold(signal), signalWeights: signalWeights, background: fold(background),
            backgroundWeights: backgroundWeights, bins: bins(events: pooled.count), range: lo...hi)
    }

    /// Bins of a feature's ⟨S²⟩: 50 from 2,500 events on, one per 50 events below (at least 10).
    public static func bins(events: Int) -> Int { min(50, max(10, events / 50)) }
}
