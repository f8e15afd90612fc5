import Events
import Foundation
import TestSupport
import Testing

/// `vbfgrid generate --generator files` (the grid's `generator: files`): existing events files
/// of the channel are copied unchanged into the output folder.
@Suite struct GenerateFilesTests {
    @Test func copiesTheChannelsFilesAndRefusesAnotherChannel() throws {
        let dir = TestPaths.temporaryDirectory("generate-files")
        let source = dir.appendingPathComponent("source").path
        let made = try Launcher.vbfgrid(
            [
                "generate", "--channel", "Z_EW", "--events", "40", "--seed", "5", "--out", source,
                "--shard-size", "25",
            ], timeout: 300)
        #expect(made.status == 0, "\(made.combined)")
        // The arguments the grid writes for a `files` channel.
        let out = dir.appendingPathComponent("task/events").path
        let copy = try Launcher.vbfgrid(
            [
                "generate", "--channel", "Z_EW", "--events", "40", "--seed", "9", "--out", out,
                "--shard-size", "1000", "--generator", "files", "--input", source,
            ], timeout: 300)
        #expect(copy.status == 0, "\(copy.combined)")
        // Beside the events files, each folder holds the producer.json of its own generate run.
        func events(_ folder: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".h5") }.sorted()
        }
        let names = try events(source)
        #expect(names == ["Z_EW-s5-00000.h5", "Z_EW-s5-00001.h5"])
        #expect(try events(out) == names)
        for name in names {
            #expect(
                FileManager.default.contentsEqual(atPath: "\(source)/\(name)", andPath: "\(out)/\(name)"), "\(name)")
        }
        // One file as the input works too; a file of another channel is refused, naming it.
        let single = dir.appendingPathComponent("single").path
        let one = try Launcher.vbfgrid(
            [
                "generate", "--channel", "Z_EW", "--events", "1", "--seed", "1", "--out", single,
                "--generator", "files", "--input", "\(source)/\(names[0])",
            ], timeout: 300)
        #expect(one.status == 0 && FileManager.default.fileExists(atPath: "\(single)/\(names[0])"), "\(one.combined)")
        let wrong = try Launcher.vbfgrid(
            [
                "generate", "--channel", "W_EW", "--events", "1", "--seed", "1",
                "--out", dir.appendingPathComponent("wrong").path, "--generator", "files", "--input", source,
            ],
            timeout: 300)
        #expect(
            wrong.status != 0 && wrong.combined.contains("\(names[0])") && wrong.combined.contains("expected 'W_EW'"),
            "\(wrong.combined)")
    }
}
