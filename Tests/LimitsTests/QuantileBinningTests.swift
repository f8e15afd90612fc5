import Foundation
import Limits
import Metrics
import Random
import Statistics
import Testing

/// Bins at quantiles of the background output (`Metrics.QuantileBinning`, used by the network
/// limits): against a direct computation of the edges, on ties, and unchanged limits under a
/// strictly increasing change of the outputs.
struct QuantileBinningTests {
    /// Scores with a spike of equal background outputs and a coarse grid of ties, six channels.
    static func sample(_ n: Int, seed: UInt64) -> (scores: [Double], channel: [UInt8], isSignal: [Bool]) {
        var rng = SplitMix64(seed: seed)
        var scores: [Double] = [], channel: [UInt8] = []
        for i in 0..<n {
            let c = UInt8(i % 6), signal = c < 2
            var x = Double.random(in: 0..<1, using: &rng)
            x = signal ? x.squareRoot() : x * x // signal high, background low
            if !signal && i % 7 == 0 { x = 0.3 } // a spike of equal outputs
            if i % 5 == 0 { x = (x * 20).rounded() / 20 } // ties on a grid
            scores.append(x)
            channel.append(c)
        }
        return (scores, channel, channel.map { $0 < 2 })
    }

    static let sigmaEfficiency: [String: Double] = Dictionary(
        uniqueKeysWithValues: PhysicsTable.channels.enumerated().map {
            ($0.element, [0.9, 0.4, 30, 25, 3, 2][$0.offset])
        })

    /// The edges by their definition, with every sum taken afresh: for each k the smallest
    /// background value v with W(< v) ≥ k/N·W; then the lowest background value and repeats dropped.
    static func directEdges(scores: [Double], isBackground: [Bool], weights: [Double], bins: Int) -> [Double] {
        let values = Set(scores.indices.filter { isBackground[$0] }.map { scores[$0] }).sorted()
        func below(_ v: Double) -> Double {
            scores.indices.filter { isBackground[$0] && scores[$0] < v }.map { weights[$0] }.reduce(0, +)
        }
        let total = scores.indices.filter { isBackground[$0] }.map { weights[$0] }.reduce(0, +)
        var inner: [Double] = []
        for k in 1..<bins {
            if let v = values.first(where: { below($0) >= Double(k) / Double(bins) * total }), v != values[0],
                !inner.contains(v)
            {
                inner.append(v)
            }
        }
        return [scores.min()!] + inner + [max(scores.max()!, (inner.last ?? -.infinity).nextUp)]
    }

