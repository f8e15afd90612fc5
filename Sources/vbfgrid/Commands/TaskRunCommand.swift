import ArgumentParser
import Foundation
import Grid

/// `vbfgrid task run RUN TASKID`: what every grid job executes.
struct TaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "task",
        abstract: "Run one task of a grid run folder (what every grid job executes).",
        subcommands: [TaskRunCommand.self]
    )
}

struct TaskRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract:
            "Run one task: check its inputs are done, run its stage subcommand in-process, write the done marker.",
        discussion: """
            Reads RUN/tasks/<stage>/<id>/task.json and runs its argument vector as a vbfgrid subcommand in this
            process, so under mpirun or srun the stage sees the whole MPI world. Rank 0 writes `started`, and
            `done` last (atomically) when the stage returned successfully, or `failed` with the exit status.
            Exit status 75 (EX_TEMPFAIL: checkpointed after SIGUSR1/SIGTERM) asks the backend to requeue the task.
            A done task is not run again. Started by a local runner, the task stops itself (SIGTERM: training \
            checkpoints) when that runner dies. Example: vbfgrid task run runs/demo 3f9a0c2e5b7d1a44
            """
    )

    @Argument(help: "The run folder (runs/<name>).")
    var runPath: String

    @Argument(help: "The task id (or a unique prefix of at least 6 characters).")
    var taskId: String

    func run() throws {
        RunnerWatchdog.start()
        try TaskExecution(run: RunDirectory(path: runPath), taskId: taskId, rank: TaskMarkers.launcherRank).execute(
            stage: { arguments in
                var command = try VBFGrid.parseAsRoot(arguments)
                try command.run()
            },
            failure: { (VBFGrid.exitCode(for: $0).rawValue, VBFGrid.message(for: $0)) })
    }
}
