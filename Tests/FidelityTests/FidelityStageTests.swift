import Events
import Foundation
import Generation
import TestSupport
import Testing

@testable import Fidelity

/// The fidelity stage as the grid runs it: typed options that write back what they parse, and
/// fastsim read from several events folders (a grid's generate shards).
@Suite struct FidelityStageTests {
    @Test func optionsRoundTripWithSeveralFastsimFolders() throws {
        let arguments = [
            "--reference", "ref.h5", "--channels", "S_EW,W_EW", "--events", "300", "--seed", "9",
            "--fastsim", "a/events", "b/events", "--folds", "3", "--event-epochs", "4", "--image-epochs", "2",
            "--no-images", "--out", "o",
        ]
        let options = try FidelityStage.Options.parse(arguments)
        #expect(options.fastsim == ["a/events", "b/events"] && options.channels?.values == [.sEW, .wEW])
        #expect(options.commandLine == ["fidelity"] + arguments)
        let grid = FidelityStage.Options(reference: "r.h5", fastsim: ["x", "y"], events: nil, seed: 4, out: "o")
        #expect(try FidelityStage.Options.parse(grid.arguments).commandLine == grid.commandLine)
        #expect(grid.settings == FidelitySettings(seed: 4))
        #expect(throws: (any Error).self) { try FidelityStage.Options.parse(["--reference", "r", "--folds", "1"]) }
    }

    @Test func fastsimFromTwoShardFoldersAgainstTheReference() throws {
        let dir = TestPaths.temporaryDirectory("fidelity-stage")
        // Two shards of one channel, each in its own folder, as two generate tasks write them.
        var folders: [String] = []
        var selected = 0
        for shard in 0..<2 {
            let out = dir.appendingPathComponent("shard\(shard)/events").path
            try GenerateStage(
                options: .init(channel: .sEW, events: 400, seed: 3, out: out, shardSize: 200, shardIndex: shard)
            ).run()
            folders.append(out)
            selected += try #require(SampleLoader.load(out, channels: [.sEW], keepImages: false).samples[.sEW]).count
        }
        let reference = TestPaths.repositoryRoot.appendingPathComponent(
            "Tests/Fixtures/fidelity/pythia-observables.h5"
        ).path
        var options = FidelityStage.Options(
            reference: reference, fastsim: folders, events: nil, seed: 2, out: dir.appendingPathComponent("out").path)
        options.channels = .init([.sEW])
        options.folds = 2
        options.eventEpochs = 2
        try FidelityStage(options: options).run()
        let report = try FidelityReport.read(options.out! + "/fidelity.json")
        let channel = try #require(report.channels.first)
        // Both folders were read: more selected events than either alone, all of them compared
        // (the reference has more).
        #expect(channel.fastsimSelected == selected && channel.compared == selected && selected > 20)
        #expect(channel.fastsimOffered == 400 && report.fastsimGenerator.contains("fastsim"))
        // The output folder is claimed: another configuration is refused.
        options.seed = 3
        #expect(throws: (any Error).self) { try FidelityStage(options: options).run() }
    }
}
