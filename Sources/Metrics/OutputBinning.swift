/// The binning of a network output on [0, 1] for the limits (paper §5.2): the edge bins must
/// hold enough validation events of each class for a relative statistical error below 15%.
///
/// The rule, exactly: the relative statistical error of a class in a bin is √(Σw²)/Σw over its
/// events in the bin (1/√n for unit weights, so < 15% means n ≥ 45). Start from `bins` equal
/// bins. The first edge e₁ is the smallest multiple of `resolution` that is ≥ 1/bins and leaves
/// both classes below the error in [0, e₁); the last inner edge e_{N−1} is the largest multiple
/// of `resolution` that is ≤ 1 − 1/bins and leaves both classes below the error in [e_{N−1}, 1].
/// The N − 2 inner bins split [e₁, e_{N−1}] equally. When no such edges exist (too few events,
/// or e₁ ≥ e_{N−1}) it is an error: use fewer bins.
public struct OutputBinning: Codable, Sendable, Equatable {
    /// N + 1 increasing edges from 0 to 1.
    public var edges: [Double]
    /// The error bound the edge bins satisfy.
    public var maxRelativeError: Double
    /// The relative error of (signal, background) in the first and in the last bin.
    public var firstBinErrors: [Double]
    public var lastBinErrors: [Double]

    /// The edges for scores in [0, 1] with labels and optional weights.
    public static func compute(
        scores: [Double], isSignal: [Bool], weights: [Double]? = nil, bins: Int,
        maxRelativeError: Double = 0.15, resolution: Double = 0.001
    ) throws -> OutputBinning {
        guard bins >= 3 else {
            throw MetricsError.invalidInput("the output binning needs at least 3 bins, got \(bins)")
        }
        guard scores.count == isSignal.count else {
            throw MetricsError.invalidInput("\(scores.count) scores but \(isSignal.count) labels")
        }
        let w = try ROC.checkedWeights(weights, count: scores.count)
        let steps = Int((1 / resolution).rounded())
        // Per class: sorted scores with prefix sums of w and w².
        let classes = [true, false].map { label in
            CumulativeClass(scores.indices.filter { isSignal[$0] == label }.map { (scores[$0], w[$0]) })
        }
        func errors(_ range: (Double, Double), upperInclusive: Bool) -> [Double] {
            classes.map { $0.relativeError(from: range.0, to: range.1, upperInclusive: upperInclusive) }
        }
        let ok = { (e: [Double]) in e.allSatisfy { $0 < maxRelativeError } }
        var low: Int? = nil
        for k in Int((Double(steps) / Double(bins)).rounded(.up))...steps
        where ok(errors((0, Double(k) / Double(steps)), upperInclusive: false)) {
            low = k
            break
        }
        var high: Int? = nil
        for k in stride(from: Int((Double(steps) * (1 - 1 / Double(bins))).rounded(.down)), through: 0, by: -1)
        where ok(errors((Double(k) / Double(steps), 1), upperInclusive: true)) {
            high = k
            break
        }
        guard let low, let high, low < high else {
            throw MetricsError.invalidInput(
                "no \(bins)-bin output binning has both classes below \(maxRelativeError) relative error in the edge bins; use fewer bins"
            )
        }
        let e1 = Double(low) / Double(steps), eLast = Double(high) / Double(steps)
        var edges = [0.0]
        for i in 0...(bins - 2) { edges.append(e1 + (eLast - e1) * Double(i) / Double(bins - 2)) }
        edges[bins - 1] = eLast
        edges.append(1)
        return OutputBinning(
            edges: edges, maxRelativeError: maxRelativeError,
            firstBinErrors: errors((0, e1), upperInclusive: false),
            lastBinErrors: errors((eLast, 1), upperInclusive: true))
    }
}

/// Sorted (score, weight) pairs of one class with prefix sums, for range sums by bisection.
struct CumulativeClass {
    let scores: [Double]
    let sumw: [Double]
    let sumw2: [Double]

    init(_ pairs: [(Double, Double)]) {
        let sorted = pairs.sorted { $0.0 < $1.0 }
        scores = sorted.map(\.0)
        var s = [0.0], s2 = [0.0]
        for (_, w) in sorted {
            s.append(s[s.count - 1] + w)
            s2.append(s2[s2.count - 1] + w * w)
        }
        sumw = s
        sumw2 = s2
    }

    /// Index of the first score ≥ x (or > x when `strictly`).
    func index(_ x: Double, strictly: Bool) -> Int {
        var lo = 0, hi = scores.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if strictly ? scores[mid] <= x : scores[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// √Σw²/Σw of the scores in [from, to) (or [from, to]); +∞ when the range is empty.
    func relativeError(from: Double, to: Double, upperInclusive: Bool) -> Double {
        let a = index(from, strictly: false), b = index(to, strictly: upperInclusive)
        let w = sumw[b] - sumw[a], w2 = sumw2[b] - sumw2[a]
        return w > 0 ? w2.squareRoot() / w : .infinity
    }
}
