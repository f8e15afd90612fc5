import Events
import Foundation
import TestSupport
import Testing

@testable import Grid

/// `generator: files`: inputs named by file, folder or glob relative to the spec, detected from
/// their content, checked and hashed by `grid plan`, and a grid over them run on the local backend.
@Suite("Grids over files", .serialized)
struct FilesGridTests {
    /// The spec of a planning folder with `old` replaced by `new`, written back and loaded.
    static func load(_ folder: URL, _ spec: String, replacing old: String = "", with new: String = "") throws
        -> GridSpec
    {
        let text = try String(contentsOfFile: spec, encoding: .utf8)
        precondition(old.isEmpty || text.contains(old), old)
        try (old.isEmpty ? text : text.replacingOccurrences(of: old, with: new))
            .write(toFile: spec, atomically: true, encoding: .utf8)
        return try GridSpec.load(path: spec)
    }

    /// The `SpecError` loading the spec throws.
    static func error(_ folder: URL, _ spec: String, replacing old: String = "", with new: String = "") throws
        -> SpecError
    {
        do {
            _ = try load(folder, spec, replacing: old, with: new)
        } catch let error as SpecError {
            return error
        }
        throw GridError("the spec was accepted")
    }

    @Test("every input is found relative to the spec, detected from its content and hashed")
    func inputs() throws {
        let (folder, spec) = try FilesFixtures.planningFolder(label: "files-inputs")
        let inputs = try Self.load(folder, spec).samples.inputs
        let root = folder.standardizedFileURL.path
        #expect(inputs[.wQCD]?.map(\.path) == ["\(root)/W_QCD/W_QCD-a.h5", "\(root)/W_QCD/W_QCD-b.h5"])
        #expect(inputs[.sQCD]?.map(\.format) == [.particles] && inputs[.wEW]?.map(\.format) == [.delphes])
        #expect(inputs[.zEW]?.map(\.path) == ["\(root)/ew/Z_EW-a.h5"] && inputs[.minBias]?.first?.events == 200)
        let sha = try #require(inputs[.sEW]?.first?.sha256)
        let oracle = try Launcher.run("/usr/bin/sha256sum", ["\(root)/S_EW/S_EW-a.h5"]).succeeded().stdout
        #expect(oracle.hasPrefix(sha + " "))
    }

    @Test("missing path, unknown content, mixed folder, wrong channel, empty glob: errors name the field and the file")
    func errors() throws {
        let (folder, spec) = try FilesFixtures.planningFolder(label: "files-errors")
        let root = folder.standardizedFileURL.path
        let missing = try Self.error(folder, spec, replacing: "minbias: minbias.h5", with: "minbias: nowhere.h5")
        #expect(missing.path == "samples.files.minbias" && missing.line == 6)
        #expect(missing.message == "\(root)/nowhere.h5: no such file or folder")

        let (folder2, spec2) = try FilesFixtures.planningFolder(label: "files-errors")
        let notes = folder2.appendingPathComponent("S_EW/notes.txt")
        try Data("not events".utf8).write(to: notes)
        let unknown = try Self.error(folder2, spec2)
        #expect(unknown.path == "samples.files.S_EW")
        #expect(unknown.message.hasPrefix("\(notes.standardizedFileURL.path): is not an input vbfgrid reads"))
        try FileManager.default.removeItem(at: notes)
        try FilesFixtures.write(
            .sEW, count: 5, seed: 1, particles: true,
            to: folder2.appendingPathComponent("S_EW/S_EW-b.particles.h5").path)
        let mixed = try Self.error(folder2, spec2)
        #expect(mixed.path == "samples.files.S_EW")
        #expect(
            mixed.message.contains("S_EW/S_EW-b.particles.h5: is a vbfgrid.particles file but ")
                && mixed.message.contains("S_EW/S_EW-a.h5 is a vbfgrid.events file"), "\(mixed)")

