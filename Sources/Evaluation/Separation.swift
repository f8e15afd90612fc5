/// The separation ⟨S²⟩ = ½ ∫ (p_S − p_B)²/(p_S + p_B) dx of a feature (paper eq. 3.2), with
/// p_S, p_B the normalised distributions of the two classes, evaluated on a histogram:
/// ½ Σ_i (s_i − b_i)²/(s_i + b_i) with s_i, b_i the classes' weight fractions in bin i.
/// 0 for identical distributions, 1 for non-overlapping ones.
public enum Separation {
    /// ⟨S²⟩ with `bins` equal bins on `range` (default: the smallest and largest value of both
    /// samples); values outside `range` are ignored.
    public static func compute(signal: [Double], signalWeights: [Double]? = nil,
                               background: [Double], backgroundWeights: [Double]? = nil,
                               bins: Int = 100, range: ClosedRange<Double>? = nil) throws -> Double {
        guard bins >= 1 else { throw EvaluationError.invalidInput("separation needs ≥ 1 bin") }
        let all = signal + background
        guard let lo = range?.lowerBound ?? all.min(), let hi = range?.upperBound ?? all.max() else {
            throw EvaluationError.invalidInput("separation of empty samples")
        }
        guard lo.isFinite, hi.isFinite else { throw EvaluationError.invalidInput("non-finite values in the samples") }
        if lo == hi { return 0 }
        let edges = (0...bins).map { lo + (hi - lo) * Double($0) / Double(bins) }
        var hs = try WeightedHistogram(edges: edges), hb = try WeightedHistogram(edges: edges)
        try hs.fill(signal, weights: signalWeights)
        try hb.fill(background, weights: backgroundWeights)
        let ts = hs.total, tb = hb.total
        guard ts > 0, tb > 0 else { throw EvaluationError.invalidInput("separation needs positive weight in both classes") }
        var sum = 0.0
        for i in 0..<bins {
            let s = hs.sumw[i] / ts, b = hb.sumw[i] / tb
            if s + b > 0 { sum += (s - b) * (s - b) / (s + b) }
        }
        return 0.5 * sum
    }
}
