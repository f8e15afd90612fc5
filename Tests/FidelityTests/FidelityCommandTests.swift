import Foundation
import TestSupport
import Testing

@testable import Fidelity

/// `vbfgrid fidelity` end to end (the built binary): against the committed reference, and the
/// export of a reference's observables, which reads back as the same events.
@Suite struct FidelityCommandTests {
    static let fixture = TestPaths.repositoryRoot.appendingPathComponent(
        "Tests/Fixtures/fidelity/pythia-observables.h5"
    ).path

    @Test func commandWritesTheRunFolder() throws {
        let dir = TestPaths.temporaryDirectory("fidelity-command")
        let out = dir.appendingPathComponent("run").path
        let run = try Launcher.vbfgrid([
            "fidelity", "--reference", Self.fixture, "--channels", "S_EW,Z_QCD", "--events", "150",
            "--folds", "3", "--event-epochs", "5", "--seed", "2", "--out", out,
        ])
        #expect(run.status == 0, "\(run.combined)")
        #expect(run.stdout.contains("S_EW: 150 events, event AUC"))
        let report = try FidelityReport.read(out + "/fidelity.json")
        #expect(report.channels.map(\.channel) == ["S_EW", "Z_QCD"])
        #expect(report.channels.allSatisfy { $0.compared == 150 && $0.imageAUC == nil && $0.eventAUC.folds.count == 3 })
        #expect(report.referenceGenerator.hasPrefix("pythia8 8.317") && report.fastsimGenerator.contains("seed 2"))
        #expect(FileManager.default.fileExists(atPath: out + "/index.html"))
        #expect(FileManager.default.fileExists(atPath: out + "/observables-Z_QCD.svg"))

        let exported = dir.appendingPathComponent("exported.h5").path
        let export = try Launcher.vbfgrid([
            "fidelity", "--reference", Self.fixture, "--channels", "W_EW",
            "--export-observables", exported,
        ])
        #expect(export.status == 0, "\(export.combined)")
        let original = try #require(
            try SampleLoader.load(Self.fixture, channels: [.wEW], keepImages: false).samples[.wEW])
        let copy = try #require(try SampleLoader.load(exported, channels: [.wEW], keepImages: false).samples[.wEW])
        #expect(copy.count == original.count && copy.offered == original.offered)
        #expect(
            zip(copy.observables, original.observables).allSatisfy { a, b in
                zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
            })
    }
}
