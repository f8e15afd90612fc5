import Foundation
import Metrics
import TestSupport
import Testing

/// Separation ⟨S²⟩ (eq. 3.2) on distributions with known values, weighted Pearson matrices
/// against numpy, and weighted histograms whose weights sum to the expected yields.
@Suite struct FeatureStatisticsTests {
    @Test func separationKnownValues() throws {
        let grid = (0..<1000).map { (Double($0) + 0.5) / 1000 }
        // Identical → 0; disjoint → 1; uniform [0, 1] vs uniform [0.5, 1.5] → ½.
        #expect(try Separation.compute(signal: grid, background: grid, bins: 50) == 0)
        #expect(abs(try Separation.compute(signal: grid, background: grid.map { $0 + 2 }, bins: 60) - 1) < 1e-12)
        let shifted = grid.map { $0 + 0.5 }
        #expect(abs(try Separation.compute(signal: grid, background: shifted, bins: 30, range: 0...1.5) - 0.5) < 1e-12)
        // Weights: doubling every weight of one class changes nothing.
        let a = try Separation.compute(signal: grid, background: shifted.map { $0 * 0.9 }, bins: 40)
        let b = try Separation.compute(
            signal: grid, signalWeights: grid.map { _ in 2 }, background: shifted.map { $0 * 0.9 }, bins: 40)
        #expect(abs(a - b) < 1e-12)
    }

    /// The feature rule: quantile range, folded tails, bins by sample size.
    @Test func featureSeparationFoldsTheTailsAndScalesItsBins() throws {
        let grid = (0..<4000).map { (Double($0) + 0.5) / 4000 }
        #expect(try Separation.ofFeature(signal: grid, background: grid) == 0)
        #expect(abs(try Separation.ofFeature(signal: grid, background: grid.map { $0 + 2 }) - 1) < 1e-12)
        // uniform [0, 1] vs uniform [0.5, 1.5]: ½ whatever the binning, as long as the bins align with 0.5 and 1.
        let shifted = grid.map { $0 + 0.5 }
        let half = try Separation.ofFeature(signal: grid, background: shifted)
        #expect(abs(half - 0.5) < 0.02, "got \(half)")
        // One huge outlier (m_jj's tail) lies beyond the 99.5% quantile: it is folded into the last
        // bin instead of stretching the binning, so the separation barely moves.
        let withOutlier = try Separation.ofFeature(signal: grid + [1e6], background: shifted)
        #expect(abs(withOutlier - half) < 0.01)
        #expect(
            Separation.bins(events: 100) == 10 && Separation.bins(events: 1_000) == 20
                && Separation.bins(events: 10_000) == 50)
        #expect(throws: MetricsError.self) { try Separation.ofFeature(signal: [.nan], background: [1]) }
    }

    @Test func correlationMatchesNumpy() throws {
        let d = ROCTests.data(count: 200, seed: 5)
        let x = d.scores.enumerated().map { i, s in s + 0.01 * Double(i % 7) }
        let y = x.enumerated().map { i, v in 0.5 * v + 0.2 * Double((i * 13) % 5) }
        let z = d.weights.map { -$0 }
        let columns = [x, y, z]
        let ours = try Correlation.matrix(columns, weights: d.weights)
        let dir = TestPaths.temporaryDirectory("corr")
        let input = dir.appendingPathComponent("in.json")
        try JSONSerialization.data(withJSONObject: ["columns": columns, "weights": d.weights]).write(to: input)
        let script = """
            import json, sys, numpy as np
            d = json.load(open(sys.argv[1]))
            c = np.cov(np.array(d["columns"]), aweights=np.array(d["weights"]))
            s = np.sqrt(np.diag(c))
            print(json.dumps((c / np.outer(s, s)).tolist()))
            """
        let run = try Launcher.run("/usr/bin/python3", ["-c", script, input.path], timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        let numpy = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [[Double]]
        for i in 0..<3 { for j in 0..<3 { #expect(abs(ours[i][j] - numpy[i][j]) < 1e-12, "(\(i), \(j))") } }
        #expect(abs(try Correlation.matrix([x, x.map { 3 - 2 * $0 }])[0][1] + 1) < 1e-12)
        let split = try Correlation.classWise(columns, isSignal: d.isSignal, weights: d.weights)
        #expect(split.signal.count == 3 && split.background.count == 3)
    }

    @Test func histogramSumsAndYieldWeights() throws {
        let channels = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2]
        let scores = [0.05, 0.5, 0.95, 0.3, 1.0, 0.0, 0.11, 0.12, 0.7, 0.99]
        let yields: [Int: Double] = [0: 12.5, 1: 300, 2: 7.25]
        let weights = try ExpectedYields.eventWeights(channels: channels, expected: yields)
        for (c, n) in yields {
            let sum = zip(channels, weights).filter { $0.0 == c }.reduce(0) { $0 + $1.1 }
            #expect(abs(sum - n) < 1e-12 * n)
        }
        var h = try WeightedHistogram(edges: [0, 0.1, 0.5, 1])
        try h.fill(scores, weights: weights)
        #expect(abs(h.total - yields.values.reduce(0, +)) < 1e-9)
        let w2 = 7.25 / 5
        #expect(h.entries == [2, 3, 5])
        #expect(abs(h.sumw[1] - (150 + 2 * w2)) < 1e-12)
        #expect(abs(h.sumw2[1] - (150 * 150 + 2 * w2 * w2)) < 1e-9)
        #expect(throws: MetricsError.self) { try ExpectedYields.eventWeights(channels: [3], expected: yields) }
        #expect(throws: MetricsError.self) { try WeightedHistogram(edges: [0, 0]) }
    }
}
