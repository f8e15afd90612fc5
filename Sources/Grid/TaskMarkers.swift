import Foundation

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
        var text = "host=\(ProcessInfo.processInfo.hostName) pid=\(getpid()) time=\(ISO8601DateFormatter().string(from: Date()))"
        if let job = env["SLURM_JOB_ID"] { text += " slurm_job=\(job)" }
        if let restarts = env["SLURM_RESTART_COUNT"] { text += " restarts=\(restarts)" }
        try AtomicFile.write(text + "\n", to: run.marker("started", of: task))
    }

    public func done() throws {
        try AtomicFile.write("time=\(ISO8601DateFormatter().string(from: Date()))\n", to: run.marker("done", of: task))
    }

    public func failed(status: Int32, message: String) {
        try? AtomicFile.write("status=\(status) time=\(ISO8601DateFormatter().string(from: Date()))\n\(message)\n",
                              to: run.marker("failed", of: task))
    }

    public func requeued() {
        AtomicFile.appendLine("status=75 time=\(ISO8601DateFormatter().string(from: Date()))", to: run.marker("requeued", of: task))
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
