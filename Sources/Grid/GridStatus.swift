import Foundation

/// The state of every task of a run, from the markers in the run folder and, for Slurm runs,
/// squeue (then sacct when accounting exists). A done marker always wins; a job Slurm has
/// forgotten is judged by the markers alone.
public struct GridStatus: Sendable, Codable {
    public enum State: String, Sendable, Codable, CaseIterable {
        case done, running, pending, requeued, failed, blocked
        /// Never started, or started by a runner that is gone without a done or failed marker.
        case notRun = "not-run"
    }

    public struct TaskState: Sendable, Codable {
        public var id: String
        public var stage: String
        public var label: String
        public var state: State
        /// `A_T` and Slurm state/reason when Slurm knows the task's job.
        public var slurmJob: String?
        public var slurmState: String?
        public var detail: String?
        public var requeues: Int
    }

    public var run: String
    public var backend: String
    public var tasks: [TaskState]
    /// Where the Slurm states came from: squeue, sacct, markers (Slurm forgot), or none.
    public var sources: [String]
    /// Time taken per stage by its done tasks (from the markers).
    public var timings: [StageTiming]

    public func count(_ state: State, stage: String? = nil) -> Int {
        tasks.filter { $0.state == state && (stage == nil || $0.stage == stage) }.count
    }

    public var allDone: Bool { tasks.allSatisfy { $0.state == .done } }

    /// `verify`: compare the checksums of done tasks' outputs with their done markers (a done
    /// task whose outputs are missing, resized or changed is reported failed, with the files).
    public static func collect(run: RunDirectory, graph: TaskGraph, verify: Bool = false) -> GridStatus {
        let backend = run.backend?.rawValue ?? "none"
        // A live local or pilot runner (not this process) owns the tasks it has not finished.
        let holder = RunLock.holder(of: run)
        let runnerAlive = backend != "slurm" && holder?.alive == true && holder?.pid != getpid()
        var sources: [String] = []
        var slurmEntries: [String: SlurmQueue.Entry] = [:] // "A_T" → entry
        var placement: [String: (jobId: String, index: Int)] = [:]
        if backend == "slurm" {
            placement = SlurmRecords(run: run).lastPlacement()
            let ids = Array(Set(placement.values.map(\.jobId))).sorted()
            if let entries = SlurmQueue.poll(ids) {
                sources.append("squeue")
                for entry in entries { slurmEntries["\(entry.arrayJobId)_\(entry.arrayTaskId ?? 0)"] = entry }
            }
            let missing = ids.filter { id in !slurmEntries.values.contains { $0.arrayJobId == id } }
            if !missing.isEmpty {
                if let accounted = SlurmQueue.accounting(missing) {
                    sources.append("sacct")
                    for entry in accounted { slurmEntries["\(entry.arrayJobId)_\(entry.arrayTaskId ?? 0)"] = entry }
                } else {
                    sources.append("markers")
                }
            }
        } else {
            sources.append("markers")
        }
        let tasks = graph.tasks.map { task -> TaskState in
            let requeues =
                (try? String(contentsOfFile: run.marker("requeued", of: task), encoding: .utf8))?
                .split(whereSeparator: \.isNewline).count ?? 0
            var state = TaskState(id: task.id, stage: task.stage, label: task.label, state: .notRun, requeues: requeues)
            let failedText = (try? String(contentsOfFile: run.marker("failed", of: task), encoding: .utf8))?
                .split(whereSeparator: \.isNewline).first.map(String.init)
            switch run.doneProblems(task, checksums: verify) {
            case .some([]):
                state.state = .done
                return state
            case .some(let problems):
                state.state = .failed
                state.detail = "done, but its outputs are damaged: " + problems.joined(separator: "; ")
                return state
            case nil: break
            }
            if let (jobId, index) = placement[task.id] {
                state.slurmJob = "\(jobId)_\(index)"
                if let entry = slurmEntries[state.slurmJob!] {
                    state.slurmState =
                        entry.reason.isEmpty || entry.reason == "None"
                        ? entry.state : "\(entry.state) (\(entry.reason))"
                    state.state = Self.state(slurm: entry, requeues: requeues)
                    if state.state == .failed {
                        state.detail = failedText ?? "job ended \(entry.state) without a done marker"
                    }
                    return state
                }
                // Slurm forgot the job (or never listed it): judge by the markers.
                state.state = failedText != nil || run.exists("started", of: task) ? .failed : .notRun
                state.detail =
                    failedText ?? (run.exists("started", of: task) ? "job gone from Slurm without a done marker" : nil)
                return state
            }
            if failedText != nil {
                state.state = .failed
                state.detail = failedText
                return state
            }
            if run.exists("started", of: task) {
                if let (pid, _) = TaskMarkers(run: run, task: task).liveProcess() {
                    state.state = .running
                    if !runnerAlive { state.detail = "process \(pid) still running without its runner" }
                } else {
                    state.state = runnerAlive ? .running : .notRun
                }
            } else if runnerAlive {
                state.state = .pending
            }
            return state
        }
        // Tasks waiting for a failed input can never run until it is resumed.
        var result = tasks
        let failed = Set(result.filter { $0.state == .failed }.map(\.id))
        var cut: Set<String> = []
        for id in failed { cut.formUnion(graph.downstream(of: id)) }
        for index in result.indices
        where cut.contains(result[index].id) && [.pending, .notRun].contains(result[index].state) {
            result[index].state = .blocked
        }
        return GridStatus(
            run: run.path, backend: backend, tasks: result, sources: sources,
            timings: StageTiming.collect(run: run, graph: graph).stages)
    }

    static func state(slurm entry: SlurmQueue.Entry, requeues: Int) -> State {
        switch entry.state {
        case "RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED", "SIGNALING", "STAGE_OUT", "STOPPED", "RESIZING":
            return .running
        case "PENDING":
            if SlurmQueue.hopelessReasons.contains(entry.reason) { return .blocked }
            return requeues > 0 || entry.reason == "BeginTime" ? .requeued : .pending
        case "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "PREEMPTED":
            return .requeued
        default: // COMPLETED without a done marker, FAILED, CANCELLED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, …
            return .failed
        }
    }

    /// Whether `state` means Slurm still owns the task (do not resubmit it).
    public static func isActive(_ state: State) -> Bool { [.running, .pending, .requeued].contains(state) }
}
