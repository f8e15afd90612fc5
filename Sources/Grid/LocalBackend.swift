import Foundation
import Outputs

/// Runs a grid on this machine: ready tasks start as `vbfgrid task run RUN ID` child processes
/// (MPI tasks under `mpirun -n R`) while their ranks fit in `concurrency` cores; done tasks are
/// skipped; exit status 75 reruns the task (it resumes from its checkpoint); a failure stops
/// the scheduling of that task's dependents and is reported at the end. Each task runs in a
/// process group of its own (Foundation's `Process` starts every child as a group leader), with
/// this runner's pid in its environment: a task whose runner dies stops itself
/// (`RunnerWatchdog`), and `grid cancel` signals its group.
public final class LocalBackend: @unchecked Sendable {
    public let run: RunDirectory
    public let graph: TaskGraph
    public let executable: String
    public let concurrency: Int
    private let output: (String) -> Void

    public init(
        run: RunDirectory, graph: TaskGraph, executable: String, concurrency: Int,
        output: @escaping (String) -> Void = Console.line
    ) {
        self.run = run
        self.graph = graph
        self.executable = executable
        self.concurrency = max(1, concurrency)
        self.output = output
    }

    public struct Outcome: Sendable {
        public var done: Int
        public var ran: Int
        public var failed: [String]
        public var blocked: [String]
    }

    private struct Running {
        var task: GridTask
        var process: Process
        var slots: Int
        var started: Date
    }

    private static let runningLock = NSLock()
    nonisolated(unsafe) private static var livePIDs: Set<Int32> = []

    /// Runs every task that is not done. Returns when nothing more can run.
    public func execute() throws -> Outcome {
        installSignalHandlers()
        var done = Set(graph.tasks.filter(run.isDone).map(\.id))
        var failed: [String] = [], blocked: Set<String> = [], requeues: [String: Int] = [:]
        var running: [Running] = []
        var ran = 0
        let total = graph.tasks.count
        output("[grid] \(run.path): \(total) tasks, \(done.count) already done, concurrency \(concurrency)")
        while true {
            // Reap finished tasks.
            for (index, item) in running.enumerated().reversed() where !item.process.isRunning {
                running.remove(at: index)
                Self.forget(item.process.processIdentifier)
                let status = item.process.terminationStatus
                let seconds = String(format: "%.1f", Date().timeIntervalSince(item.started))
                if status == 0 && run.isDone(item.task) {
                    done.insert(item.task.id)
                    ran += 1
                    output(
                        "[grid] done    \(item.task.label) (\(item.task.id)) in \(seconds) s — \(done.count)/\(total)")
                } else if status == TaskMarkers.requeueStatus
                    && requeues[item.task.id, default: 0] < TaskMarkers.maxRequeues
                {
                    requeues[item.task.id, default: 0] += 1
                    TaskMarkers(run: run, task: item.task).requeued()
                    output("[grid] requeue \(item.task.label) (\(item.task.id)): exit status 75, starting it again")
                    running.append(try start(item.task))
                } else {
                    if !run.exists("failed", of: item.task) {
                        TaskMarkers(run: run, task: item.task).failed(
                            status: status, message: "exited with status \(status)")
                    }
                    failed.append(item.task.id)
                    let cut = graph.downstream(of: item.task.id)
                    blocked.formUnion(cut)
                    output(
                        "[grid] FAILED  \(item.task.label) (\(item.task.id)): exit status \(status) after \(seconds) s; "
                            + "log \(run.marker("log", of: item.task)); \(cut.count) dependent task(s) will not run")
                }
            }
            // Start ready tasks while slots remain.
            let busy = running.reduce(0) { $0 + $1.slots }
            var free = concurrency - busy
            let active = Set(running.map(\.task.id))
            for task in graph.tasks
            where !done.contains(task.id) && !active.contains(task.id)
                && !failed.contains(task.id) && !blocked.contains(task.id)
                && task.inputs.allSatisfy(done.contains)
            {
                let slots = min(task.resources.ranks ?? 1, concurrency)
                guard slots <= free else { continue }
                running.append(try start(task))
                free -= slots
                output(
                    "[grid] start   \(task.label) (\(task.id))"
                        + (slots > 1 ? " on \(task.resources.ranks!) ranks" : ""))
            }
            if running.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let notRun = graph.tasks.filter { !done.contains($0.id) && !failed.contains($0.id) }.map(\.id)
        output(
            "[grid] finished: \(done.count)/\(total) done, \(ran) ran now, \(failed.count) failed, \(notRun.count) not run"
        )
        return Outcome(done: done.count, ran: ran, failed: failed, blocked: notRun)
    }

    private func start(_ task: GridTask) throws -> Running {
        let ranks = task.resources.ranks ?? 1
        let process = Process()
        var arguments = ["task", "run", run.path, task.id]
        var environment = ProcessInfo.processInfo.environment
        environment[RunnerWatchdog.environmentKey] = String(getpid())
        if ranks > 1 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            arguments = ["mpirun", "-n", String(ranks), "--bind-to", "none", executable] + arguments
            environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
            if getuid() == 0 {
                environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
                environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
            }
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
        }
        process.arguments = arguments
        process.environment = environment
        let logPath = run.marker("log", of: task)
        AtomicFile.appendLine(
            "==== \(ISO8601DateFormatter().string(from: Date())) local: \(arguments.joined(separator: " "))",
            to: logPath)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        Self.remember(process.processIdentifier)
        return Running(task: task, process: process, slots: min(ranks, concurrency), started: Date())
    }

    private static func remember(_ pid: Int32) { runningLock.withLock { _ = livePIDs.insert(pid) } }
    private static func forget(_ pid: Int32) { runningLock.withLock { _ = livePIDs.remove(pid) } }

    /// SIGINT/SIGTERM: pass SIGTERM to the running tasks, wait for them (a task may checkpoint and exit
    /// with status 75; none writes a done marker, so they all run again next time), then exit.
    private func installSignalHandlers() {
        Self.unblock([SIGINT, SIGTERM])
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { received in
                let pids = LocalBackend.runningLock.withLock { LocalBackend.livePIDs }
                for pid in pids { kill(-pid, SIGTERM) }
                // Give the tasks up to 30 s to checkpoint and exit (status 75) before leaving.
                for _ in 0..<600 {
                    if !pids.contains(where: ProcessLiveness.isAlive) { break }
                    usleep(50_000)
                }
                _exit(128 + received)
            }
        }
    }

    /// Unblocks `signals` in this thread: a parent that started us from a thread with them blocked
    /// (dispatch worker threads block most signals) passes its mask on.
    public static func unblock(_ signals: [Int32]) {
        var set = sigset_t()
        sigemptyset(&set)
        for sig in signals { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
