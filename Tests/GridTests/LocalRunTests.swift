import Foundation
import TestSupport
import Testing

@testable import Grid

/// The local and pilot backends on dev grids of real subcommands (the built binary).
@Suite("Local and pilot backends", .serialized)
struct LocalRunTests {
    func submit(_ spec: String, folder: URL, extra: [String] = []) throws -> ProcessOutput {
        try Launcher.vbfgrid(
            ["grid", "submit", spec, "--dev-tasks", "--run-dir", folder.appendingPathComponent("run").path] + extra,
            timeout: 120)
    }

    @Test("a grid completes; a rerun skips every done task; results are the tasks' outputs")
    func completesAndSkips() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "local"), label: "grid-local")
        let first = try submit(spec, folder: folder)
        #expect(first.status == 0, "\(first.combined)")
        #expect(first.stdout.contains("finished: 4/4 done, 4 ran now, 0 failed"))
        #expect(first.stdout.contains("requeue c")) // status 75 once, then done
        let run = folder.appendingPathComponent("run").path
        let status = try Launcher.vbfgrid(["grid", "status", run, "--json"])
        #expect(status.status == 0)
        let decoded = try JSONDecoder().decode(GridStatus.self, from: Data(status.stdout.utf8))
        #expect(
            decoded.tasks.allSatisfy { $0.state == .done } && decoded.tasks.first { $0.label == "c" }?.requeues == 1)
        let results = try Fixtures.results(run: run)
        #expect(results.keys.sorted() == ["a/manifest.json", "b/manifest.json", "c/requeue.marker", "d/manifest.json"])
        let again = try submit(spec, folder: folder)
        #expect(again.status == 0 && again.stdout.contains("4/4 done, 0 ran now"), "\(again.combined)")
        #expect(try Fixtures.results(run: run) == results)
    }

    @Test("a failed task stops its dependents only, is reported, and resume reruns what is not done")
    func failure() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "fails", failing: true), label: "grid-fail")
        let out = try submit(spec, folder: folder)
        #expect(out.status != 0)
        #expect(out.stdout.contains("FAILED  c") && out.stderr.contains("1 task(s) failed: c"), "\(out.combined)")
        let run = folder.appendingPathComponent("run").path
        let status = try Launcher.vbfgrid(["grid", "status", run])
        #expect(status.status == 3)
        let decoded = GridStatus.collect(run: RunDirectory(path: run), graph: try RunDirectory(path: run).loadGraph())
        #expect(decoded.tasks.map(\.state) == [.done, .done, .failed, .blocked])
        // Fix the task by hand (as a user would fix a stage) and resume: only c and d run.
        let c = try RunDirectory(path: run).loadGraph().tasks[2]
        var file = try RunDirectory(path: run).loadTaskFile(id: c.id)
        file.arguments = ["selftest", "requeue", "--dir", "\(run)/\(c.relativePath)"]
        try "checkpoint\n".write(toFile: "\(run)/\(c.relativePath)/requeue.marker", atomically: true, encoding: .utf8)
        try AtomicFile.write(try JSONEncoder().encode(file), to: "\(run)/\(c.relativePath)/task.json")
        let resumed = try Launcher.vbfgrid(["grid", "resume", run], timeout: 120)
        #expect(resumed.status == 0 && resumed.stdout.contains("4/4 done, 2 ran now"), "\(resumed.combined)")
    }

    @Test("killing the runner mid-way: the rerun runs only the unfinished tasks")
    func killAndRerun() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "killed", slowSeconds: 60), label: "grid-kill")
        let run = folder.appendingPathComponent("run").path
        let process = Process()
        process.executableURL = TestPaths.vbfgrid
        process.arguments = ["grid", "submit", spec, "--dev-tasks", "--run-dir", run]
        process.environment = ProcessInfo.processInfo.environment.merging(Launcher.mpiEnvironment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until b is done and c (60 s) waits for a signal, then stop the runner.
        let deadline = Date().addingTimeInterval(60)
        let directory = RunDirectory(path: run)
        func task(_ name: String) -> GridTask? { (try? directory.loadGraph())?.tasks.first { $0.label == name } }
        while Date() < deadline {
            if let b = task("b"), let c = task("c"), directory.isDone(b),
                let log = try? String(contentsOfFile: directory.marker("log", of: c), encoding: .utf8),
                log.contains("waiting up to")
            {
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let waited = Date().timeIntervalSince(deadline) + 60
        process.terminate()
        process.waitUntilExit()
        let graph = try directory.loadGraph()
        #expect(graph.tasks.map(directory.isDone) == [true, true, false, false], "stopped after \(waited) s")
        let logA = try String(contentsOfFile: directory.marker("log", of: graph.tasks[0]), encoding: .utf8)
        let rerun = try submit(spec, folder: folder)
        #expect(
            rerun.status == 0 && rerun.stdout.contains("2 already done")
                && rerun.stdout.contains("4/4 done, 2 ran now"),
            "\(rerun.combined)")
        #expect(try String(contentsOfFile: directory.marker("log", of: graph.tasks[0]), encoding: .utf8) == logA)
        // c was stopped by SIGTERM: it "checkpointed" (the marker) and finished from there on the rerun.
        #expect(
            try String(contentsOfFile: "\(run)/\(graph.tasks[2].relativePath)/requeue.marker", encoding: .utf8)
                .contains("after a signal"))
    }

    @Test("pilot under mpirun with 5 ranks: same results as the local backend")
    func pilot() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "pilot"), label: "grid-pilot")
        let pilotRun = folder.appendingPathComponent("pilot").path
        let out = try Launcher.mpirun(
            ranks: 5, ["grid", "pilot", spec, "--dev-tasks", "--run-dir", pilotRun], timeout: 120)
        #expect(out.status == 0 && out.stdout.contains("finished: 4/4 done, 0 failed"), "\(out.combined)")
        #expect(out.stdout.contains("requeue c"))
        let local = try submit(spec, folder: folder)
        #expect(local.status == 0)
        #expect(try Fixtures.results(run: pilotRun) == Fixtures.results(run: folder.appendingPathComponent("run").path))
        let status = try Launcher.vbfgrid(["grid", "status", pilotRun])
        #expect(status.status == 0 && status.stdout.contains("backend pilot"))
    }
}
