import Foundation
import Events

/// The separation ⟨S²⟩ = ½ ∫ (p_S − p_B)² / (p_S + p_B) dx of eq. 3.2, from weighted
/// histograms of the two classes over a common binning: `bins` equal bins between the 0.5%
/// and 99.5% quantiles of the pooled sample, under/overflow folded into the end bins.
public enum Separation {
    /// The paper's class mixture (§2.3): fractions of each channel in its class.
    public static let paperMixture: [Channel: Double] = [
        .sEW: 0.448, .sQCD: 0.552, .zQCD: 0.51221, .wQCD: 0.44896, .zEW: 0.02295, .wEW: 0.01587,
    ]

    /// ⟨S²⟩ of one feature. `values[i]`, `channels[i]` per event; each channel's events share
    /// the channel's fraction of its class (`mixture`).
    public static func separation(values: [Float], channels: [Channel], mixture: [Channel: Double] = paperMixture,
                                  bins: Int = 50) -> Double {
        precondition(values.count == channels.count)
        var counts = [Int](repeating: 0, count: Channel.allCases.count)
        for c in channels { counts[Int(c.rawValue)] += 1 }
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let lo = Double(sorted[Int(0.005 * Double(sorted.count - 1))])
        let hi = Double(sorted[Int(0.995 * Double(sorted.count - 1))])
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        var s = [Double](repeating: 0, count: bins), b = [Double](repeating: 0, count: bins)
        for (v, c) in zip(values, channels) {
            guard let frac = mixture[c], counts[Int(c.rawValue)] > 0 else { continue }
            let w = frac / Double(counts[Int(c.rawValue)])
            let k = min(bins - 1, max(0, Int((Double(v) - lo) / width)))
            if c.isSignal { s[k] += w } else { b[k] += w }
        }
        let sn = s.reduce(0, +), bn = b.reduce(0, +)
        guard sn > 0, bn > 0 else { return 0 }
        var total = 0.0
        for k in 0..<bins {
            let p = s[k] / sn, q = b[k] / bn
            if p + q > 0 { total += (p - q) * (p - q) / (p + q) }
        }
        return 0.5 * total
    }

    /// Every H feature's separation, sorted by decreasing ⟨S²⟩: (name, value).
    public static func ranking(features: [[Float]], channels: [Channel], names: [String] = Features.hNames,
                               mixture: [Channel: Double] = paperMixture) -> [(name: String, separation: Double)] {
        var out: [(String, Double)] = []
        for (f, name) in names.enumerated() {
            let column = features.map { $0[f] }
            out.append((name, separation(values: column, channels: channels, mixture: mixture)))
        }
        return out.sorted { $0.1 > $1.1 }
    }
}
