import Foundation
import MPI
import Outputs

/// Runs a grid inside one MPI allocation (`vbfgrid grid pilot`): rank 0 is the master, the other
/// ranks are workers. In waves (`PilotSchedule`), the master packs ready tasks onto the worker
/// ranks (a task of R ranks takes R of them), the world splits into one communicator per task,
/// each group's leader runs its task (`vbfgrid task run`, under `mpirun -n R` for R > 1) while
/// the group's ranks hold its cores, and reports back to the master. Exit status 75 requeues a
/// task into the next wave, at most `TaskMarkers.maxRequeues` times. Same run folder, markers and
/// status as the other backends.
public struct PilotBackend {
    public let world: Communicator
    /// The vbfgrid executable the tasks run.
    public let executable: String

    public init(world: Communicator, executable: String) {
        self.world = world
        self.executable = executable
    }

    /// Runs the grid of `target` (a spec, or an existing run folder) on every rank of `world`
    /// (at least 2); returns the number of failed tasks on rank 0 (0 on the others).
    public func execute(target: String, runDir: String?, allowDevTasks: Bool) throws -> Int {
        guard world.size >= 2 else {
            throw GridError(
                "grid pilot needs at least 2 ranks (rank 0 schedules, the others run tasks); start it under mpirun or srun"
            )
        }
        var runner: GridRunner?
        var setupError: String?
        if world.rank == 0 {
            do {
                runner = try prepare(target: target, runDir: runDir, allowDevTasks: allowDevTasks)
            } catch { setupError = "\(error)" }
        }
        let runPath = String(
            decoding: world.broadcast(bytes: Array((setupError.map { "!" + $0 } ?? runner?.run.path ?? "").utf8)),
            as: UTF8.self)
        if runPath.hasPrefix("!") { throw GridError(String(runPath.dropFirst())) }
        let run = RunDirectory(path: runPath)
        var lock: FolderLock?
        if world.rank == 0 { lock = try? RunLock.take(run: run, purpose: "grid pilot") }
        defer { lock?.release() }
        var failures = 0
        if world.rank == 0 { failures = master(runner!) } else { worker(run) }
        world.barrier()
        return failures
    }

    /// Rank 0: the runner of `target`, its run folder written, marked as a pilot run.
    private func prepare(target: String, runDir: String?, allowDevTasks: Bool) throws -> GridRunner {
        var isFolder: ObjCBool = false
        let runner: GridRunner
        if FileManager.default.fileExists(atPath: target, isDirectory: &isFolder), isFolder.boolValue {
            runner = try GridRunner.fromRun(path: target, executable: executable)
        } else {
            runner = try GridRunner.fromSpec(
                path: target, runDir: runDir, allowDevTasks: allowDevTasks, executable: executable)
            try FileManager.default.createDirectory(atPath: runner.run.path, withIntermediateDirectories: true)
            try runner.materialize(specText: try String(contentsOfFile: target, encoding: .utf8))
        }
        try runner.run.setBackend(.pilot)
        return runner
    }

    /// Rank 0: waves of assignments until nothing is ready.
    private func master(_ runner: GridRunner) -> Int {
        let schedule = PilotSchedule(graph: runner.graph, workers: world.size - 1)
        var done = Set(runner.graph.tasks.filter(runner.run.isDone).map(\.id)), failed: Set<String> = []
        var requeues: [String: Int] = [:]
        Console.line(
            "[pilot] \(runner.run.path): \(runner.graph.tasks.count) tasks, \(done.count) done, \(world.size - 1) worker ranks"
        )
        while true {
            let wave = schedule.wave(done: done, failed: failed)
            let text = Array(wave.map { $0 ?? "-" }.joined(separator: " ").utf8)
            for rank in 1..<world.size { world.send(text, to: rank, tag: 1) }
            let tasks = Set(wave.compactMap { $0 })
            if tasks.isEmpty { break }
            _ = world.split(color: 0, key: 0)
            for _ in tasks {
                let message = String(decoding: Self.await(world, from: nil, tag: 2), as: UTF8.self).split(
                    separator: " "
                ).map(String.init)
                let label = runner.graph.task(message[0])?.label ?? message[0]
                let id = message[0], status = Int32(message[1]) ?? 1
                if status == 0 {
                    done.insert(id)
                    Console.line("[pilot] done    \(label) (\(id))")
                } else if status == TaskMarkers.requeueStatus && requeues[id, default: 0] < TaskMarkers.maxRequeues,
                    let task = runner.graph.task(id)
                {
                    requeues[id, default: 0] += 1
                    TaskMarkers(run: runner.run, task: task).requeued()
                    Console.line("[pilot] requeue \(label) (\(id)): exit status 75, it runs again in the next wave")
                } else {
                    failed.insert(id)
                    if let task = runner.graph.task(id), !runner.run.exists("failed", of: task) {
                        TaskMarkers(run: runner.run, task: task).failed(
                            status: status, message: "exited with status \(status)")
                    }
                    Console.line("[pilot] FAILED  \(label) (\(id)): exit status \(status)")
                }
            }
        }
        Console.line("[pilot] finished: \(done.count)/\(runner.graph.tasks.count) done, \(failed.count) failed")
        return failed.count
    }

