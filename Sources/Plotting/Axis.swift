import Foundation

/// Linear or base-10 logarithmic axis.
public enum AxisScale: String, Codable, Sendable { case linear, log10 }

/// One axis of a plot: label (with units, e.g. "m_jj [GeV]"), scale, and an optional fixed
/// range (otherwise taken from the data: nice multiples for linear axes, whole decades for log).
public struct Axis: Sendable {
    public var label: String
    public var scale: AxisScale
    public var range: ClosedRange<Double>?
    /// Linear axes only: whether the automatic range must include zero (histograms, bars).
    public var includeZero: Bool

    public init(
        _ label: String, scale: AxisScale = .linear, range: ClosedRange<Double>? = nil, includeZero: Bool = false
    ) {
        self.label = label
        self.scale = scale
        self.range = range
        self.includeZero = includeZero
    }

    /// The axis range for data values `values` (non-finite ignored; non-positive ignored on log).
    func resolvedRange(for values: [Double], headroom: Double = 0) -> ClosedRange<Double> {
        if let range { return range }
        switch scale {
        case .linear:
            let finite = values.filter(\.isFinite)
            var lo = finite.min() ?? 0, hi = finite.max() ?? 1
            if includeZero {
                lo = min(lo, 0)
                hi = max(hi, 0)
            }
            hi += (hi - lo) * headroom
            return Ticks.niceRange(min: lo, max: hi)
        case .log10:
            let positive = values.filter { $0 > 0 && $0.isFinite }
            let lo = positive.min() ?? 0.1, hi = positive.max() ?? 1
            // The lowest value stays visibly above the axis (a bin of 1 on a 1…100 axis would vanish).
            return Ticks.decadeRange(min: lo / 1.5, max: hi * pow(10, headroom * max(log10(hi / lo), 1)))
        }
    }
}

/// Maps data values on an axis range to pixels in [start, end] (end may be < start for y).
struct Scale {
    let scale: AxisScale
    let range: ClosedRange<Double>
    let start: Double
    let end: Double

    func callAsFunction(_ v: Double) -> Double {
        let t: Double
        switch scale {
        case .linear: t = (v - range.lowerBound) / (range.upperBound - range.lowerBound)
        case .log10:
            let clamped = max(v, range.lowerBound * 1e-3)
            t = (log10(clamped) - log10(range.lowerBound)) / (log10(range.upperBound) - log10(range.lowerBound))
        }
        return start + t * (end - start)
    }

    /// Whether `v` can be drawn (finite, and positive on a log axis).
    func drawable(_ v: Double) -> Bool { v.isFinite && (scale == .linear || v > 0) }

    /// Major ticks with labels, and minor ticks.
    func ticks(target: Int) -> (major: [(Double, String)], minor: [Double]) {
        switch scale {
        case .linear:
            let values = Ticks.linear(min: range.lowerBound, max: range.upperBound, target: target)
            let step = values.count > 1 ? values[1] - values[0] : max(abs(range.upperBound), 1)
            return (values.map { ($0, Ticks.label($0, step: step)) }, [])
        case .log10:
            let t = Ticks.log10(min: range.lowerBound, max: range.upperBound)
            if t.major.count >= 2 { return (t.major.map { ($0, Ticks.logLabel($0)) }, t.minor) }
            // Less than two decades visible: label the 2…9 multiples too.
            let all = (t.major + t.minor).sorted()
            return (all.map { ($0, Ticks.label($0, step: $0 / 10)) }, [])
        }
    }
}
