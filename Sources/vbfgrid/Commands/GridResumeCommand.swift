import ArgumentParser
import Foundation
import Grid

/// `vbfgrid grid resume RUN`: resubmit what is not done.
struct GridResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Run again every task of a run that is not done, with the backend of its last submit.",
        discussion: """
            Failed, cancelled, lost and never-run tasks are resubmitted (jobs waiting forever on a failed input
            are cancelled first); queued and running ones are left alone. Training resumes from its last
            checkpoint (train --resume). Uses the run's graph.json and spec.yaml.
            """
    )

    @Argument(help: "The run folder (runs/<name>).")
    var runPath: String

    @Option(help: "Backend (default: the one of the last submit).")
    var backend: GridBackend?

    @Option(help: "Folder of the sbatch templates.")
    var templates: String?

    @Option(help: "local: cores to use.")
    var concurrency: Int?

    func run() throws {
        let runner = try GridRunner.fromRun(path: runPath, executable: SelfExecutable.path)
        let chosen = backend ?? runner.run.backend ?? .local
        try GridSubmission(
            runner: runner, backend: chosen, dryRun: false, templates: templates,
            concurrency: concurrency, pilotRanks: 4
        ).perform(specText: nil)
    }
}
