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

    enum Backend: String, ExpressibleByArgument, CaseIterable { case local, slurm, pilot }

    @Argument(help: "The grid spec (YAML).")
    var spec: String

    @Option(help: "local, slurm or pilot.")
    var backend: Backend = .local

    @Flag(help: "Print what would be submitted; write and submit nothing.")
    var dryRun = false

    @Option(help: "Run folder (default runs/<name>).")
    var runDir: String?

    @Option(help: "Folder of the sbatch templates (default: slurm/templates above the executable, or $VBFGRID_TEMPLATES).")
    var templates: String?

    @Option(help: "local: cores to use (default: the spec's local.concurrency).")
    var concurrency: Int?

    @Option(help: "pilot: ranks of the pilot allocation.")
    var pilotRanks: Int = 4

    @Flag(help: "Accept dev_tasks (test and development grids only).")
    var devTasks = false

    func run() throws {
        let runner = try GridRunner.fromSpec(path: spec, runDir: runDir, allowDevTasks: devTasks, executable: SelfExecutable.path)
        let specText = try String(contentsOfFile: spec, encoding: .utf8)
        try GridSubmission(runner: runner, backend: backend.rawValue, dryRun: dryRun, templates: templates,
                           concurrency: concurrency, pilotRanks: pilotRanks).perform(specText: specText)
    }
}

/// The part of submit that resume shares: lock, refuse a busy run, write the folder, hand over to a backend.
struct GridSubmission {
    var runner: GridRunner
    var backend: String
    var dryRun: Bool
    var templates: String?
    var concurrency: Int?
    var pilotRanks: Int

    func perform(specText: String?) throws {
        let run = runner.run
        if dryRun {
            try dryRunSlurm()
            return
        }
        try FileManager.default.createDirectory(atPath: run.path, withIntermediateDirectories: true)
        let lock = try RunLock.take(run: run, purpose: "grid \(backend)")
        defer { lock.release() }
        try runner.refuseIfActive()
        if let specText { try runner.materialize(specText: specText) }
        switch backend {
        case "local":
            let outcome = try runner.runLocal(concurrency: concurrency, output: { Console.line($0) })
            if !outcome.failed.isEmpty {
                throw GridError("\(outcome.failed.count) task(s) failed: "
                                + outcome.failed.compactMap { runner.graph.task($0)?.label }.joined(separator: "; ")
                                + " — see `vbfgrid grid status \(run.path)`, fix, then `vbfgrid grid resume \(run.path)`")
            }
        case "slurm":
            try run.setBackend("slurm")
            let cancelled = runner.cancelHopeless()
            if !cancelled.isEmpty { print("[grid] cancelled \(cancelled.count) job(s) whose inputs had failed") }
            let (slurm, planned) = try runner.planSlurm(templates: try templateFolder(), prefix: stamp())
            if planned.isEmpty { print("[grid] \(run.path): nothing to submit, every task is done or queued"); return }
            _ = try slurm.submit(planned, output: { Console.line($0) })
        default:
            try run.setBackend("pilot")
            let scripts = SlurmScripts(templates: try templateFolder(), spec: runner.spec, run: run, executable: runner.executable)
            let path = "\(run.slurmPath)/\(runner.spec.name)-pilot.sbatch"
            try AtomicFile.write(try scripts.pilotScript(ranks: pilotRanks), to: path)
            let result = Shell.run("sbatch", ["--parsable", path])
            guard result.status == 0 else { throw GridError("sbatch \(path) failed: \(result.stderr)") }
            print("[grid] submitted pilot job \(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) (\(pilotRanks) ranks)")
        }
    }

    private func templateFolder() throws -> String {
        try SlurmScripts.locateTemplates(explicit: templates, executable: runner.executable)
    }

    /// A short prefix that keeps the array names of successive submissions distinct.
    private func stamp() -> String {
        let records = SlurmRecords(run: runner.run).submissions()
        return records.isEmpty ? "" : "s\(records.count)-"
    }

    private func dryRunSlurm() throws {
        let (slurm, planned) = try runner.planSlurm(templates: try templateFolder(), prefix: "")
        print("# dry run: \(planned.count) job array(s) for \(runner.run.path); nothing is written or submitted")
        for item in planned {
            print("\n# ---- \(item.job.scriptPath) (\(item.job.taskIds.count) task(s): \(item.job.taskIds.joined(separator: " ")))")
            print(item.script, terminator: "")
            let resolved = Dictionary(uniqueKeysWithValues: planned.map { ($0.job.name, "$JOB_\($0.job.name)") })
            print("# sbatch " + slurm.sbatchArguments(item, resolved: resolved).joined(separator: " "))
        }
    }
}
