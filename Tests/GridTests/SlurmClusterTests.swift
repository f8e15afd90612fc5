import Foundation
@testable import Grid
import Testing
import TestSupport

/// The Slurm backend on a real one-node cluster on localhost (slurm/local-cluster/up.sh), started
/// at the beginning of the suite and stopped at its end. Needs root (slurmd) and slurm-wlm + munge.
@Suite("Slurm backend on a local cluster", .serialized)
final class SlurmClusterTests {
    let clusterDir = FileManager.default.temporaryDirectory.appendingPathComponent("vbfgrid-slurm-gridtests-\(getpid())").path
    let environment: [String: String]
    /// A private state folder and ports, so that other local clusters on this machine are not disturbed.
    let clusterEnvironment: [String: String]

    init() throws {
        clusterEnvironment = ["SLURM_LOCAL_DIR": clusterDir, "SLURM_LOCAL_CTLD_PORT": "6917", "SLURM_LOCAL_SLURMD_PORT": "6918"]
        let scripts = TestPaths.repositoryRoot.appendingPathComponent("slurm/local-cluster")
        let up = try Self.detached(scripts.appendingPathComponent("up.sh").path, log: "\(clusterDir).up.log",
                                   environment: clusterEnvironment)
        guard up.status == 0 else { throw GridError("slurm/local-cluster/up.sh failed: \(up.combined)") }
        environment = ["SLURM_CONF": "\(clusterDir)/etc/slurm.conf"]
    }

    deinit {
        let scripts = TestPaths.repositoryRoot.appendingPathComponent("slurm/local-cluster")
        _ = try? Self.detached(scripts.appendingPathComponent("down.sh").path, log: "\(clusterDir).down.log",
                               environment: clusterEnvironment)
        for suffix in [".lock", ".up.log", ".down.log"] { try? FileManager.default.removeItem(atPath: clusterDir + suffix) }
    }

    /// Runs a cluster script with every inherited descriptor above 2 closed and its output in `log`:
    /// the daemons it starts must not hold the test process's pipes (the child's exit would never be seen).
    static func detached(_ script: String, log: String, environment: [String: String]) throws -> ProcessOutput {
        let closeAll = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done; "
        return try Launcher.run("/bin/bash", ["-c", closeAll + "\"$0\" > \"$1\" 2>&1 < /dev/null || { cat \"$1\"; exit 1; }",
                                              script, log], environment: environment, timeout: 90)
    }

    func vbfgrid(_ arguments: [String], timeout: TimeInterval = 60) throws -> ProcessOutput {
        try Launcher.vbfgrid(arguments, environment: environment, timeout: timeout)
    }

