import ArgumentParser
import Foundation
import Grid

/// `vbfgrid grid submit SPEC --backend local|slurm|pilot [--dry-run]`.
struct GridSubmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit",
        abstract: "Write the run folder of a grid spec and run it locally, submit it to Slurm, or as one pilot job.",
        discussion: """
            Tasks already done in the run folder (same id = same stage, parameters and inputs) are skipped, so
            changing one parameter reruns only what is downstream of it.
            local: runs ready tasks with the spec's concurrency (MPI tasks under mpirun), until done or failed.
            slurm: one job array per stage and resource shape, chained with --dependency=afterok; training
                   with --requeue and --signal=B:USR1@<slurm.signal_seconds>. Returns once submitted.
            pilot: submits one allocation that runs `vbfgrid grid pilot RUN` (rank 0 schedules tasks).
            --dry-run prints the scripts and sbatch lines and writes or submits nothing.
            A second submit while the run is still queued or running is refused.
            """
    )

    @Argument(help: "The grid spec (YAML).")
    var spec: String

    @Option(help: "local, slurm or pilot.")
    var backend: GridBackend = .local

    @Flag(help: "Print what would be submitted; write and submit nothing.")
    var dryRun = false

    @Option(help: "Run folder (default runs/<name>).")
    var runDir: String?

    @Option(
        help: "Folder of the sbatch templates (default: slurm/templates above the executable, or $VBFGRID_TEMPLATES).")
    var templates: String?

    @Option(help: "local: cores to use (default: the spec's local.concurrency).")
    var concurrency: Int?

    @Option(help: "pilot: ranks of the pilot allocation.")
    var pilotRanks: Int = 4

    @Flag(help: "Accept dev_tasks (test and development grids only).")
    var devTasks = false

    @Flag(
        help: "Replace the spec of an existing run folder by a different one (refused otherwise, listing the changes).")
    var force = false

    func run() throws {
        let runner = try GridRunner.fromSpec(
            path: spec, runDir: runDir, allowDevTasks: devTasks, executable: SelfExecutable.path)
        let specText = try String(contentsOfFile: spec, encoding: .utf8)
        var submission = GridSubmission(
            runner: runner, backend: backend, dryRun: dryRun, templates: templates,
            concurrency: concurrency, pilotRanks: pilotRanks)
        submission.replaceSpec = force
        try submission.perform(specText: specText)
    }
}

extension GridBackend: ExpressibleByArgument {}