    /// Worker ranks: join the group of the task assigned to this rank; its leader runs the task.
    private func worker(_ run: RunDirectory) {
        while true {
            let wave = String(decoding: Self.await(world, from: 0, tag: 1), as: UTF8.self).split(separator: " ").map(
                String.init)
            if wave.allSatisfy({ $0 == "-" }) { return }
            let mine = wave[world.rank]
            let color = mine == "-" ? 0 : (wave.firstIndex(of: mine)! + 1)
            let group = world.split(color: color, key: world.rank)
            guard mine != "-" else { continue }
            // The group's ranks hold their cores (sleeping, not spinning) until the leader's task ends.
            if group.rank == 0 {
                let status = launch(task: mine, ranks: group.size, run: run)
                for member in 1..<max(group.size, 1) { group.send([1], to: member, tag: 3) }
                world.send(Array("\(mine) \(status)".utf8), to: 0, tag: 2)
            } else {
                _ = Self.await(group, from: 0, tag: 3)
            }
        }
    }

    /// Waits for a message by polling every 20 ms, so idle ranks leave their cores to the tasks.
    private static func await(_ communicator: Communicator, from source: Int?, tag: Int) -> [UInt8] {
        while true {
            if let message = communicator.receiveIfAvailable(from: source, tag: tag) { return message.bytes }
            usleep(20_000)
        }
    }

    /// Runs `vbfgrid task run` as a child with a clean MPI environment (under `mpirun -n R` for R > 1).
    /// The launcher's and Slurm's variables are removed, so the child starts as its own MPI job on
    /// this node (a singleton, or mpirun's local launch) instead of joining the pilot's step.
    private func launch(task: String, ranks: Int, run: RunDirectory) -> Int32 {
        let process = Process()
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !([
                "OMPI_COMM_", "OMPI_MCA_ess", "OMPI_MCA_orte", "OMPI_MCA_pmix", "PMIX_", "PMI_", "OPAL_", "ORTE_",
                "SLURM_",
            ]
            .contains { key.hasPrefix($0) })
                && ![
                    "OMPI_UNIVERSE_SIZE", "OMPI_FILE_LOCATION", "OMPI_APP_CTX_NUM_PROCS",
                    "OMPI_FIRST_RANKS", "OMPI_NUM_APP_CTX", "OMPI_ARGV", "OMPI_COMMAND",
                ].contains(key)
        }
        environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
        var arguments = ["task", "run", run.path, task]
        if ranks > 1 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            arguments = ["mpirun", "-n", String(ranks), "--bind-to", "none", executable] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: executable)
        }
        process.arguments = arguments
        process.environment = environment
        guard let graph = try? run.loadGraph(), let t = graph.task(task) else { return 1 }
        let logPath = run.marker("log", of: t)
        AtomicFile.appendLine("==== pilot: \(arguments.joined(separator: " "))", to: logPath)
        guard let log = try? FileHandle(forWritingTo: URL(fileURLWithPath: logPath)) else { return 1 }
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return 127 }
        process.waitUntilExit()
        try? log.close()
        return process.terminationStatus == 0 && run.isDone(t) ? 0 : max(1, process.terminationStatus)
    }
}
