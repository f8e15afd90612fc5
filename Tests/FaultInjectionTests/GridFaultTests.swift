import Foundation
import Grid
import Outputs
import TestSupport
import Testing

/// The local grid's processes and markers under faults (issue BAD 6 and the done markers): a task
/// whose runner is killed stops by itself; a task running without a runner shows as running,
/// blocks a resume and is ended by `grid cancel`; a done marker whose outputs are gone or changed
/// is not trusted.
@Suite(.serialized)
struct GridFaultTests {
    /// a (4 units) → c: waits up to `seconds` for SIGTERM, then "checkpoints" and exits 75.
    static func spec(_ name: String, seconds: Int) -> String {
        """
        name: \(name)
        seed: 7
        resources:
          default: {memory: 200M, time: "00:05:00"}
        local:
          concurrency: 2
        dev_tasks:
          - name: a
            command: [selftest, workpool, --dir, "{task}", --units, "4"]
          - name: c
            command: [selftest, requeue, --dir, "{task}", --seconds, "\(seconds)"]
            preemptible: true
            after: [a]
        """
    }

    func write(_ name: String, seconds: Int) throws -> (spec: String, run: RunDirectory) {
        let folder = TestPaths.temporaryDirectory("grid-\(name)")
        let spec = folder.appendingPathComponent("\(name).yaml")
        try Self.spec(name, seconds: seconds).write(to: spec, atomically: true, encoding: .utf8)
        return (spec.path, RunDirectory(path: folder.appendingPathComponent("run").path))
    }

    /// Waits until task `label` has written its log line "waiting up to" (it is in its wait).
    func waitUntilWaiting(_ run: RunDirectory, _ label: String) throws -> GridTask {
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            if let task = (try? run.loadGraph())?.tasks.first(where: { $0.label == label }),
                let log = try? String(contentsOfFile: run.marker("log", of: task), encoding: .utf8),
                log.contains("waiting up to")
            {
                return task
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw FixtureError(URL(fileURLWithPath: run.path), "task \(label) never started waiting")
    }

    @Test("BAD 6: kill -9 of a local runner: its task process ends within seconds, and no copy is left running")
    func killedRunnerLeavesNoTask() throws {
        let (spec, run) = try write("orphan", seconds: 120)
        let runner = try BackgroundProcess(
            ranks: nil, ["grid", "submit", spec, "--dev-tasks", "--run-dir", run.path],
            log: URL(fileURLWithPath: run.path + ".log"))
        let task = try waitUntilWaiting(run, "c")
        let pid = try #require(TaskMarkers(run: run, task: task).liveProcess()?.pid)
        kill(runner.process.processIdentifier, SIGKILL)
        _ = runner.waitForExit(timeout: 10)
        let killedAt = Date()
        while ProcessLiveness.isAlive(pid) && Date().timeIntervalSince(killedAt) < 10 {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let seconds = Date().timeIntervalSince(killedAt)
        #expect(!ProcessLiveness.isAlive(pid), "task process \(pid) still alive \(seconds) s after its runner died")
        #expect(seconds < 5, "ended after \(seconds) s")
        let log = try String(contentsOfFile: run.marker("log", of: task), encoding: .utf8)
        #expect(log.contains("grid runner") && log.contains("is gone"), "\(log)")
        // It checkpointed on the way out, so a resume finishes it.
        let resumed = try Launcher.vbfgrid(["grid", "resume", run.path], timeout: 120)
        #expect(resumed.status == 0 && resumed.stdout.contains("2/2 done"), "\(resumed.combined)")
    }

    @Test("a task running without a runner: status says running, resume refuses, cancel ends it")
    func orphanIsSeenAndCancelled() throws {
        let (spec, run) = try write("stray", seconds: 120)
        let runner = try GridRunner.fromSpec(
            path: spec, runDir: run.path, allowDevTasks: true, executable: TestPaths.vbfgrid.path)
        try runner.materialize(specText: try String(contentsOfFile: spec, encoding: .utf8))
        let a = runner.graph.tasks[0], c = runner.graph.tasks[1]
        try Launcher.vbfgrid(["task", "run", run.path, a.id]).succeeded()
        // c started by hand, as a runner that is gone would have left it: no watchdog.
        let stray = try BackgroundProcess(
            ranks: nil, ["task", "run", run.path, c.id], log: URL(fileURLWithPath: run.path + "-c.log"))
        #expect(stray.waitFor("waiting up to", timeout: 60), "\(stray.output)")
        let status = try Launcher.vbfgrid(["grid", "status", run.path, "--json"])
        #expect(
            status.stdout.contains("\"state\" : \"running\"") && status.stdout.contains("without its runner"),
            "\(status.combined)")
        let resume = try Launcher.vbfgrid(["grid", "resume", run.path], timeout: 30)
        #expect(resume.status != 0 && resume.stderr.contains("still queued or running"), "\(resume.combined)")
        let cancel = try Launcher.vbfgrid(["grid", "cancel", run.path])
        #expect(
            cancel.stdout.contains("stopped c (\(c.id)), process \(stray.process.processIdentifier)"),
            "\(cancel.combined)")
        let end = stray.waitForExit(timeout: 10)
        #expect(!end.timedOut && end.status == 75)
    }