        let (folder3, spec3) = try FilesFixtures.planningFolder(label: "files-errors")
        let channel = try Self.error(folder3, spec3, replacing: "Z_EW: \"ew/Z_EW-*.h5\"", with: "Z_EW: qcd/Z_QCD-a.h5")
        #expect(channel.path == "samples.files.Z_EW")
        #expect(
            channel.message
                == "\(folder3.standardizedFileURL.path)/qcd/Z_QCD-a.h5: holds channel 'Z_QCD', expected 'Z_EW'")
        let glob = try Self.error(folder3, spec3, replacing: "Z_EW: qcd/Z_QCD-a.h5", with: "Z_EW: \"ew/X-*.h5\"")
        #expect(glob.path == "samples.files.Z_EW" && glob.message.hasSuffix("ew/X-*.h5: matches no file"))
    }

    @Test("samples.events with files, files without generator files, pileup without a min-bias file: spec errors")
    func specRules() throws {
        let (folder, spec) = try FilesFixtures.planningFolder(label: "files-rules")
        let events = try Self.error(folder, spec, replacing: "  train: 100", with: "  events: 1000\n  train: 100")
        #expect(events.path == "samples.events" && events.message.contains("not used with generator files"))
        let (folder2, spec2) = try FilesFixtures.planningFolder(label: "files-rules")
        let noMinbias = try Self.error(folder2, spec2, replacing: ", minbias: minbias.h5}", with: "}")
        #expect(noMinbias.path == "samples" && noMinbias.message.contains("needs samples.files.minbias"))
        let generator = try Self.error(folder2, spec2, replacing: "  generator: files\n", with: "  events: 1000\n")
        #expect(generator.path == "samples.files" && generator.message == "needs samples.generator: files")
    }

    @Test("a changed input file changes the ids of its task and of everything downstream, and nothing else")
    func checksumIdentity() throws {
        let (folder, spec) = try FilesFixtures.planningFolder(label: "files-checksum")
        let before = TaskGraph(spec: try GridSpec.load(path: spec))
        try FilesFixtures.write(
            .wQCD, count: 500, first: 500, seed: 99, to: folder.appendingPathComponent("W_QCD/W_QCD-b.h5").path)
        let after = TaskGraph(spec: try GridSpec.load(path: spec))
        let changed = before.tasks.filter { after.task($0.id) == nil }
        let input = try #require(before.tasks.first { $0.label == "generate W_QCD file 2/2 (W_QCD-b.h5)" })
        #expect(Set(changed.map(\.id)) == before.downstream(of: input.id).union([input.id]))
        #expect(changed.count == 13) // the copy, its overlay, 2 × (preprocess, train, evaluate, 2 limits), report
    }

    @Test("grid plan --tasks lists the input tasks with their files and SHA-256; submit refuses a missing path first")
    func planCommand() throws {
        let (folder, spec) = try FilesFixtures.planningFolder(label: "files-plan")
        let root = folder.standardizedFileURL.path
        let plan = try Launcher.vbfgrid(["grid", "plan", spec, "--tasks"]).succeeded().stdout
        #expect(plan.contains("grid files: 26 tasks"))
        let line = try #require(
            plan.split(separator: "\n").first { $0.contains("generate W_QCD file 2/2 (W_QCD-b.h5)") })
        let sha = try Launcher.run("/usr/bin/sha256sum", ["\(root)/W_QCD/W_QCD-b.h5"]).succeeded().stdout.prefix(64)
        #expect(line.hasSuffix("\(root)/W_QCD/W_QCD-b.h5 sha256 \(sha)"), "\(line)")
        #expect(plan.contains("import-delphes W_EW file 1/1 (W_EW.root)") && plan.contains("detector S_QCD file 1/1"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("W_QCD/W_QCD-a.h5"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("W_QCD/W_QCD-b.h5"))
        let run = folder.appendingPathComponent("run").path
        let submit = try Launcher.vbfgrid(["grid", "submit", spec, "--run-dir", run])
        #expect(
            submit.status != 0 && submit.stderr.contains("samples.files.W_QCD: \(root)/W_QCD: folder holds no files"))
        #expect(!FileManager.default.fileExists(atPath: run))
    }

    @Test("an input file changed after planning: its task fails naming the file, the others run")
    func changedAfterPlanning() throws {
        let (folder, spec) = try FilesFixtures.planningFolder(label: "files-changed")
        let run = folder.appendingPathComponent("run").path
        let runner = try GridRunner.fromSpec(
            path: spec, runDir: run, allowDevTasks: false, executable: TestPaths.vbfgrid.path)
        try runner.materialize(specText: try String(contentsOfFile: spec, encoding: .utf8))
        let sew = try #require(runner.graph.tasks.first { $0.label == "generate S_EW file 1/1 (S_EW-a.h5)" })
        let detector = try #require(runner.graph.tasks.first { $0.label.hasPrefix("detector S_QCD") })
        try FilesFixtures.write(.sEW, count: 400, seed: 98, to: folder.appendingPathComponent("S_EW/S_EW-a.h5").path)
        let refused = try Launcher.vbfgrid(["task", "run", run, sew.id])
        #expect(
            refused.status != 0
                && refused.stderr.contains("S_EW-a.h5: the input file changed since the grid was planned"),
            "\(refused.combined)")
        let failed = try String(contentsOfFile: RunDirectory(path: run).marker("failed", of: sew), encoding: .utf8)
        #expect(failed.contains("submit the spec again"))
        let converted = try Launcher.vbfgrid(["task", "run", run, detector.id])
        #expect(converted.status == 0, "\(converted.combined)")
        #expect(try EventFileReader(path: "\(run)/\(detector.relativePath)/S_QCD.h5").count == 500)
    }

    /// The channel of every source file of the data set of the ⟨N⟩ = `mean` preprocess task.
    static func datasetSources(run: String, mean: String) throws -> [String: Int] {
        let graph = try RunDirectory(path: run).loadGraph()
        let task = try #require(graph.tasks.first { $0.stage == "preprocess" && $0.parameters["mean"] == mean })
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(run)/\(task.relativePath)/dataset/manifest.json"))
        let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let sources = try #require(manifest["sources"] as? [[String: Any]])
        return sources.reduce(into: [:]) { $0[$1["channel"] as! String, default: 0] += 1 }
    }

    /// Runs the files grid of `FilesFixtures` (real Delphes file) with `submit` (spec, run folder)
    /// and `wait`; then changes one input file, submits and waits again. Checks that the run
    /// finished both times, that the second submit ran exactly the 13 tasks downstream of the
    /// changed file (their ids are new) and started none of the others again (one attempt in
    /// their logs). Returns the output of both submits.
    static func runTwice(label: String, submit: (String, String) throws -> ProcessOutput, wait: (String) throws -> Void)
        throws -> (first: ProcessOutput, second: ProcessOutput)
    {
        let (folder, spec) = try Fixtures.write(FilesFixtures.spec(name: label), label: label)
        try FilesFixtures.writeInputs(in: folder, realDelphes: true)
        let run = folder.appendingPathComponent("run").path
        let first = try submit(spec, run)
        try wait(run)
        try checkFinished(run: run)
        let before = try RunDirectory(path: run).loadGraph()
        try FilesFixtures.write(
            .wQCD, count: 500, first: 500, seed: 99, to: folder.appendingPathComponent("W_QCD/W_QCD-b.h5").path)
        let second = try submit(spec, run)
        try wait(run)
        try checkFinished(run: run)
        let after = try RunDirectory(path: run).loadGraph()
        let kept = after.tasks.filter { before.task($0.id) != nil }
        #expect(after.tasks.count == 26 && kept.count == 13)
        for task in kept {
            let log = try String(contentsOfFile: "\(run)/\(task.relativePath)/log", encoding: .utf8)
            #expect(
                log.components(separatedBy: "\n==== ").count == 1 && log.hasPrefix("==== "), "\(task.label): \(log)")
        }
        return (first, second)
    }

    /// What a finished files run holds: every task done, the detector's and the import's events
    /// files, both data sets built from the files of all six channels, the report.
    static func checkFinished(run: String) throws {
        let status = try JSONDecoder().decode(
            GridStatus.self, from: Data(try Launcher.vbfgrid(["grid", "status", run, "--json"]).stdout.utf8))
        #expect(status.allDone, "\(status.tasks.filter { $0.state != .done }.map(\.label))")
        let graph = try RunDirectory(path: run).loadGraph()
        for (label, name, channel, events) in [
            ("detector S_QCD file 1/1 (S_QCD.particles.h5)", "S_QCD.h5", "S_QCD", 500),
            ("import-delphes W_EW file 1/1 (W_EW.root)", "W_EW.h5", "W_EW", 200),
        ] {
            let task = try #require(graph.tasks.first { $0.label == label })
            let reader = try EventFileReader(path: "\(run)/\(task.relativePath)/\(name)")
            #expect(reader.header.channel == channel && reader.count == events, "\(label)")
        }
        let expected = ["S_EW": 1, "S_QCD": 1, "Z_QCD": 1, "W_QCD": 2, "Z_EW": 1, "W_EW": 1]
        #expect(try datasetSources(run: run, mean: "0") == expected)
        #expect(try datasetSources(run: run, mean: "20") == expected)
        #expect(FileManager.default.fileExists(atPath: "\(run)/report/index.html"))
    }

    @Test(
        "a files grid (events, particles, Delphes, pileup from a min-bias file) runs on the local backend; a changed input reruns its 13 dependent tasks"
    )
    func localRun() throws {
        let (first, second) = try Self.runTwice(
            label: "files-local",
            submit: { try Launcher.vbfgrid(["grid", "submit", $0, "--run-dir", $1], timeout: 1800) }, wait: { _ in })
        #expect(first.status == 0 && first.stdout.contains("26/26 done, 26 ran now, 0 failed"), "\(first.combined)")
        #expect(second.status == 0 && second.stdout.contains("26/26 done, 13 ran now, 0 failed"), "\(second.combined)")
    }
}
