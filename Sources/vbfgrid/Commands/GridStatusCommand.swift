import ArgumentParser
import Foundation
import Grid

/// `vbfgrid grid status RUN [--json]`.
struct GridStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Per stage: done / running / pending / requeued / failed / blocked / not-run, with Slurm job ids.",
        discussion: """
            Slurm runs are polled with `squeue -h -r -t all` (text), then `sacct` when the cluster has accounting;
            jobs Slurm has forgotten are judged by the run folder's markers (done, failed, started).
            Under the table: the time each stage took (wall, summed task time, core time), from the markers of its done tasks.
            A done task counts only while the outputs its done marker lists are there with their sizes; with \
            --verify their SHA-256 checksums are compared too, and a damaged task shows as failed.
            Exit status 0 when every task is done, 3 when some failed or are blocked, 2 otherwise.
            """
    )

    @Argument(help: "The run folder (runs/<name>).")
    var runPath: String

    @Flag(help: "Print the status as JSON.")
    var json = false

    @Flag(help: "List every task that is not done.")
    var verbose = false

    @Flag(help: "Also check the SHA-256 of every done task's outputs against its done marker.")
    var verify = false

    func run() throws {
        let directory = RunDirectory(path: runPath)
        let status = GridStatus.collect(run: directory, graph: try directory.loadGraph(), verify: verify)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            let states = GridStatus.State.allCases
            print(
                "run \(status.run) (backend \(status.backend); states from \(status.sources.joined(separator: ", ")))")
            print(
                "stage".padding(toLength: 11, withPad: " ", startingAt: 0)
                    + states.map { $0.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) }.joined())
            var stages: [String] = []
            for task in status.tasks where !stages.contains(task.stage) { stages.append(task.stage) }
            for stage in stages {
                print(
                    stage.padding(toLength: 11, withPad: " ", startingAt: 0)
                        + states.map {
                            String(status.count($0, stage: stage)).padding(toLength: 9, withPad: " ", startingAt: 0)
                        }.joined())
            }
            if !status.timings.isEmpty {
                print("\ntime of done tasks (wall: first start to last done)")
                print(StageTiming.text(status.timings), terminator: "")
            }
            for task in status.tasks where task.state != .done && (verbose || task.state == .failed) {
                var line = "  \(task.state.rawValue) \(task.label) (\(task.id))"
                if let job = task.slurmJob { line += " job \(job)" + (task.slurmState.map { " \($0)" } ?? "") }
                if task.requeues > 0 { line += " requeued \(task.requeues)×" }
                if let detail = task.detail { line += ": \(detail)" }
                print(line)
            }
        }
        if status.allDone { return }
        throw ExitCode(status.tasks.contains { $0.state == .failed || $0.state == .blocked } ? 3 : 2)
    }
}
