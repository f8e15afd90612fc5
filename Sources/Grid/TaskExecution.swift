/// One task of a run folder, run in this process (`vbfgrid task run`): checks that its inputs
/// are done (and an input task's file still has the SHA-256 the grid planned with), runs its stage with the task's argument vector, and writes the markers — `started`,
/// then `done` last when the stage returned, or `failed` with the exit status (not for exit
/// status 75, which asks the backend to requeue). Only `rank` 0 writes markers and prints.
public struct TaskExecution {
    public let run: RunDirectory
    public let taskId: String
    public let rank: Int

    public init(run: RunDirectory, taskId: String, rank: Int) {
        self.run = run
        self.taskId = taskId
        self.rank = rank
    }

    /// Runs `stage` (the subcommand of the argument vector, in this process) unless the task is
    /// done; `failure` gives a thrown error's exit status and message for the `failed` marker.
    public func execute(stage: ([String]) throws -> Void, failure: (any Error) -> (status: Int32, message: String))
        throws
    {
        let file = try run.loadTaskFile(id: taskId)
        let markers = TaskMarkers(run: run, task: file.task)
        if run.isDone(file.task) {
            if rank == 0 { print("[task] \(file.task.label) (\(file.task.id)) is already done") }
            return
        }
        let missing = markers.missingInputs(graph: try run.loadGraph())
        let problem =
            missing.isEmpty ? InputFiles.changed(file.task) : "inputs not done: \(missing.joined(separator: ", "))"
        if let message = problem {
            if rank == 0 { markers.failed(status: 1, message: message) }
            throw GridError("task \(file.task.label) (\(file.task.id)): \(message)")
        }
        if rank == 0 {
            try markers.started()
            Console.line(
                "[task] \(file.task.label) (\(file.task.id)): vbfgrid \(file.arguments.joined(separator: " "))")
        }
        do {
            try stage(file.arguments)
        } catch {
            let (status, message) = failure(error)
            if rank == 0 && status != TaskMarkers.requeueStatus { markers.failed(status: status, message: message) }
            throw error
        }
        if rank == 0 {
            try markers.done()
            print("[task] \(file.task.label) (\(file.task.id)) done")
        }
    }
}
