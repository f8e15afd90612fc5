import Foundation
import NeuralNet
import TestSupport
import Testing
import Training

@testable import Grid

/// The Slurm backend on a real one-node cluster on localhost (slurm/local-cluster/up.sh), started
/// for each test (Swift Testing makes one instance of the suite per test) and stopped after it.
/// Needs root (slurmd) and slurm-wlm + munge.
@Suite("Slurm backend on a local cluster", .serialized)
final class SlurmClusterTests {
    let clusterDir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "vbfgrid-slurm-gridtests-\(getpid())"
    ).path
    let environment: [String: String]
    /// A private state folder and ports, so that other local clusters on this machine are not disturbed.
    /// `OverTimeLimit=1`: a job is killed a minute after its time limit, not at it (the `--signal`
    /// warning is unchanged), so that a training step slowed down by a loaded machine still ends
    /// and checkpoints after the warning before the kill.
    let clusterEnvironment: [String: String]

    init() throws {
        clusterEnvironment = [
            "SLURM_LOCAL_DIR": clusterDir, "SLURM_LOCAL_CTLD_PORT": "6917", "SLURM_LOCAL_SLURMD_PORT": "6918",
            "SLURM_LOCAL_EXTRA_CONF": "OverTimeLimit=1",
        ]
        let scripts = TestPaths.repositoryRoot.appendingPathComponent("slurm/local-cluster")
        let up = try Self.detached(
            scripts.appendingPathComponent("up.sh").path, log: "\(clusterDir).up.log",
            environment: clusterEnvironment)
        guard up.status == 0 else { throw GridError("slurm/local-cluster/up.sh failed: \(up.combined)") }
        environment = ["SLURM_CONF": "\(clusterDir)/etc/slurm.conf"]
    }

    deinit {
        let scripts = TestPaths.repositoryRoot.appendingPathComponent("slurm/local-cluster")
        _ = try? Self.detached(
            scripts.appendingPathComponent("down.sh").path, log: "\(clusterDir).down.log",
            environment: clusterEnvironment)
        for suffix in [".lock", ".up.log", ".down.log"] {
            try? FileManager.default.removeItem(atPath: clusterDir + suffix)
        }
    }

    /// Runs a cluster script with every inherited descriptor above 2 closed and its output in `log`:
    /// the daemons it starts must not hold the test process's pipes (the child's exit would never be seen).
    static func detached(_ script: String, log: String, environment: [String: String]) throws -> ProcessOutput {
        let closeAll = "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done; "
        return try Launcher.run(
            "/bin/bash",
            [
                "-c", closeAll + "\"$0\" > \"$1\" 2>&1 < /dev/null || { cat \"$1\"; exit 1; }",
                script, log,
            ], environment: environment, timeout: 90)
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
        let out = try vbfgrid([
            "grid", "submit", spec, "--dev-tasks", "--backend", "slurm", "--dry-run", "--run-dir", run,
        ])
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
        #expect(status.tasks.first { $0.label == "c" }?.requeues == 1) // exit 75 → scontrol requeue → done
        let local = try Launcher.vbfgrid(
            ["grid", "submit", spec, "--dev-tasks", "--run-dir", folder.appendingPathComponent("local").path],
            timeout: 120)
        #expect(local.status == 0)
        #expect(try Fixtures.results(run: run) == Fixtures.results(run: folder.appendingPathComponent("local").path))
    }

    /// Waits until dev task c runs and waits for its signal; returns its Slurm job (A_T).
    func waitUntilCWaits(_ run: String) throws -> String {
        let directory = RunDirectory(path: run)
        let running = try waitFor(run, timeout: 60) { s in
            guard let c = try? directory.loadGraph().tasks.first(where: { $0.label == "c" }),
                let log = try? String(contentsOfFile: directory.marker("log", of: c), encoding: .utf8)
            else { return false }
            return log.contains("waiting up to") && s.tasks.contains { $0.label == "c" && $0.state == .running }
        }
        return try #require(running.tasks.first { $0.label == "c" && $0.state == .running }?.slurmJob)
    }

    /// The weights, Nadam state and epoch count of a checkpoint written by `vbfgrid train`.
    func checkpoint(_ path: String, network: String) throws -> (weights: [Float], optimizer: Nadam.State, epochs: Int) {
        let model = try #require(Network(named: network)).build(maxBatch: 1)
        let optimizer = Nadam(parameterCount: model.parameterCount)
        let state = try Checkpoint.load(from: path, model: model, optimizer: optimizer)
        return (model.parameters.array, optimizer.state, state.epoch)
    }

    /// Polls until `task` is done or failed, or `until` holds for it; returns its last state.
    func waitFor(
        _ task: GridTask, in run: String, timeout: TimeInterval,
        until: (GridStatus.TaskState) -> Bool = { _ in false }
    ) throws -> GridStatus.TaskState {
        let status = try waitFor(run, timeout: timeout) { s in
            s.tasks.contains { $0.id == task.id && ([.done, .failed].contains($0.state) || until($0)) }
        }
        return try #require(status.tasks.first { $0.id == task.id })
    }

    @Test(
        "training at its time limit: Slurm's USR1 → checkpoint → exit 75 → requeue → resume → weights of an uninterrupted run"
    )
    func timeLimitRequeue() throws {
        let epochs = 5 // 13.5 s of CPU each on the development machine: still training at the latest warning (40 s)
        let (folder, spec) = try Fixtures.write(
            Fixtures.trainingGrid(name: "limit", epochs: epochs), label: "grid-slurm-limit")
        let run = folder.appendingPathComponent("run").path
        let submitted = try vbfgrid(["grid", "submit", spec, "--backend", "slurm", "--run-dir", run])
        #expect(submitted.status == 0, "\(submitted.combined)")
        let directory = RunDirectory(path: run)
        let graph = try directory.loadGraph()
        let train = try #require(graph.tasks.first { $0.stage == "train" })
        let preprocess = try #require(graph.tasks.first { $0.stage == "preprocess" })
        let script = try String(contentsOfFile: "\(run)/slurm/limit-train-0.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --time=1\n") && script.contains("#SBATCH --signal=B:USR1@20\n"))

        // The uninterrupted reference: the task's own argument vector into another folder, beside the Slurm job.
        let ready = try waitFor(preprocess, in: run, timeout: 180)
        try #require(ready.state == .done, "preprocess: \(ready.state) \(ready.slurmState ?? "")")
        var arguments = try directory.loadTaskFile(id: train.id).arguments
        let out = try #require(arguments.firstIndex(of: "--out")) + 1
        let reference = folder.appendingPathComponent("reference").path
        arguments[out] = reference
        let uninterrupted = try BackgroundProcess(
            ranks: nil, arguments, log: folder.appendingPathComponent("reference.log"))
        defer {
            if uninterrupted.process.isRunning { uninterrupted.process.terminate() }
            _ = try? vbfgrid(["grid", "cancel", run]) // evaluate, limits and report are not the subject here
        }

        // slurmctld checks time limits every 30 s and warns at the first check at most 20 + 30 s
        // before the one-minute limit: 10–40 s into the run, while the trainer is under way. It
        // stops after its current step, checkpoints and exits 75; the batch script requeues the element.
        let first = try waitFor(train, in: run, timeout: 300) {
            $0.requeues == 1 && $0.slurmState?.hasPrefix("PENDING") == true
        }
        let logPath = directory.marker("log", of: train)
        let firstLog = try String(contentsOfFile: logPath, encoding: .utf8)
        try #require(
            first.requeues == 1 && first.state == .requeued,
            "expected one requeue, pending: \(first.state), \(first.requeues) requeue(s); \(firstLog)")
        let started = try #require(firstLog.firstMatch(of: /==== (\S+) slurm job .* restart 0 on/)?.1)
        let requeued = try String(contentsOfFile: directory.marker("requeued", of: train), encoding: .utf8)
        let stopped = try #require(requeued.firstMatch(of: /time=(\S+)/)?.1)
        let iso = ISO8601DateFormatter()
        let seconds = try #require(iso.date(from: String(stopped))).timeIntervalSince(
            try #require(iso.date(from: String(started))))
        #expect(
            seconds >= 9,
            "Slurm warns at the first check ≤ 20 + 30 s before the limit, not \(seconds) s after the start")
        // Every run of the element gets the warning again 10–40 s after it starts: with a longer
        // limit for the requeued element the resumed run finishes in one go and the requeue count
        // does not depend on the machine's speed.
        let job = try #require(first.slurmJob)
        let raised = try Launcher.run("scontrol", ["update", "JobId=\(job)", "TimeLimit=10"], environment: environment)
        #expect(raised.status == 0, "\(raised.combined)")

        let done = try waitFor(train, in: run, timeout: 600)
        let end = uninterrupted.waitForExit(timeout: 600)
        #expect(end.status == 0 && !end.timedOut, "\(uninterrupted.output)")
        let text = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(done.state == .done && done.requeues == 1, "\(done.state) \(done.slurmState ?? ""): \(text)")
        // The first run stopped before the end; the second went on from the checkpoint, not from the start.
        let runs = text.components(separatedBy: " restart 1 on ")
        try #require(runs.count == 2, "\(text)")
        #expect(
            runs[0].contains("stopped on a preemption signal after checkpointing")
                && !runs[0].contains("epoch \(epochs)/\(epochs) done"), "\(runs[0])")
        let position = try #require(runs[1].firstMatch(of: /resuming from .*: epoch (\d+), step (\d+)/), "\(runs[1])")
        #expect(position.1 != "1" || position.2 != "0", "resumed at epoch \(position.1), step \(position.2)")
        #expect(runs[1].contains("epoch \(epochs)/\(epochs) done"), "\(runs[1])")
        let resumed = try checkpoint("\(run)/\(train.relativePath)/run/checkpoints/latest.h5", network: "PJ-LR-CNN")
        let whole = try checkpoint("\(reference)/checkpoints/latest.h5", network: "PJ-LR-CNN")
        #expect(resumed.epochs == epochs && whole.epochs == epochs)
        #expect(
            resumed.weights == whole.weights && resumed.optimizer == whole.optimizer,
            "the requeued and resumed training must end bit-identical to the uninterrupted one")
    }

    @Test(
        "a files grid (events, particles, Delphes, pileup from a min-bias file) completes; a changed input reruns its dependents only"
    )
    func filesGrid() throws {
        let (first, second) = try FilesGridTests.runTwice(
            label: "files-slurm",
            submit: { try self.vbfgrid(["grid", "submit", $0, "--backend", "slurm", "--run-dir", $1], timeout: 300) },
            wait: { run in
                let status = try self.waitFor(run, timeout: 900) { s in
                    s.allDone || s.tasks.contains { [.failed, .blocked].contains($0.state) }
                }
                try #require(
                    status.allDone, "\(status.tasks.filter { $0.state != .done }.map { "\($0.label): \($0.state)" })")
            })
        #expect(first.status == 0 && second.status == 0, "\(first.combined)\n\(second.combined)")
    }

    @Test("backend pilot: one allocation (srun --mpi=pmix -n 2) runs the whole grid")
    func pilot() throws {
        let (folder, spec) = try Fixtures.write(Fixtures.devGrid(name: "pilot"), label: "grid-slurm-pilot")
        let run = folder.appendingPathComponent("run").path
        let out = try vbfgrid([
            "grid", "submit", spec, "--dev-tasks", "--backend", "pilot", "--pilot-ranks", "2", "--run-dir", run,
        ])
        #expect(out.status == 0 && out.stdout.contains("submitted pilot job"), "\(out.combined)")
        let status = try waitFor(run, timeout: 90) { $0.allDone }
        #expect(status.allDone && status.backend == "pilot", "\(status.tasks.map { "\($0.label) \($0.state)" })")
        #expect(status.tasks.first { $0.label == "c" }?.requeues == 1)
        let script = try String(contentsOfFile: "\(run)/slurm/pilot-pilot.sbatch", encoding: .utf8)
        #expect(script.contains("#SBATCH --ntasks=2\n") && script.contains("srun --mpi=pmix -n 2 "))
    }

    @Test("scancel of a running task shows it failed; resume completes it and its dependent")
    func cancelAndResume() throws {
        let (folder, spec) = try Fixtures.write(
            Fixtures.devGrid(name: "cancel", slowSeconds: 120), label: "grid-slurm-cancel")
        let run = folder.appendingPathComponent("run").path
        #expect(
            try vbfgrid(["grid", "submit", spec, "--dev-tasks", "--backend", "slurm", "--run-dir", run]).status == 0)
        let job = try waitUntilCWaits(run) // so that it checkpoints when cancelled
        #expect(try Launcher.run("scancel", [job], environment: environment).status == 0)
        let failed = try waitFor(run, timeout: 60) { s in s.tasks.contains { $0.label == "c" && $0.state == .failed } }
        #expect(failed.tasks.map(\.state) == [.done, .done, .failed, .blocked], "\(failed.tasks.map(\.slurmState))")
        let resumed = try vbfgrid(["grid", "resume", run])
        #expect(
            resumed.status == 0 && resumed.stdout.contains("cancelled 1 job(s) whose inputs had failed"),
            "\(resumed.combined)")
        let done = try waitFor(run, timeout: 90) { $0.allDone }
        #expect(done.allDone, "\(done.tasks.map { "\($0.label) \($0.state) \($0.slurmState ?? "")" })")
        let cancel = try vbfgrid(["grid", "cancel", run])
        #expect(cancel.status == 0 && cancel.stdout.contains("nothing queued or running"))
    }
}
