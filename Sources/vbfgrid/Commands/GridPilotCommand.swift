import ArgumentParser
import Grid
import MPI

/// `vbfgrid grid pilot SPEC|RUN`: the whole grid inside one MPI allocation (`PilotBackend`).
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
        let failures = try PilotBackend(world: world, executable: SelfExecutable.path)
            .execute(target: target, runDir: runDir, allowDevTasks: devTasks)
        if failures > 0 { throw ExitCode(3) }
    }
}
