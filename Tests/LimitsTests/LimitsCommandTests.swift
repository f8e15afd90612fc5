import Foundation
import Statistics
import TestSupport
import Testing

/// `vbfgrid limits --model` end to end: JSON output on every reference case of
/// Tests/Fixtures/limits/, the pyhf export, and clear errors for bad files.
@Suite struct LimitsCommandTests {
    /// The five expected limits of `limits --model … --json` output.
    func expectedBand(_ output: ProcessOutput) throws -> [Double] {
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let band = try #require(object?["expected"] as? [String: Double], "no 'expected' in \(output.combined)")
        return try (-2...2).map { try #require(band[String($0)]) }
    }

    @Test(arguments: try LimitCase.all())
    func jsonOutputMatchesPyhf(_ reference: LimitCase) throws {
        let run = try Launcher.vbfgrid(["limits", "--model", reference.url.path, "--json"], timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(maxRelativeDeviation(try expectedBand(run), reference.expected) < 1e-4)
    }

    @Test func exportWritesTheWorkspace() throws {
        let reference = try LimitCase.named("pub_nnP10_all_140")
        let out = TestPaths.temporaryDirectory().appendingPathComponent("ws.json")
        let run = try Launcher.vbfgrid(
            ["limits", "--model", reference.url.path, "--export-pyhf", out.path], timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("median"))
        let written = try JSONDecoder().decode(Workspace.self, from: Data(contentsOf: out))
        guard case let .simple(model) = try ModelFile.load(reference.url) else {
            Issue.record("\(reference.url.path): no 'simple' block")
            return
        }
        #expect(written == model.workspace())
        // The exported workspace is itself a valid --model input with the same limits.
        let again = try Launcher.vbfgrid(["limits", "--model", out.path, "--json"], timeout: 60)
        #expect(abs(try expectedBand(again)[2] - reference.expected[2]) / reference.expected[2] < 1e-4)
    }

    @Test func malformedModelGivesAClearError() throws {
        let dir = TestPaths.temporaryDirectory()
        let file = dir.appendingPathComponent("broken.json")
        try Data(
            #"{"simple": {"lumi_unc": null, "samples": [{"name": "S", "counts": [1, 2], "is_signal": true}, {"name": "B", "counts": [3], "is_signal": false}]}}"#
                .utf8
        ).write(to: file)
        let run = try Launcher.vbfgrid(["limits", "--model", file.path, "--json"], timeout: 60)
        #expect(run.status != 0)
        #expect(run.stderr.contains(file.path) && run.stderr.contains("simple.samples[1].counts"), "\(run.stderr)")
        #expect(!run.combined.contains("Fatal error") && !run.combined.contains("nan"))
        let missing = try Launcher.vbfgrid(
            ["limits", "--model", dir.appendingPathComponent("none.json").path], timeout: 60)
        #expect(missing.status != 0 && missing.stderr.contains("none.json"))
    }
}
