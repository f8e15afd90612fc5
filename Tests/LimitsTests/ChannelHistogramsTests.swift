import Foundation
import Limits
import Statistics
import TestSupport
import Testing

/// Expected-yield weights, the physics table, and the model built from the histograms.
struct ChannelHistogramsTests {
    /// Cut-based bins merge from the top until each holds ≥ 10 background events.
    @Test func cutBasedBinsMergeUntilEveryBinHasBackground() throws {
        let edges = CutBasedLimits.Variable.mjj.edges // 200, 500, 1000, 1500, 2000, 3000, 5000
        // Per bin 50, 30, 12, 3, 0, 1 (the last one is overflow): the top three bins join the 1000–1500 one.
        let values =
            Array(repeating: 300.0, count: 50) + Array(repeating: 700.0, count: 30)
            + Array(repeating: 1200.0, count: 12)
            + Array(repeating: 1700.0, count: 3) + [6000]
        #expect(try CutBasedLimits.mergedEdges(edges, background: values) == [200, 500, 1000, 5000])
        // Enough everywhere: unchanged. Values below the first edge count in the first bin.
        let plenty = edges.dropLast().flatMap { Array(repeating: $0 + 1, count: 10) }
        #expect(try CutBasedLimits.mergedEdges(edges, background: plenty) == edges)
        #expect(
            try CutBasedLimits.mergedEdges(
                [0, 1, 2, 3],
                background: Array(repeating: -5.0, count: 3) + Array(repeating: 1.5, count: 20)
                    + Array(repeating: 2.5, count: 20)) == [0, 2, 3])
        // Too few in all: one bin.
        #expect(try CutBasedLimits.mergedEdges([0, 1, 2], background: [0.5, 1.5]) == [0, 2])
    }

    /// Every channel's weights sum to N_c(L) when all its events pass; Σw² = N_c²/n_c.
    @Test func weightsSumToTheExpectedYields() throws {
        let channel: [UInt8] = (0..<600).map { UInt8($0 % 6) } + [0, 0, 3]
        let counts = Dictionary(grouping: channel, by: { PhysicsTable.channels[Int($0)] }).mapValues(\.count)
        let values: [Double?] = channel.indices.map { Double($0 % 97) / 97 }
        let table = PhysicsTable.default
        for luminosity in [36.0, 140, 300] {
            let sigmaEff = Dictionary(
                uniqueKeysWithValues: PhysicsTable.channels.map { name in
                    (
                        name,
                        (PhysicsTable.signalChannels.contains(name) ? table.signalYield : table.backgroundYield)
                            * table.fractions[name]! / table.referenceLuminosityFb
                    )
                })
            let expected = sigmaEff.mapValues { $0 * luminosity }
            let h = try ChannelHistograms(
                edges: [0, 0.25, 0.5, 1], values: values, channel: channel, expected: expected,
                validationCounts: counts)
            for name in PhysicsTable.channels {
                let sum = h.nominal[name]!.total, n = Double(counts[name]!)
                #expect(
                    abs(sum - expected[name]!) <= 1e-9 * expected[name]!,
                    "\(name) at \(luminosity): \(sum) vs \(expected[name]!)")
                let sumw2 = h.nominal[name]!.sumw2.reduce(0, +)
                #expect(abs(sumw2 - expected[name]! * expected[name]! / n) <= 1e-9 * sumw2)
            }
            let model = h.model(SystematicsSettings())
            #expect(model.samples.map(\.name) == PhysicsTable.channels)
            #expect(model.samples.filter(\.isSignal).map(\.name) == ["S_EW", "S_QCD"])
            #expect(model.samples.map { $0.xsecUncertainty! } == [0.05, 0.10, 0.10, 0.10, 0.10, 0.10])
            #expect(model.lumiUncertainty == 0.025)
        }
        // Totals of the default table keep the paper's class proportions.
        let signal = table.fractions["S_EW"]! + table.fractions["S_QCD"]!
        let background = ["Z_QCD", "W_QCD", "Z_EW", "W_EW"].reduce(0) { $0 + table.fractions[$1]! }
        #expect(abs(signal - 1) < 1e-12 && abs(background - 1) < 2e-5) // the paper's percentages add to 99.999
    }

    /// Failing events are left out; values beyond the edges go to the end bins.
    @Test func cutsAndOverflow() throws {
        let h = try ChannelHistograms(
            edges: [200, 500, 1000], values: [100, 600, 7000, nil], channel: [0, 0, 0, 0],
            expected: Dictionary(uniqueKeysWithValues: PhysicsTable.channels.map { ($0, 8.0) }),
            validationCounts: Dictionary(uniqueKeysWithValues: PhysicsTable.channels.map { ($0, 4) }))
        #expect(h.nominal["S_EW"]!.sumw == [2, 4])
    }

    @Test func physicsTableFileOverridesAndErrors() throws {
        let dir = TestPaths.temporaryDirectory("physics-table")
        let good = dir.appendingPathComponent("good.json")
        try Data(#"{"signal_yield": 100, "background_yield": 1000}"#.utf8).write(to: good)
        let table = try PhysicsTable.load(from: good.path)
        #expect(
            table.signalYield == 100 && table.backgroundYield == 1000
                && table.fractions == PhysicsTable.default.fractions)
        let bad = dir.appendingPathComponent("bad.json")
        try Data(#"{"signal_yield": -3}"#.utf8).write(to: bad)
        #expect { try PhysicsTable.load(from: bad.path) } throws: {
            "\($0)".contains("signal_yield") && "\($0)".contains(bad.path)
        }
        #expect { try PhysicsTable.load(from: dir.appendingPathComponent("missing.json").path) } throws: {
            "\($0)".contains("no such file")
        }
    }
}