    /// Polls `grid status --json` until `done(status)` or the timeout; returns the last status.
    func waitFor(_ run: String, timeout: TimeInterval, until done: (GridStatus) -> Bool) throws -> GridStatus {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let out = try vbfgrid(["grid", "status", run, "--json"])
            let status = try JSONDecoder().decode(GridStatus.self, from: Data(out.stdout.utf8))
            if done(status) || Date() > deadline { return status }
            Thread.sleep(forTimeInterval: 1)
        }
    }

    func squeueCount() throws -> Int {
        let out = try Launcher.run("squeue", ["-h", "-t", "all", "-o", "%i"], environment: environment)
        return out.stdout.split(whereSeparator: \.isNewline).count
    }

    @Test("--dry-run prints the scripts and sbatch lines and submits nothing")
    func dryRun() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "dry"), label: "grid-slurm-dry")
        let run = folder.appendingPathComponent("run").path
        let before = try squeueCount()
        let out = try vbfgrid(["grid", "submit", spec, "--dev-tasks", "--backend", "slurm", "--dry-run", "--run-dir", run])
        #expect(out.status == 0, "\(out.combined)")
        #expect(out.stdout.contains("#SBATCH --array=0-0%50") && out.stdout.contains("#SBATCH --signal=B:USR1@300"))
        #expect(out.stdout.contains("# sbatch --parsable --dependency=afterok:$JOB_dry-dev-0 "))
        #expect(!FileManager.default.fileExists(atPath: run))
        #expect(try squeueCount() == before)
    }

    @Test("submit completes every task, refuses a second submit while queued, equals the local run")
    func completes() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "slurm"), label: "grid-slurm")
        let run = folder.appendingPathComponent("run").path
        let out = try vbfgrid(["grid", "submit", spec, "--dev-tasks", "--backend", "slurm", "--run-dir", run])
        #expect(out.status == 0 && out.stdout.components(separatedBy: "[grid] submitted").count == 5, "\(out.combined)")
        let second = try vbfgrid(["grid", "submit", spec, "--dev-tasks", "--backend", "slurm", "--run-dir", run])
        #expect(second.status != 0 && second.stderr.contains("still queued or running"), "\(second.combined)")
        let status = try waitFor(run, timeout: 90) { $0.allDone }
        #expect(status.allDone, "\(status.tasks.map { "\($0.label) \($0.state) \($0.slurmState ?? "")" })")
        #expect(status.sources.contains("squeue"))
        #expect(status.tasks.first { $0.label == "c" }?.requeues == 1)   // exit 75 → scontrol requeue → done
        let local = try Launcher.vbfgrid(["grid", "submit", spec, "--dev-tasks", "--run-dir", folder.appendingPathComponent("local").path],
                                         timeout: 120)
        #expect(local.status == 0)
        #expect(try Fixtures.results(run: run) == Fixtures.results(run: folder.appendingPathComponent("local").path))
    }

    /// Waits until dev task c runs and waits for its signal; returns its Slurm job (A_T).
    func waitUntilCWaits(_ run: String) throws -> String {
        let directory = RunDirectory(path: run)
        let running = try waitFor(run, timeout: 60) { s in
            guard let c = try? directory.loadGraph().tasks.first(where: { $0.label == "c" }),
                  let log = try? String(contentsOfFile: directory.marker("log", of: c), encoding: .utf8) else { return false }
            return log.contains("waiting up to") && s.tasks.contains { $0.label == "c" && $0.state == .running }
        }
        return try #require(running.tasks.first { $0.label == "c" && $0.state == .running }?.slurmJob)
    }

    @Test("the early-warning signal: USR1 → the task checkpoints, exits 75 → requeued → finishes")
    func signalRequeue() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "usr1", slowSeconds: 120), label: "grid-slurm-usr1")
        let run = folder.appendingPathComponent("run").path
        #expect(try vbfgrid(["grid", "submit", spec, "--dev-tasks", "--backend", "slurm", "--run-dir", run]).status == 0)
        let job = try waitUntilCWaits(run)
        // What --signal=B:USR1@<s> does before the time limit, on demand.
        #expect(try Launcher.run("scancel", ["--batch", "--signal=USR1", job], environment: environment).status == 0)
        let requeued = try waitFor(run, timeout: 30) { s in s.tasks.contains { $0.label == "c" && $0.requeues == 1 } }
        #expect(requeued.tasks.first { $0.label == "c" }?.requeues == 1)
        let done = try waitFor(run, timeout: 90) { $0.allDone }
        #expect(done.allDone, "\(done.tasks.map { "\($0.label) \($0.state) \($0.slurmState ?? "")" })")
        let c = try #require(try RunDirectory(path: run).loadGraph().tasks.first { $0.label == "c" })
        #expect(try String(contentsOfFile: "\(run)/\(c.relativePath)/requeue.marker", encoding: .utf8).contains("after a signal"))
        let log = try String(contentsOfFile: RunDirectory(path: run).marker("log", of: c), encoding: .utf8)
        #expect(log.contains("restart 1 on"))   // the same array element, started again by Slurm
    }

    @Test("backend pilot: one allocation (srun --mpi=pmix -n 2) runs the whole grid")
    func pilot() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "pilot"), label: "grid-slurm-pilot")
        let run = folder.appendingPathComponent("run").path
        let out = try vbfgrid(["grid", "submit", spec, "--dev-tasks", "--backend", "pilot", "--pilot-ranks", "2", "--run-dir", run])
        #expect(out.status == 0 && out.stdout.contains("submitted pilot job"), "\(out.combined)")
        let status = try waitFor(run, timeout: 90) { $0.allDone }
        #expect(status.allDone && status.backend == "pilot", "\(status.tasks.map { "\($0.label) \($0.state)" })")
        #expect(status.tasks.first { $0.label == "c" }?.requeues == 1)
        let script = try String(contentsOfFile: "\(run)/slurm/pilot-pilot.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --ntasks=2\n") && script.contains("srun --mpi=pmix -n 2 "))
    }

    @Test("scancel of a running task shows it failed; resume completes it and its dependent")
    func cancelAndResume() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "cancel", slowSeconds: 120), label: "grid-slurm-cancel")
        let run = folder.appendingPathComponent("run").path
        #expect(try vbfgrid(["grid", "submit", spec, "--dev-tasks", "--backend", "slurm", "--run-dir", run]).status == 0)
        let job = try waitUntilCWaits(run)   // so that it checkpoints when cancelled
        #expect(try Launcher.run("scancel", [job], environment: environment).status == 0)
        let failed = try waitFor(run, timeout: 60) { s in s.tasks.contains { $0.label == "c" && $0.state == .failed } }
        #expect(failed.tasks.map(\.state) == [.done, .done, .failed, .blocked], "\(failed.tasks.map(\.slurmState))")
        let resumed = try vbfgrid(["grid", "resume", run])
        #expect(resumed.status == 0 && resumed.stdout.contains("cancelled 1 job(s) whose inputs had failed"), "\(resumed.combined)")
        let done = try waitFor(run, timeout: 90) { $0.allDone }
        #expect(done.allDone, "\(done.tasks.map { "\($0.label) \($0.state) \($0.slurmState ?? "")" })")
        let cancel = try vbfgrid(["grid", "cancel", run])
        #expect(cancel.status == 0 && cancel.stdout.contains("nothing queued or running"))
    }
}
