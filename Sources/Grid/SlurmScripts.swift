import Foundation

/// sbatch scripts rendered from the templates in `slurm/templates/` (`{{KEY}}` placeholders).
///
/// Tasks not yet done are grouped into one job array per (stage, resource shape, preemptible);
/// each array reads its task ids from a list file (element i = line i+1).
public struct SlurmScripts: Sendable {
    public let templates: String
    public let spec: GridSpec
    public let run: RunDirectory
    public let executable: String

    public init(templates: String, spec: GridSpec, run: RunDirectory, executable: String) {
        self.templates = templates
        self.spec = spec
        self.run = run
        self.executable = executable
    }

    /// One job array: its tasks share a stage and a resource shape.
    public struct ArrayJob: Sendable, Codable, Equatable {
        public var name: String
        public var stage: String
        public var taskIds: [String]
        public var resources: TaskResources
        public var preemptible: Bool
        public var scriptPath: String
        public var listPath: String
    }

    /// Groups `tasks` (in graph order) into arrays, naming them `<grid>-<stage>-<n>`.
    public func arrays(for tasks: [GridTask], prefix: String) -> [ArrayJob] {
        var jobs: [ArrayJob] = []
        for task in tasks {
            if let index = jobs.firstIndex(where: { $0.stage == task.stage && $0.resources == task.resources
                                                    && $0.preemptible == task.preemptible }) {
                jobs[index].taskIds.append(task.id)
                continue
            }
            let count = jobs.filter { $0.stage == task.stage }.count
            let name = "\(spec.name)-\(task.stage)-\(prefix)\(count)"
            jobs.append(ArrayJob(name: name, stage: task.stage, taskIds: [task.id], resources: task.resources,
                                 preemptible: task.preemptible, scriptPath: "\(run.slurmPath)/\(name).sbatch",
                                 listPath: "\(run.slurmPath)/\(name).tasks"))
        }
        return jobs
    }

    /// The `#SBATCH` lines that depend on the spec and the task kind.
    public func sbatchLines(for job: ArrayJob) -> [String] {
        var lines: [String] = []
        if let account = spec.slurm.account { lines.append("--account=\(account)") }
        if let partition = job.resources.partition ?? spec.slurm.partition { lines.append("--partition=\(partition)") }
        if let qos = spec.slurm.qos { lines.append("--qos=\(qos)") }
        lines.append("--requeue")
        if job.preemptible { lines.append("--signal=B:USR1@\(spec.slurm.signalSeconds)") }
        lines += spec.slurm.extra
        return lines.map { "#SBATCH \($0)" }
    }

    /// The launcher prefix for `ranks` ranks: nothing for one rank, else `srun --mpi=pmix` or `mpirun`.
    public func launch(ranks: Int) -> String {
        guard ranks > 1 else { return "" }
        return spec.slurm.launcher == "mpirun" ? "mpirun -n \(ranks) --bind-to none" : "srun --mpi=pmix -n \(ranks)"
    }

    public func script(for job: ArrayJob) throws -> String {
        let r = job.resources
        return try render("task-array.sbatch", [
            "STAGE": job.stage, "COUNT": String(job.taskIds.count), "LIST": shellQuote(job.listPath),
            "JOB_NAME": job.name, "LAST": String(job.taskIds.count - 1), "ARRAY_LIMIT": String(spec.slurm.arrayLimit),
            "RANKS": String(r.ranks ?? 1), "CPUS_PER_RANK": String(r.cpusPerRank ?? 1), "MEMORY": r.memory ?? "2G",
            "TIME": r.time ?? "01:00:00", "SLURM_DIR": run.slurmPath,
            "SBATCH_LINES": sbatchLines(for: job).joined(separator: "\n"),
            "SETUP": spec.slurm.setup.joined(separator: "\n"), "VBFGRID": shellQuote(executable),
            "RUN": shellQuote(run.path), "LAUNCH": launch(ranks: r.ranks ?? 1),
        ])
    }

    /// The pilot job: one allocation of `ranks` ranks running `vbfgrid grid pilot RUN`.
    public func pilotScript(ranks: Int) throws -> String {
        let r = spec.resources.of(stage: "pilot")
        var lines: [String] = []
        if let account = spec.slurm.account { lines.append("#SBATCH --account=\(account)") }
        if let partition = r.partition ?? spec.slurm.partition { lines.append("#SBATCH --partition=\(partition)") }
        if let qos = spec.slurm.qos { lines.append("#SBATCH --qos=\(qos)") }
        lines += spec.slurm.extra.map { "#SBATCH \($0)" }
        let launcher = spec.slurm.launcher == "mpirun" ? "mpirun -n \(ranks) --bind-to none" : "srun --mpi=pmix -n \(ranks)"
        return try render("pilot.sbatch", [
            "JOB_NAME": "\(spec.name)-pilot", "RANKS": String(ranks), "CPUS_PER_RANK": String(r.cpusPerRank ?? 1),
            "MEMORY": r.memory ?? "2G", "TIME": r.time ?? "01:00:00", "SLURM_DIR": run.slurmPath,
            "SBATCH_LINES": lines.joined(separator: "\n"), "SETUP": spec.slurm.setup.joined(separator: "\n"),
            "LAUNCH": launcher, "VBFGRID": shellQuote(executable), "RUN": shellQuote(run.path),
        ])
    }

    private func render(_ name: String, _ values: [String: String]) throws -> String {
        let path = "\(templates)/\(name)"
        guard var text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw GridError("\(path): cannot read the sbatch template (set --templates or VBFGRID_TEMPLATES)")
        }
        for (key, value) in values { text = text.replacingOccurrences(of: "{{\(key)}}", with: value) }
        if let range = text.range(of: "\\{\\{[A-Z_]+\\}\\}", options: .regularExpression) {
            throw GridError("\(path): unknown placeholder \(text[range])")
        }
        return text
    }

    /// Finds `slurm/templates`: `explicit`, `$VBFGRID_TEMPLATES`, `../share/vbfgrid/templates` beside
    /// the executable, or `slurm/templates` in a folder above the executable (a source checkout).
    public static func locateTemplates(explicit: String?, executable: String) throws -> String {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["VBFGRID_TEMPLATES"] { return env }
        var url = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        let share = url.appendingPathComponent("../share/vbfgrid/templates").standardizedFileURL.path
        if FileManager.default.fileExists(atPath: "\(share)/task-array.sbatch") { return share }
        while url.path != "/" {
            let candidate = url.appendingPathComponent("slurm/templates").path
            if FileManager.default.fileExists(atPath: "\(candidate)/task-array.sbatch") { return candidate }
            url.deleteLastPathComponent()
        }
        throw GridError("no slurm/templates folder found above \(executable); pass --templates DIR or set VBFGRID_TEMPLATES")
    }
}

/// Single-quotes a word for the shell.
func shellQuote(_ word: String) -> String {
    if word.range(of: "^[A-Za-z0-9_./=:,@%+-]+$", options: .regularExpression) != nil { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
