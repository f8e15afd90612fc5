import Foundation
import Metrics
import Testing

/// The output binning rule: edge bins hold each class with relative error < 15% (n ≥ 45 for
/// unit weights), and are the narrowest such bins on the resolution grid.
@Suite struct OutputBinningTests {
    static func scores() -> (scores: [Double], isSignal: [Bool]) {
        let data = ROCTests.data(count: 4000, seed: 3)
        // Undo the 0.1 rounding with a deterministic spread, then squeeze to [0, 1].
        let s = data.scores.enumerated().map { i, x in min(1, max(0, x + 0.09 * (Double((i * 37) % 101) / 100 - 0.5))) }
        return (s, data.isSignal)
    }

    static func count(_ s: [Double], _ labels: [Bool], _ label: Bool, _ range: (Double, Double), inclusive: Bool) -> Int
    {
        zip(s, labels).filter { $0.1 == label && $0.0 >= range.0 && (inclusive ? $0.0 <= range.1 : $0.0 < range.1) }
            .count
    }

    @Test(arguments: [6, 10])
    func edgeBinsMeetTheRuleAndAreMinimal(bins: Int) throws {
        let (s, labels) = Self.scores()
        let binning = try OutputBinning.compute(scores: s, isSignal: labels, bins: bins)
        let e = binning.edges
        #expect(e.count == bins + 1 && e.first == 0 && e.last == 1)
        #expect(zip(e, e.dropFirst()).allSatisfy { $0 < $1 })
        for label in [true, false] {
            let first = Self.count(s, labels, label, (0, e[1]), inclusive: false)
            let last = Self.count(s, labels, label, (e[bins - 1], 1), inclusive: true)
            #expect(first >= 45 && last >= 45, "class \(label): \(first), \(last)")
        }
        #expect((binning.firstBinErrors + binning.lastBinErrors).allSatisfy { $0 < 0.15 })
        // One resolution step narrower breaks the rule for some class, unless already equal-width.
        if e[1] > 1.0 / Double(bins) + 1e-9 {
            let narrower = [true, false].map { Self.count(s, labels, $0, (0, e[1] - 0.001), inclusive: false) }
            #expect(narrower.min()! < 45)
        }
        if e[bins - 1] < 1 - 1.0 / Double(bins) - 1e-9 {
            let narrower = [true, false].map { Self.count(s, labels, $0, (e[bins - 1] + 0.001, 1), inclusive: true) }
            #expect(narrower.min()! < 45)
        }
        // Inner bins are equal.
        let widths = (1..<(bins - 1)).map { e[$0 + 1] - e[$0] }
        #expect(widths.allSatisfy { abs($0 - widths[0]) < 1e-12 })
    }

    @Test func tooFewEventsIsAnError() {
        let s = [0.1, 0.2, 0.8, 0.9], labels = [false, false, true, true]
        #expect(throws: MetricsError.self) { try OutputBinning.compute(scores: s, isSignal: labels, bins: 6) }
    }
}
