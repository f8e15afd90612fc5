import Foundation
import Metrics
import Testing

/// ROC and AUC against the Mann–Whitney U statistic (pairwise, ties counted ½), with ties and
/// with weights, and the curve's end points.
@Suite struct ROCTests {
    /// Deterministic data with many ties: scores on a 0.1 grid.
    static func data(count: Int, seed: UInt64) -> (scores: [Double], isSignal: [Bool], weights: [Double]) {
        var state = seed
        func next() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
        var scores: [Double] = [], labels: [Bool] = [], weights: [Double] = []
        for _ in 0..<count {
            let signal = next() < 0.45
            let x = min(1, max(0, (signal ? 0.62 : 0.38) + 0.3 * (next() - 0.5) + 0.3 * (next() - 0.5)))
            scores.append((x * 10).rounded() / 10)
            labels.append(signal)
            weights.append(0.2 + next())
        }
        return (scores, labels, weights)
    }

    static func mannWhitney(_ scores: [Double], _ isSignal: [Bool], _ weights: [Double]) -> Double {
        var u = 0.0, ws = 0.0, wb = 0.0
        for i in scores.indices where isSignal[i] { ws += weights[i] }
        for j in scores.indices where !isSignal[j] { wb += weights[j] }
        for i in scores.indices where isSignal[i] {
            for j in scores.indices where !isSignal[j] {
                let w = weights[i] * weights[j]
                if scores[i] > scores[j] { u += w } else if scores[i] == scores[j] { u += 0.5 * w }
            }
        }
        return u / (ws * wb)
    }

    @Test func aucEqualsMannWhitneyWithTies() throws {
        let d = Self.data(count: 700, seed: 7)
        #expect(Set(d.scores).count <= 11) // heavily tied
        let unit = [Double](repeating: 1, count: d.scores.count)
        let auc = try ROC.auc(scores: d.scores, isSignal: d.isSignal)
        #expect(abs(auc - Self.mannWhitney(d.scores, d.isSignal, unit)) < 1e-12)
        let weighted = try ROC.auc(scores: d.scores, isSignal: d.isSignal, weights: d.weights)
        #expect(abs(weighted - Self.mannWhitney(d.scores, d.isSignal, d.weights)) < 1e-12)
        #expect(auc > 0.6 && auc < 1)
    }

    @Test func endPointsAndMonotonicity() throws {
        let d = Self.data(count: 300, seed: 11)
        let curve = try ROC.curve(scores: d.scores, isSignal: d.isSignal, weights: d.weights)
        #expect(curve.first!.signalEfficiency == 0 && curve.first!.backgroundEfficiency == 0)
        #expect(curve.first!.backgroundRejection == .infinity)
        #expect(curve.last!.signalEfficiency == 1 && curve.last!.backgroundEfficiency == 1)
        #expect(curve.last!.backgroundRejection == 1)
        #expect(curve.count == Set(d.scores).count + 1)
        for (a, b) in zip(curve, curve.dropFirst()) {
            #expect(a.signalEfficiency <= b.signalEfficiency && a.backgroundEfficiency <= b.backgroundEfficiency)
            #expect(a.threshold > b.threshold)
        }
    }

    @Test func perfectAndInvertedClassifiers() throws {
        #expect(try ROC.auc(scores: [0.9, 0.8, 0.2, 0.1], isSignal: [true, true, false, false]) == 1)
        #expect(try ROC.auc(scores: [0.1, 0.2, 0.8, 0.9], isSignal: [true, true, false, false]) == 0)
        #expect(try ROC.auc(scores: [0.5, 0.5, 0.5, 0.5], isSignal: [true, false, true, false]) == 0.5)
    }

    @Test func invalidInputsThrow() {
        #expect(throws: MetricsError.self) { try ROC.auc(scores: [0.1, 0.2], isSignal: [true]) }
        #expect(throws: MetricsError.self) { try ROC.auc(scores: [0.1, 0.2], isSignal: [true, true]) }
        #expect(throws: MetricsError.self) { try ROC.auc(scores: [0.1, .nan], isSignal: [true, false]) }
        #expect(throws: MetricsError.self) {
            try ROC.auc(scores: [0.1, 0.2], isSignal: [true, false], weights: [1, -1])
        }
    }
}
