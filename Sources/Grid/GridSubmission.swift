import Foundation
import Outputs

/// Where a grid runs: on this machine, as Slurm job arrays, or inside one MPI allocation.
public enum GridBackend: String, CaseIterable, Sendable { case local, slurm, pilot }

/// What `grid submit` and `grid resume` do: lock, refuse a busy run, write the folder, hand over to a backend.
public struct GridSubmission {
    public var runner: GridRunner
    public var backend: GridBackend
    public var dryRun: Bool
    public var templates: String?
    public var concurrency: Int?
    public var pilotRanks: Int
    /// Whether a new spec may replace a different spec.yaml of the run folder.
    public var replaceSpec = false

    public init(
        runner: GridRunner, backend: GridBackend, dryRun: Bool, templates: String?, concurrency: Int?, pilotRanks: Int
    ) {
        self.runner = runner
        self.backend = backend
        self.dryRun = dryRun
        self.templates = templates
        self.concurrency = concurrency
        self.pilotRanks = pilotRanks
    }

    /// Submits the run; `specText` (a new submit) is written into the run folder first.
    public func perform(specText: String?) throws {
        let run = runner.run
        if dryRun {
            try dryRunSlurm()
            return
        }
        try FileManager.default.createDirectory(atPath: run.path, withIntermediateDirectories: true)
        let lock = try RunLock.take(run: run, purpose: "grid \(backend.rawValue)")
        defer { lock.release() }
        try runner.refuseIfActive()
        if let specText {
            try run.checkSpec(specText, replace: replaceSpec)
            try runner.materialize(specText: specText)
        }
        switch backend {
        case .local:
            let outcome = try runner.runLocal(concurrency: concurrency, output: { Console.line($0) })
            if !outcome.failed.isEmpty {
                throw GridError(
                    "\(outcome.failed.count) task(s) failed: "
                        + outcome.failed.compactMap { runner.graph.task($0)?.label }.joined(separator: "; ")
                        + " — see `vbfgrid grid status \(run.path)`, fix, then `vbfgrid grid resume \(run.path)`")
            }
        case .slurm:
            try run.setBackend(.slurm)
            let cancelled = runner.cancelHopeless()
            if !cancelled.isEmpty { print("[grid] cancelled \(cancelled.count) job(s) whose inputs had failed") }
            let (slurm, planned) = try runner.planSlurm(templates: try templateFolder(), prefix: stamp())
            if planned.isEmpty {
                print("[grid] \(run.path): nothing to submit, every task is done or queued")
                return
            }
            _ = try slurm.submit(planned, output: { Console.line($0) })
        case .pilot:
            try run.setBackend(.pilot)
            let scripts = SlurmScripts(
                templates: try templateFolder(), spec: runner.spec, run: run, executable: runner.executable)
            let path = "\(run.slurmPath)/\(runner.spec.name)-pilot.sbatch"
            try AtomicFile.write(try scripts.pilotScript(ranks: pilotRanks), to: path)
            let result = Shell.run("sbatch", ["--parsable", path])
            guard result.status == 0 else { throw GridError("sbatch \(path) failed: \(result.stderr)") }
            print(
                "[grid] submitted pilot job \(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) (\(pilotRanks) ranks)"
            )
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
            print(
                "\n# ---- \(item.job.scriptPath) (\(item.job.taskIds.count) task(s): \(item.job.taskIds.joined(separator: " ")))"
            )
            print(item.script, terminator: "")
            let resolved = Dictionary(uniqueKeysWithValues: planned.map { ($0.job.name, "$JOB_\($0.job.name)") })
            print("# sbatch " + slurm.sbatchArguments(item, resolved: resolved).joined(separator: " "))
        }
    }
}
