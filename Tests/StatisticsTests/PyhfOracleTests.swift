import Foundation
import Statistics
import TestSupport
import Testing

/// Workspaces exported by vbfgrid, given to real pyhf 0.7.6 (tools/pyhf_limits.py, in a venv
/// under .build/ that this test creates when missing), give the same limits within 1e-4.
@Suite(.serialized) struct PyhfOracleTests {
    static func pyhf(_ workspace: Workspace) throws -> (expected: [Double], observed: Double) {
        let file = TestPaths.temporaryDirectory("pyhf").appendingPathComponent("workspace.json")
        try workspace.write(to: file)
        let script = TestPaths.repositoryRoot.appendingPathComponent("tools/pyhf_limits.py").path
        let run = try Launcher.run(
            try Python.pyhf(), [script, file.path, "--tolerance", "1e-10", "--rtol", "1e-8"], timeout: 600)
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        let band = object["expected"] as! [String: Double]
        return ((-2...2).map { band[String($0)]! }, object["observed"] as! Double)
    }

    /// Three bins, two signal and two background samples, every systematic kind of the analysis.
    static let allSystematics = HistFactoryModel(
        samples: [
            Sample(
                name: "S_EW", counts: [5, 12, 20], sumw2: [0.4, 0.9, 1.5], isSignal: true, xsecUncertainty: 0.05,
                shapeUp: [5.3, 12.9, 21.8], shapeDown: [4.8, 11.4, 18.9]),
            Sample(name: "S_QCD", counts: [8, 6, 3], sumw2: [0.7, 0.5, 0.3], isSignal: true, xsecUncertainty: 0.15),
            Sample(
                name: "Z_QCD", counts: [400, 150, 40], sumw2: [30, 15, 6], isSignal: false, xsecUncertainty: 0.1,
                shapeUp: [410, 158, 44], shapeDown: [392, 143, 37]),
            Sample(name: "W_EW", counts: [10, 8, 6], isSignal: false, xsecUncertainty: 0.2),
        ], lumiUncertainty: 0.025)

    @Test func exportedModelGivesPyhfsLimits() throws {
        let workspace = Self.allSystematics.workspace()
        let band = try ExpectedLimits.compute(try StatisticalModel(workspace: workspace))
        let reference = try Self.pyhf(workspace)
        #expect(
            abs(band.median - reference.expected[2]) / reference.expected[2] < 1e-4,
            "\(band.median) vs \(reference.expected[2])")
        #expect(maxRelativeDeviation(band.values, reference.expected) < 1e-4, "\(band.values) vs \(reference.expected)")
    }

    @Test func shapesysWithObservedDataGivesPyhfsLimits() throws {
        let workspace = PyhfDoctestTests.workspace()
        let calculator = try AsymptoticCalculator(model: StatisticalModel(workspace: workspace))
        let band = try ExpectedLimits.compute(calculator)
        let observed = try ObservedLimit.compute(calculator)
        let reference = try Self.pyhf(workspace)
        #expect(maxRelativeDeviation(band.values, reference.expected) < 1e-4, "\(band.values) vs \(reference.expected)")
        #expect(abs(observed - reference.observed) / reference.observed < 1e-4, "\(observed) vs \(reference.observed)")
    }
}
