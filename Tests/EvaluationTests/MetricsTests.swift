import Evaluation
import Foundation
import Metrics
import Testing

/// metrics.json quantities on synthetic outputs against independent computations.
struct MetricsTests {
    static func outputs(n: Int, seed: UInt64) -> EvaluationOutputs {
        var state = seed
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var out = EvaluationOutputs(
            score: [], label: [], channel: [], weight: [], eventID: [], network: "K-ANN", run: "r", dataset: "d")
        for e in 0..<n {
            let channel = UInt8(next() % 6)
            let signal = channel < 2
            // Scores on a coarse grid, so that there are many ties.
            let base = Double(next() % 20) / 20 + (signal ? 0.2 : 0)
            out.score.append(Float(min(base, 1)))
            out.label.append(signal ? 1 : 0)
            out.channel.append(channel)
            out.weight.append(1)
            out.eventID += [0, Int64(e)]
        }
        return out
    }

    /// AUC = Mann–Whitney U/(n_S n_B) with ties counted ½, by direct pair counting.
    @Test func aucIsTheMannWhitneyStatistic() throws {
        let out = Self.outputs(n: 700, seed: 3)
        let metrics = try EvaluationMetrics.compute(out)
        let s = zip(out.score, out.label).filter { $0.1 == 1 }.map(\.0),
            b = zip(out.score, out.label).filter { $0.1 == 0 }.map(\.0)
        var u = 0.0
        for x in s { for y in b { u += x > y ? 1 : (x == y ? 0.5 : 0) } }
        let expected = u / Double(s.count * b.count)
        #expect(abs(metrics.auc - expected) < 1e-12, "\(metrics.auc) vs \(expected)")
        #expect(metrics.events == 700)
        #expect(metrics.eventsPerChannel.values.reduce(0, +) == 700)
        let correct = zip(out.score, out.label).filter { ($0.0 >= 0.5) == ($0.1 == 1) }.count
        #expect(metrics.accuracy == Double(correct) / 700)
    }

    @Test func rocEndPointsAndThinning() throws {
        let out = Self.outputs(n: 5000, seed: 9)
        var distinct = out
        distinct.score = out.score.enumerated().map { i, s in s * 0.9 + Float(i) / 5000 * 0.1 } // all scores distinct
        let metrics = try EvaluationMetrics.compute(distinct)
        #expect(metrics.roc.count == EvaluationMetrics.rocMaxPoints)
        #expect(metrics.roc.first!.signalEfficiency == 0 && metrics.roc.first!.backgroundRejection == nil)
        #expect(metrics.roc.last!.signalEfficiency == 1 && metrics.roc.last!.backgroundRejection == 1)
        #expect(zip(metrics.roc, metrics.roc.dropFirst()).allSatisfy { $0.signalEfficiency <= $1.signalEfficiency })
    }

    @Test func histogramsPerChannelHaveUnitArea() throws {
        let metrics = try EvaluationMetrics.compute(Self.outputs(n: 900, seed: 4))
        let h = metrics.outputHistograms
        #expect(h.edges.count == EvaluationMetrics.histogramBins + 1 && h.edges.first == 0 && h.edges.last == 1)
        #expect(Set(h.counts.keys) == Set(EvaluationMetrics.channelNames))
        for (name, density) in h.density {
            let area = density.reduce(0, +) / Double(EvaluationMetrics.histogramBins)
            #expect(abs(area - 1) < 1e-12, "\(name): \(area)")
            #expect(h.counts[name]!.reduce(0, +) == metrics.eventsPerChannel[name])
        }
    }

    /// Feature separations and the class-wise correlation of the best features with the score.
    @Test func featureSeparationAndCorrelation() throws {
        let out = Self.outputs(n: 800, seed: 6)
        let scores = out.score.map(Double.init)
        let noise = (0..<800).map { Double(($0 * 7919) % 101) }
        let features: EvaluationMetrics.FeatureColumns = [
            ("noise", noise), ("copy", scores), ("twice", scores.map { 2 * $0 + 1 }),
        ]
        let metrics = try EvaluationMetrics.compute(out, features: features)
        let separation = try #require(metrics.featureSeparation)
        // Features follow the feature rule (Separation.ofFeature), which is blind to an affine change.
        let isSignal = out.label.map { $0 == 1 }
        let direct = try Separation.ofFeature(
            signal: zip(scores, isSignal).filter(\.1).map(\.0),
            background: zip(scores, isSignal).filter { !$0.1 }.map(\.0))
        #expect(separation["copy"]! == direct && abs(separation["twice"]! - direct) < 1e-9)
        #expect(separation["noise"]! < separation["copy"]!)
        let c = try #require(metrics.correlation)
        #expect(c.columns.last == "score" && c.columns.count == 4)
        let copy = c.columns.firstIndex(of: "copy")!, twice = c.columns.firstIndex(of: "twice")!
        for m in [c.signal, c.background] {
            #expect(abs(m[copy][3] - 1) < 1e-12 && abs(m[twice][3] - 1) < 1e-12)
            for i in 0..<4 { for j in 0..<4 { #expect(m[i][j] == m[j][i]) } }
        }
    }

    /// The rank slices partition the events in order.
    @Test func slicesPartition() {
        for total in [0, 1, 7, 100] {
            for ranks in 1...5 {
                let slices = (0..<ranks).map { EvaluateStage.slice(total: total, rank: $0, ranks: ranks) }
                #expect(slices.first!.lowerBound == 0 && slices.last!.upperBound == total)
                #expect(zip(slices, slices.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
            }
        }
    }

    /// metrics.json is one format: what `write` puts on disk, the snake_case decoder every reader
    /// uses (the report among them) gets back whole, JES AUCs and correlations included.
    @Test func metricsFileRoundTripsThroughTheReadersDecoder() throws {
        let out = Self.outputs(n: 600, seed: 8)
        var metrics = try EvaluationMetrics.compute(
            out,
            features: [
                ("copy", out.score.map(Double.init)),
                ("ramp", (0..<600).map { Double($0) }),
            ])
        metrics.aucJESUp = 0.71
        metrics.aucJESDown = 0.69
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try metrics.write(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"auc_jes_up\"") && text.contains("\"output_histograms\""))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let read = try decoder.decode(EvaluationMetrics.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(read == metrics)
    }
}
