import ArgumentParser
import Foundation
import Grid

/// `vbfgrid grid …`: expand a YAML grid spec into its task graph and run it locally, on Slurm,
/// or inside one MPI allocation.
struct GridCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Plan, submit, watch, resume and cancel a grid of vbfgrid tasks (jobs/*.yaml).",
        discussion: """
            A grid spec (docs/grid-spec.md) becomes a task graph: generate → minbias → overlay → preprocess →
            train → evaluate → limits → report. Each task is one stage subcommand, run by `vbfgrid task run`.
            The run folder runs/<name>/ holds the spec, the graph, every task's folder, log and markers.
            """,
        subcommands: [
            GridPlanCommand.self, GridSubmitCommand.self, GridStatusCommand.self,
            GridResumeCommand.self, GridCancelCommand.self, GridPilotCommand.self,
        ]
    )
}

/// Where this vbfgrid executable is (tasks run the same binary).
enum SelfExecutable {
    static var path: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return Bundle.main.executablePath ?? CommandLine.arguments[0]
    }
}
