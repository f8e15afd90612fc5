import Foundation
import Statistics
import TestSupport
import Testing

/// Workspaces: JSON round trip, and a model split into two channels gives the same limits as
/// the same bins in one channel (modifiers shared by name across channels).
@Suite struct WorkspaceTests {
    @Test func jsonRoundTrip() throws {
        let workspace = PyhfOracleTests.allSystematics.workspace()
        let decoded = try JSONDecoder().decode(Workspace.self, from: workspace.jsonData())
        #expect(decoded == workspace)
        let text = String(decoding: try workspace.jsonData(), as: UTF8.self)
        #expect(
            text.contains("\"lo_data\"") && text.contains("\"staterror\"") && text.contains("\"version\" : \"1.0.0\""))
    }

    @Test func twoChannelsEqualOneChannelWithTheSameBins() throws {
        let one = PyhfOracleTests.allSystematics.workspace()
        func part(_ range: Range<Int>, _ name: String) -> (Workspace.Channel, Workspace.Observation) {
            let samples = one.channels[0].samples.map { s in
                Workspace.SampleData(
                    name: s.name, data: Array(s.data[range]),
                    modifiers: s.modifiers.map { m in
                        switch m {
                        case let .histosys(n, lo, hi): .histosys(name: n, lo: Array(lo[range]), hi: Array(hi[range]))
                        case let .staterror(n, u): .staterror(name: n, uncertainties: Array(u[range]))
                        case let .shapesys(n, u): .shapesys(name: n, uncertainties: Array(u[range]))
                        default: m
                        }
                    })
            }
            return (
                .init(name: name, samples: samples), .init(name: name, data: Array(one.observations[0].data[range]))
            )
        }
        let (a, oa) = part(0..<1, "low"), (b, ob) = part(1..<3, "high")
        let two = Workspace(channels: [a, b], observations: [oa, ob], measurements: one.measurements)
        let split = try StatisticalModel(workspace: two)
        let single = try StatisticalModel(workspace: one)
        #expect(split.parameters.count == single.parameters.count)
        let bandSplit = try ExpectedLimits.compute(split), bandSingle = try ExpectedLimits.compute(single)
        #expect(maxRelativeDeviation(bandSplit.values, bandSingle.values) < 1e-9)
    }
}
