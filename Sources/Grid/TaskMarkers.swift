import Foundation
import Outputs

/// The marker files of one task attempt, written by `vbfgrid task run` (rank 0 only).
public struct TaskMarkers: Sendable {
    public let run: RunDirectory
    public let task: GridTask

    public init(run: RunDirectory, task: GridTask) {
        self.run = run
        self.task = task
    }

    /// Exit status that means "checkpointed, run me again" (EX_TEMPFAIL): the backends requeue.
    public static let requeueStatus: Int32 = 75
    /// How often one task may end with `requeueStatus` and be started again (local and pilot backends).
    public static let maxRequeues = 5

    /// Inputs that are not done yet, as "label (id)".
    public func missingInputs(graph: TaskGraph) -> [String] {
        task.inputs.compactMap { id in
            guard let input = graph.task(id) else { return "unknown task \(id)" }
            return run.isDone(input) ? nil : "\(input.label) (\(id))"
        }
    }

    public func started() throws {
        unlink(run.marker("failed", of: task))
        let env = ProcessInfo.processInfo.environment
        var text =
            "host=\(ProcessInfo.processInfo.hostName) pid=\(getpid()) pgid=\(getpgrp()) time=\(ISO8601DateFormatter().string(from: Date()))"
        if let job = env["SLURM_JOB_ID"] { text += " slurm_job=\(job)" }
        if let restarts = env["SLURM_RESTART_COUNT"] { text += " restarts=\(restarts)" }
        try AtomicFile.write(text + "\n", to: run.marker("started", of: task))
    }

    /// The process of the last attempt (`started`: host, pid, process group) when it is still alive on
    /// this host and still runs this task (its command line names the task's id) — a task whose
    /// runner died, or one started by another runner.
    public func liveProcess() -> (pid: Int32, group: Int32)? {
        guard let text = try? String(contentsOfFile: run.marker("started", of: task), encoding: .utf8) else {
            return nil
        }
        var fields: [String: String] = [:]
        for pair in text.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[String(parts[0])] = String(parts[1]) }
        }
        guard fields["host"] == ProcessInfo.processInfo.hostName, let pid = fields["pid"].flatMap(Int32.init), pid > 0,
            ProcessLiveness.isAlive(pid),
            let command = try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")),
            String(decoding: command, as: UTF8.self).contains(task.id)
        else { return nil }
        return (pid, fields["pgid"].flatMap(Int32.init) ?? pid)
    }

    /// Ends the live process of this task (`liveProcess`) with SIGTERM — its whole process group when
    /// the task has one of its own (the local backend's `setsid`), so mpirun and every rank stop.
    /// Training checkpoints on SIGTERM. Returns the pid signalled, nil when nothing was running.
    @discardableResult
    public func stopLiveProcess() -> Int32? {
        guard let (pid, group) = liveProcess() else { return nil }
        if group > 1 && group != getpgrp() { kill(-group, SIGTERM) } else { kill(pid, SIGTERM) }
        return pid
    }

    /// Writes the done marker with the outputs' sizes and checksums (`TaskOutputs`).
    public func done() throws {
        let outputs = try TaskOutputs.scan(folder: run.folder(of: task))
        try AtomicFile.write(
            (["time=\(ISO8601DateFormatter().string(from: Date()))"] + outputs.lines).joined(separator: "\n") + "\n",
            to: run.marker("done", of: task))
    }

    public func failed(status: Int32, message: String) {
        try? AtomicFile.write(
            "status=\(status) time=\(ISO8601DateFormatter().string(from: Date()))\n\(message)\n",
            to: run.marker("failed", of: task))
    }

    public func requeued() {
        AtomicFile.appendLine(
            "status=75 time=\(ISO8601DateFormatter().string(from: Date()))", to: run.marker("requeued", of: task))
    }

    /// This process's rank in its MPI job, from the launcher's environment (0 when alone).
    public static var launcherRank: Int {
        let env = ProcessInfo.processInfo.environment
        for key in ["PMIX_RANK", "OMPI_COMM_WORLD_RANK", "PMI_RANK"] {
            if let value = env[key], let rank = Int(value) { return rank }
        }
        return 0
    }
}

/// Ends a grid task when the local runner that started it is gone (killed with SIGKILL, or its
/// terminal closed): the runner puts its pid in `environmentKey`, and a thread of `vbfgrid task
/// run` polls it; when the runner has gone the task sends itself SIGTERM — training checkpoints
/// and exits with status 75, other stages stop — so no task is left running without a runner.
public enum RunnerWatchdog {
    public static let environmentKey = "VBFGRID_RUNNER_PID"

    /// Starts the watchdog when this process was started by a local runner.
    public static func start(interval: TimeInterval = 0.5) {
        guard let text = ProcessInfo.processInfo.environment[environmentKey], let runner = Int32(text), runner > 1
        else { return }
        Thread.detachNewThread {
            while ProcessLiveness.isAlive(runner) { Thread.sleep(forTimeInterval: interval) }
            FileHandle.standardError.write(
                Data("[task] the grid runner (process \(runner)) is gone: stopping this task\n".utf8))
            kill(getpid(), SIGTERM)
        }
    }
}
