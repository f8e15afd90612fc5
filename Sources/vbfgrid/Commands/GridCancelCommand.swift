import ArgumentParser
import Foundation
import Grid

/// `vbfgrid grid cancel RUN`.
struct GridCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run: scancel its queued and running Slurm jobs, or stop its local runner.",
        discussion: """
            Done tasks stay done; `vbfgrid grid resume RUN` continues later. Tasks still running on this host \
            without a runner (their `started` marker's process is alive) get SIGTERM, with their process group.
            """
    )

    @Argument(help: "The run folder (runs/<name>).")
    var runPath: String

    func run() throws {
        let directory = RunDirectory(path: runPath)
        _ = try directory.loadGraph()
        let cancelled = SlurmRecords(run: directory).cancelAll()
        if !cancelled.isEmpty { print("[grid] scancel \(cancelled.joined(separator: " "))") }
        if let holder = RunLock.holder(of: directory), holder.alive,
            holder.host == ProcessInfo.processInfo.hostName
        {
            kill(holder.pid, SIGTERM)
            print("[grid] stopped the runner (process \(holder.pid), \(holder.purpose))")
        }
        var stopped = 0
        for task in try directory.loadGraph().tasks where !directory.isDone(task) {
            if let pid = TaskMarkers(run: directory, task: task).stopLiveProcess() {
                print("[grid] stopped \(task.label) (\(task.id)), process \(pid)")
                stopped += 1
            }
        }
        if cancelled.isEmpty && stopped == 0 && RunLock.holder(of: directory)?.alive != true {
            print("[grid] nothing queued or running for \(directory.path)")
        }
    }
}
