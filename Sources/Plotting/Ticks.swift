import Foundation

/// Axis tick positions and labels: "nice" linear steps (1, 2, 5 × 10ⁿ) and log10 decades.
public enum Ticks {
    /// The nice step (1, 2 or 5 × 10ⁿ) giving about `target` intervals over `span`.
    public static func niceStep(span: Double, target: Int = 5) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let rough = span / Double(max(target, 1))
        let magnitude = pow(10, floor(Foundation.log10(rough)))
        let residual = rough / magnitude
        let nice: Double = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10
        return nice * magnitude
    }

    /// Multiples of the nice step inside [min, max] (inclusive, with a tolerance of 10⁻⁹ step).
    public static func linear(min lo: Double, max hi: Double, target: Int = 5) -> [Double] {
        guard hi > lo else { return [lo] }
        let step = niceStep(span: hi - lo, target: target)
        let first = (lo / step - 1e-9).rounded(.up)
        let last = (hi / step + 1e-9).rounded(.down)
        guard last >= first else { return [] }
        return stride(from: first, through: last, by: 1).map { snap($0 * step, step: step) }
    }

    /// `value` rounded to the decimals of `step` (0.6000000000000001 → 0.6), and −0 → 0.
    static func snap(_ value: Double, step: Double) -> Double {
        let scale = pow(10, max(0, -floor(Foundation.log10(step)) + 1))
        let v = (value * scale).rounded() / scale
        return v == 0 ? 0 : v
    }

    /// [min, max] widened outwards to multiples of the nice step.
    public static func niceRange(min lo: Double, max hi: Double, target: Int = 5) -> ClosedRange<Double> {
        if !(hi > lo) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            return (lo - pad)...(hi + pad)
        }
        let step = niceStep(span: hi - lo, target: target)
        return snap(floor(lo / step + 1e-9) * step, step: step)...snap(ceil(hi / step - 1e-9) * step, step: step)
    }

    /// Major ticks at powers of ten inside [min, max] (every k-th decade when there are more
    /// than `maxMajor`), and minor ticks at 2…9 × 10ⁿ when the range spans at most six decades.
    public static func log10(min lo: Double, max hi: Double, maxMajor: Int = 8) -> (major: [Double], minor: [Double]) {
        guard lo > 0, hi > lo else { return ([], []) }
        let firstDecade = Int((Foundation.log10(lo) - 1e-9).rounded(.up))
        let lastDecade = Int((Foundation.log10(hi) + 1e-9).rounded(.down))
        var major: [Double] = []
        if lastDecade >= firstDecade {
            let count = lastDecade - firstDecade + 1
            let every = max(1, Int((Double(count) / Double(maxMajor)).rounded(.up)))
            for e in stride(from: firstDecade, through: lastDecade, by: every) { major.append(pow(10, Double(e))) }
        }
        var minor: [Double] = []
        let span = Foundation.log10(hi) - Foundation.log10(lo)
        if span <= 6 {
            for e in Int(Foundation.log10(lo).rounded(.down))...Int(Foundation.log10(hi).rounded(.up)) {
                for m in 2...9 {
                    let v = Double(m) * pow(10, Double(e))
                    if v >= lo * (1 - 1e-9), v <= hi * (1 + 1e-9) { minor.append(v) }
                }
            }
        }
        return (major, minor)
    }

    /// [min, max] widened outwards to whole decades.
    public static func decadeRange(min lo: Double, max hi: Double) -> ClosedRange<Double> {
        let a = pow(10, (Foundation.log10(lo) + 1e-9).rounded(.down))
        var b = pow(10, (Foundation.log10(hi) - 1e-9).rounded(.up))
        if b <= a { b = a * 10 }
        return a...b
    }

    /// The label of a linear tick `value` on an axis with tick spacing `step`: just enough
    /// decimals for the step; scientific notation outside 10⁻³ … 10⁶.
    public static func label(_ value: Double, step: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e6 || magnitude < 1e-3 { return power(value) }
        let decimals = max(0, Int((-Foundation.log10(step) - 1e-9).rounded(.up)))
        return String(format: "%.\(decimals)f", value)
    }

    /// The label of a decade tick: plain numbers from 0.001 to 10⁴, otherwise 10ⁿ.
    public static func logLabel(_ value: Double) -> String {
        let e = Int(Foundation.log10(value).rounded())
        if abs(value / pow(10, Double(e)) - 1) > 1e-6 { return label(value, step: value / 10) }
        if e >= 0 && e <= 4 { return String(Int(pow(10, Double(e)))) }
        if e < 0 && e >= -3 { return String(format: "%.\(-e)f", pow(10, Double(e))) }
        return "10" + superscript(e)
    }

    /// m×10ⁿ with Unicode superscripts.
    static func power(_ value: Double) -> String {
        let e = Int(Foundation.log10(abs(value)).rounded(.down))
        let m = value / pow(10, Double(e))
        let mantissa = abs(m - m.rounded()) < 1e-6 ? String(Int(m.rounded())) : String(format: "%.1f", m)
        return mantissa == "1" ? "10" + superscript(e) : mantissa + "×10" + superscript(e)
    }

    static func superscript(_ n: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (n < 0 ? "⁻" : "") + String(abs(n)).map { digits[Int(String($0))!] }
    }
}