    @Test func edgesMatchTheDefinition() throws {
        for (seed, bins) in [(1, 10), (2, 4), (3, 25)] as [(UInt64, Int)] {
            let s = Self.sample(900, seed: seed)
            var rng = SplitMix64(seed: seed, stream: 9)
            let weights = s.scores.indices.map { _ in Double.random(in: 0.1..<3, using: &rng) }
            let isBackground = s.isSignal.map { !$0 }
            let edges = try QuantileBinning.edges(
                scores: s.scores, isBackground: isBackground, weights: weights, bins: bins)
            #expect(
                edges == Self.directEdges(scores: s.scores, isBackground: isBackground, weights: weights, bins: bins))
            #expect(edges.count <= bins + 1 && zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
            // Every bin holds background; without ties each holds ≈ 1/N of it (within the largest
            // tied group, the 0.3 spike, plus one event).
            var inBin = [Double](repeating: 0, count: edges.count - 1)
            for i in s.scores.indices where isBackground[i] {
                let b = (1..<(edges.count - 1)).last { s.scores[i] >= edges[$0] } ?? 0
                inBin[b] += weights[i]
            }
            #expect(inBin.allSatisfy { $0 > 0 }, "\(inBin)")
        }
        // Unit weights, exact sums: 8 background values 0…7, 4 bins → edges at 2, 4, 6.
        let unit = try QuantileBinning.edges(
            scores: (0..<8).map(Double.init) + [9], isBackground: Array(repeating: true, count: 8) + [false],
            weights: Array(repeating: 1, count: 9), bins: 4)
        #expect(unit == [0, 2, 4, 6, 9])
    }

    /// Degenerate outputs: one background value gives one bin; a spike holding most of the
    /// background merges the bins it would fill.
    @Test func tiesMergeBins() throws {
        let one = try QuantileBinning.edges(
            scores: [0.5, 0.5, 0.5, 0.9], isBackground: [true, true, true, false], weights: [1, 1, 1, 1], bins: 10)
        #expect(one == [0.5, 0.9])
        // 80% of the background at 0.2, the rest at 0.4 and 0.6: quantiles 0.1…0.8 fall at 0.4, 0.9 at 0.6.
        let spike = try QuantileBinning.edges(
            scores: Array(repeating: 0.2, count: 8) + [0.4, 0.6], isBackground: Array(repeating: true, count: 10),
            weights: Array(repeating: 1, count: 10), bins: 10)
        #expect(spike == [0.2, 0.4, 0.6, 0.6.nextUp])
        #expect { try QuantileBinning.edges(scores: [0.1], isBackground: [false], weights: [1], bins: 3) } throws: {
            "\($0)".contains("background events")
        }
        #expect { try QuantileBinning.edges(scores: [.nan], isBackground: [true], weights: [1], bins: 3) } throws: {
            "\($0)".contains("score 0 is nan")
        }
    }

    /// The network limits' quantile rule gives the same histograms and limits for the outputs x
    /// and 0.5 + 0.001·tanh(x) (a strictly increasing change squeezing them into [0.4992, 0.5008]),
    /// with the JES-varied outputs changed the same way.
    @Test func limitsAreInvariantUnderAnIncreasingChangeOfTheOutputs() throws {
        let s = Self.sample(1200, seed: 7)
        let counts = Dictionary(grouping: s.channel, by: { PhysicsTable.channels[Int($0)] }).mapValues(\.count)
        let up = s.scores.map { $0 * 1.03 }, down = s.scores.map { $0 * 0.97 }
        let squeeze = { (x: Double) in 0.5 + 0.001 * tanh(x) }
        func histograms(_ f: @escaping (Double) -> Double) throws -> ChannelHistograms {
            let edges = try NetworkLimits.quantileEdges(
                scores: s.scores.map(f), channel: s.channel, isSignal: s.isSignal, bins: 10,
                sigmaEfficiencyFb: Self.sigmaEfficiency, validationCounts: counts)
            return try ChannelHistograms(
                edges: edges, values: s.scores.map(f), up: up.map(f), down: down.map(f), channel: s.channel,
                expected: Self.sigmaEfficiency.mapValues { $0 * 36 }, validationCounts: counts)
        }
        let plain = try histograms { $0 }, squeezed = try histograms(squeeze)
        #expect(plain.edges.count == 11)
        #expect(Array(squeezed.edges.dropFirst().dropLast()) == Array(plain.edges.dropFirst().dropLast()).map(squeeze))
        for name in PhysicsTable.channels {
            #expect(plain.nominal[name]!.sumw == squeezed.nominal[name]!.sumw, "\(name)")
            #expect(plain.nominal[name]!.sumw2 == squeezed.nominal[name]!.sumw2, "\(name)")
            #expect(plain.up![name]!.sumw == squeezed.up![name]!.sumw, "\(name)")
            #expect(plain.down![name]!.sumw == squeezed.down![name]!.sumw, "\(name)")
        }
        var settings = SystematicsSettings()
        settings.jes = true
        let a = try ExpectedLimits.compute(plain.model(settings))
        let b = try ExpectedLimits.compute(squeezed.model(settings))
        #expect(a == b && a.median > 0 && a.median.isFinite, "\(a) vs \(b)")
    }
}
