import ArgumentParser
import Foundation
import Grid
import MPI
import Outputs

/// `vbfgrid grid pilot SPEC|RUN`: the whole grid inside one MPI allocation.
struct GridPilotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pilot",
        abstract: "Run a whole grid inside one MPI allocation: rank 0 schedules tasks onto groups of worker ranks.",
        discussion: """
        Start it under the launcher: `srun -n 64 vbfgrid grid pilot jobs/x.yaml` or `mpirun -n 5 vbfgrid grid pilot runs/x`.
        In waves, rank 0 packs ready tasks onto the worker ranks (a task of R ranks takes R of them), the world
        splits into one communicator per task, each group's leader runs its task (`vbfgrid task run`, under
        `mpirun -n R` for R > 1) while the group's ranks hold its cores, and reports back to rank 0. Same run
        folder, markers and status as the other backends. Needs at least 2 ranks.
        """
    )

    @Argument(help: "A grid spec (YAML) or an existing run folder.")
    var target: String

    @Option(help: "Run folder when starting from a spec (default runs/<name>).")
    var runDir: String?

    @Flag(help: "Accept dev_tasks (test and development grids only).")
    var devTasks = false

    func run() throws {
        let world = MPIRuntime.initialize()
        defer { MPIRuntime.finalize() }
        guard world.size >= 2 else {
            throw ValidationError("grid pilot needs at least 2 ranks (rank 0 schedules, the others run tasks); start it under mpirun or srun")
        }
        var runner: GridRunner?
        var setupError: String?
        if world.rank == 0 {
            do {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: target, isDirectory: &isFolder), isFolder.boolValue {
                    runner = try GridRunner.fromRun(path: target, executable: SelfExecutable.path)
                } else {
                    let r = try GridRunner.fromSpec(path: target, runDir: runDir, allowDevTasks: devTasks, executable: SelfExecutable.path)
                    try FileManager.default.createDirectory(atPath: r.run.path, withIntermediateDirectories: true)
                    try r.materialize(specText: try String(contentsOfFile: target, encoding: .utf8))
                    runner = r
                }
                try runner!.run.setBackend("pilot")
            } catch { setupError = "\(error)" }
        }
        let runPath = String(decoding: world.broadcast(bytes: Array((setupError.map { "!" + $0 } ?? runner?.run.path ?? "").utf8)),
                             as: UTF8.self)
        if runPath.hasPrefix("!") { throw GridError(String(runPath.dropFirst())) }
        let run = RunDirectory(path: runPath)
        var lock: FolderLock?
        if world.rank == 0 { lock = try? RunLock.take(run: run, purpose: "grid pilot") }
        defer { lock?.release() }
        var failures = 0
        if world.rank == 0 { failures = master(world, runner!) } else { worker(world, run) }
        world.barrier()
        if world.rank == 0 && failures > 0 { throw ExitCode(3) }
    }

    /// Rank 0: waves of assignments until nothing is ready.
    private func master(_ world: Communicator, _ runner: GridRunner) -> Int {
        let schedule = PilotSchedule(graph: runner.graph, workers: world.size - 1)
        var done = Set(runner.graph.tasks.filter(runner.run.isDone).map(\.id)), failed: Set<String> = []
        var requeues: [String: Int] = [:]
        Console.line("[pilot] \(runner.run.path): \(runner.graph.tasks.count) tasks, \(done.count) done, \(world.size - 1) worker ranks")
        while true {
            let wave = schedule.wave(done: done, failed: failed)
            let text = Array(wave.map { $0 ?? "-" }.joined(separator: " ").utf8)
            for rank in 1..<world.size { world.send(text, to: rank, tag: 1) }
            let tasks = Set(wave.compactMap { $0 })
            if tasks.isEmpty { break }
            _ = world.split(color: 0, key: 0)
            for _ in tasks {
                let message = String(decoding: Self.await(world, from: nil, tag: 2), as: UTF8.self).split(separator: " ").map(String.init)
                let label = runner.graph.task(message[0])?.label ?? message[0]
                let id = message[0], status = Int32(message[1]) ?? 1
                if status == 0 {
                    done.insert(id)
                    Console.line("[pilot] done    \(label) (\(id))")
                } else if status == TaskMarkers.requeueStatus && requeues[id, default: 0] < 5, let task = runner.graph.task(id) {
                    requeues[id, default: 0] += 1
                    TaskMarkers(run: runner.run, task: task).requeued()
                    Console.line("[pilot] requeue \(label) (\(id)): exit status 75, it runs again in the next wave")
                } else {
                    failed.insert(id)
                    if let task = runner.graph.task(id), !runner.run.exists("failed", of: task) {
                        TaskMarkers(run: runner.run, task: task).failed(status: status, message: "exited with status \(status)")
                    }
                    Console.line("[pilot] FAILED  \(label) (\(id)): exit status \(status)")
                }
            }
        }
        Console.line("[pilot] finished: \(done.count)/\(runner.graph.tasks.count) done, \(failed.count) failed")
        return failed.count
    }

    /// Worker ranks: join the group of the task assigned to this rank; its leader runs the task.
    private func worker(_ world: Communicator, _ run: RunDirectory) {
        while true {
            let wave = String(decoding: Self.await(world, from: 0, tag: 1), as: UTF8.self).split(separator: " ").map(String.init)
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
            !(["OMPI_COMM_", "OMPI_MCA_ess", "OMPI_MCA_orte", "OMPI_MCA_pmix", "PMIX_", "PMI_", "OPAL_", "ORTE_", "SLURM_"]
                .contains { key.hasPrefix($0) }) && !["OMPI_UNIVERSE_SIZE", "OMPI_FILE_LOCATION", "OMPI_APP_CTX_NUM_PROCS",
                                                      "OMPI_FIRST_RANKS", "OMPI_NUM_APP_CTX", "OMPI_ARGV", "OMPI_COMMAND"].contains(key)
        }
        environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
        var arguments = ["task", "run", run.path, task]
        if ranks > 1 {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            arguments = ["mpirun", "-n", String(ranks), "--bind-to", "none", SelfExecutable.path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: SelfExecutable.path)
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
