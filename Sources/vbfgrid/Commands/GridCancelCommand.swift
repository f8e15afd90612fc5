import ArgumentParser
import Foundation
import Grid

/// `vbfgrid grid cancel RUN`.
struct GridCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a run: scancel its queued and running Slurm jobs, or stop its local runner.",
        discussion: "Done tasks stay done; `vbfgrid grid resume RUN` continues later."
    )

    @Argument(help: "The run folder (runs/<name>).")
    var runPath: String

    func run() throws {
        let directory = RunDirectory(path: runPath)
        _ = try directory.loadGraph()
        let cancelled = SlurmRecords(run: directory).cancelAll()
        if !cancelled.isEmpty { print("[grid] scancel \(cancelled.joined(separator: " "))") }
        if let holder = RunLock.holder(of: directory), holder.alive,
           holder.host == ProcessInfo.processInfo.hostName {
            kill(holder.pid, SIGTERM)
            print("[grid] stopped the runner (process \(holder.pid), \(holder.purpose))")
        } else if cancelled.isEmpty {
            print("[grid] nothing queued or running for \(directory.path)")
        }
    }
}
