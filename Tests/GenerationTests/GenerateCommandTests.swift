import Events
import Foundation
import TestSupport
import Testing

/// `vbfgrid generate`, `detector`, `inspect` end to end.
@Suite struct GenerateCommandTests {
    static func vbfgrid(_ arguments: [String]) throws -> ProcessOutput {
        try Launcher.run(TestPaths.vbfgrid.path, arguments, timeout: 300)
    }

    @Test func sameSeedSameBytesDifferentSeedDifferentEvents() throws {
        let dir = TestPaths.temporaryDirectory()
        func generate(_ name: String, seed: Int, extra: [String] = []) throws -> String {
            let path = dir.appendingPathComponent(name).path
            let run = try Self.vbfgrid(
                ["generate", "--channel", "W_QCD", "--events", "300", "--seed", "\(seed)", "--out", path] + extra)
            #expect(run.status == 0, "\(run.combined)")
            return path
        }
        let a = try generate("a.h5", seed: 8, extra: ["--keep-particles"]), b = try generate("b.h5", seed: 8),
            c = try generate("c.h5", seed: 9)
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
        let ea = try EventFileReader(path: a).read(start: 0, count: 300),
            ec = try EventFileReader(path: c).read(start: 0, count: 300)
        #expect(ea != ec)
        #expect(try EventFileReader(path: a).header.nGenerated > 300) // lost-lepton vetoes counted

        // Two stages (particles → detector) give the same bytes as one go.
        let d = dir.appendingPathComponent("d.h5").path
        let run = try Self.vbfgrid([
            "detector", "--input", dir.appendingPathComponent("a.particles.h5").path, "--out", d,
        ])
        #expect(run.status == 0, "\(run.combined)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: d)))

        // Shards hold the same events as one file, and their n_generated add up.
        let shards = dir.appendingPathComponent("shards").path
        let s = try Self.vbfgrid([
            "generate", "--channel", "W_QCD", "--events", "300", "--seed", "8", "--out", shards, "--shard-size", "128",
        ])
        #expect(s.status == 0, "\(s.combined)")
        let all = try FileManager.default.contentsOfDirectory(atPath: shards).sorted()
        #expect(all.contains("producer.json"))
        let files = all.filter { $0.hasSuffix(".h5") }
        #expect(files == ["W_QCD-s8-00000.h5", "W_QCD-s8-00001.h5", "W_QCD-s8-00002.h5"])
        var events: [Event] = [], generated = 0
        for f in files {
            let r = try EventFileReader(path: shards + "/" + f)
            events += try r.read(start: 0, count: r.count)
            generated += r.header.nGenerated
        }
        #expect(events == ea)
        #expect(generated == (try EventFileReader(path: a).header.nGenerated))

        // A lower preselection floor keeps more hard processes: the same number of events takes
        // fewer attempts, and the floor is recorded in the generator attribute.
        let low = try generate("low.h5", seed: 8, extra: ["--min-invisible-pt", "150"])
        let lowHeader = try EventFileReader(path: low).header, header = try EventFileReader(path: a).header
        #expect(lowHeader.nGenerated < header.nGenerated, "\(lowHeader.nGenerated) vs \(header.nGenerated)")
        #expect(
            lowHeader.generator.contains("150.0 GeV") && header.generator.contains("160.0 GeV"),
            "\(lowHeader.generator)")
        // Without the particle-level stage fewer attempts are rejected; the attribute says so.
        let hard = try generate("hard.h5", seed: 8, extra: ["--no-particle-preselection"])
        let hardHeader = try EventFileReader(path: hard).header
        #expect(hardHeader.nGenerated < header.nGenerated, "\(hardHeader.nGenerated) vs \(header.nGenerated)")
        #expect(
            hardHeader.generator.contains("hard process only") && header.generator.contains("particle level"),
            "\(hardHeader.generator)")

        let inspect = try Self.vbfgrid(["inspect", a, c])
        #expect(inspect.status == 0 && inspect.stdout.contains("m_jj > 200") && inspect.stdout.contains("W_QCD"))
    }

    @Test func badInputGivesClearErrors() throws {
        let dir = TestPaths.temporaryDirectory()
        let out = dir.appendingPathComponent("x.h5").path
        func failing(_ arguments: [String], mentions: [String]) throws {
            let run = try Self.vbfgrid(arguments)
            #expect(run.status != 0)
            for m in mentions { #expect(run.stderr.contains(m), "\(arguments): \(run.stderr)") }
            #expect(!run.combined.contains("Fatal error") && !run.combined.contains("Stack dump"))
        }
        try failing(
            ["generate", "--channel", "S_EW", "--events", "0", "--seed", "1", "--out", out], mentions: ["--events"])
        try failing(
            ["generate", "--channel", "H_EW", "--events", "5", "--seed", "1", "--out", out],
            mentions: ["H_EW", "S_EW, S_QCD, Z_QCD, W_QCD, Z_EW, W_EW, MINBIAS"])
        try failing(
            ["generate", "--channel", "S_EW", "--events", "5", "--seed", "1", "--out", "/proc/nope/x.h5"],
            mentions: ["/proc/nope"])
        try failing(
            [
                "generate", "--channel", "S_EW", "--events", "5", "--seed", "1", "--out", out, "--min-invisible-pt",
                "-5",
            ],
            mentions: ["--min-invisible-pt"])
        let corrupt = dir.appendingPathComponent("corrupt.h5").path
        try Data("not an HDF5 file".utf8).write(to: URL(fileURLWithPath: corrupt))
        try failing(["inspect", corrupt], mentions: [corrupt])
        try failing(
            ["inspect", dir.appendingPathComponent("missing.h5").path], mentions: ["missing.h5", "no such file"])
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