    @Test("done markers list the outputs: deleted outputs are not done, changed ones fail grid status --verify")
    func doneMarkersAreChecked() throws {
        let (spec, run) = try write("verify", seconds: 0)
        try Launcher.vbfgrid(["grid", "submit", spec, "--dev-tasks", "--run-dir", run.path], timeout: 120).succeeded()
        let a = try run.loadGraph().tasks[0]
        let marker = try String(contentsOfFile: run.marker("done", of: a), encoding: .utf8)
        #expect(marker.contains(" unit-000.txt") && marker.contains(" manifest.json"), "\(marker)")
        #expect(try Launcher.vbfgrid(["grid", "status", run.path, "--verify"]).status == 0)
        // Same size, other bytes: only the checksum sees it.
        let unit = run.folder(of: a) + "/unit-001.txt"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: unit))
        bytes[0] ^= 1
        try bytes.write(to: URL(fileURLWithPath: unit))
        #expect(try Launcher.vbfgrid(["grid", "status", run.path]).status == 0)
        let verified = try Launcher.vbfgrid(["grid", "status", run.path, "--verify"])
        #expect(
            verified.status == 3 && verified.stdout.contains("unit-001.txt changed since done"), "\(verified.combined)")
        // Deleted: the done marker is not trusted, and a resume runs the task again.
        try FileManager.default.removeItem(atPath: unit)
        #expect(!run.isDone(a))
        let resumed = try Launcher.vbfgrid(["grid", "resume", run.path], timeout: 120)
        #expect(resumed.status == 0 && FileManager.default.fileExists(atPath: unit), "\(resumed.combined)")
    }
}

/// A run folder keeps the spec it was submitted with (issue WEAK: a different spec replaced spec.yaml).
struct SpecReplacementTests {
    @Test("a different spec into an existing run folder is refused with the changed lines; --force replaces it")
    func differentSpecIsRefused() throws {
        let folder = TestPaths.temporaryDirectory("grid-spec")
        let run = folder.appendingPathComponent("run").path
        let spec = folder.appendingPathComponent("s.yaml")
        try GridFaultTests.spec("respec", seconds: 0).write(to: spec, atomically: true, encoding: .utf8)
        try Launcher.vbfgrid(["grid", "submit", spec.path, "--dev-tasks", "--run-dir", run], timeout: 120).succeeded()
        try GridFaultTests.spec("respec", seconds: 0).replacingOccurrences(of: "\"4\"", with: "\"5\"")
            .write(to: spec, atomically: true, encoding: .utf8)
        let refused = try Launcher.vbfgrid(
            ["grid", "submit", spec.path, "--dev-tasks", "--run-dir", run], timeout: 120)
        #expect(
            refused.status != 0 && refused.stderr.contains("another spec") && refused.stderr.contains("- ")
                && refused.stderr.contains("--units, \"5\"]"), "\(refused.combined)")
        let replaced = try Launcher.vbfgrid(
            ["grid", "submit", spec.path, "--dev-tasks", "--run-dir", run, "--force"], timeout: 120)
        #expect(replaced.status == 0, "\(replaced.combined)")
        #expect(try String(contentsOfFile: run + "/spec.yaml", encoding: .utf8).contains("\"5\""))
    }
}
