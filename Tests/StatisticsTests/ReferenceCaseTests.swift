import Foundation
import Statistics
import TestSupport
import Testing

/// Every reference case reproduces pyhf 0.7.6's five expected limits within 1e-4 relative,
/// from the `simple` block and from the equivalent `workspace` block (Tests/Fixtures/limits/).
@Suite struct ReferenceCaseTests {
    @Test func casesArePresent() throws {
        #expect(try LimitCase.all().count == 10)
    }

    @Test(arguments: try LimitCase.all())
    func simpleBlockMatchesPyhf(_ reference: LimitCase) throws {
        let band = try ExpectedLimits.compute(try reference.model())
        let deviation = maxRelativeDeviation(band.values, reference.expected)
        #expect(deviation < 1e-4, "\(reference.name): \(band.values) vs \(reference.expected)")
        #expect(
            band.minus2 < band.minus1 && band.minus1 < band.median && band.median < band.plus1
                && band.plus1 < band.plus2)
    }

    @Test(arguments: try LimitCase.all())
    func workspaceBlockMatchesPyhf(_ reference: LimitCase) throws {
        let data = try JSONSerialization.data(
            withJSONObject: try JSONObject(contentsOf: reference.url).value("workspace", as: [String: Any].self))
        guard case let .workspace(workspace) = try ModelFile.parse(data, source: reference.name) else {
            Issue.record("not read as a workspace")
            return
        }
        let band = try ExpectedLimits.compute(try StatisticalModel(workspace: workspace))
        #expect(maxRelativeDeviation(band.values, reference.expected) < 1e-4, "\(reference.name): \(band.values)")
    }

    /// The plain form encodes to the case's own workspace block (same modifiers, same numbers).
    @Test(arguments: try LimitCase.all())
    func exportedWorkspaceEqualsCaseWorkspace(_ reference: LimitCase) throws {
        let data = try JSONSerialization.data(
            withJSONObject: try JSONObject(contentsOf: reference.url).value("workspace", as: [String: Any].self))
        let expected = try JSONDecoder().decode(Workspace.self, from: data)
        let exported = try reference.model().workspace()
        #expect(exported.channels.map(\.name) == expected.channels.map(\.name))
        for (a, b) in zip(exported.channels[0].samples, expected.channels[0].samples) {
            #expect(a.name == b.name)
            #expect(a.data == b.data)
            #expect(a.modifiers.map(\.type).sorted() == b.modifiers.map(\.type).sorted(), "\(a.name)")
            #expect(a.modifiers.map(\.name).sorted() == b.modifiers.map(\.name).sorted(), "\(a.name)")
            for m in a.modifiers {
                guard let other = b.modifiers.first(where: { $0.type == m.type }) else { continue }
                switch (m, other) {
                case let (.staterror(_, u), .staterror(_, v)): #expect(maxRelativeDeviation(u, v) < 1e-12)
                case let (.normsys(_, lo, hi), .normsys(_, lo2, hi2)):
                    #expect(abs(lo - lo2) < 1e-12 && abs(hi - hi2) < 1e-12)
                default: #expect(m == other)
                }
            }
        }
        // The case files store the Asimov observations rounded to about six digits.
        #expect(maxRelativeDeviation(exported.observations[0].data, expected.observations[0].data) < 1e-5)
        #expect(exported.measurements[0].config.parameters == expected.measurements[0].config.parameters)
    }
}
