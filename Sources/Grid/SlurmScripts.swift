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
            if let index = jobs.firstIndex(where: {
                $0.stage == task.stage && $0.resources == task.resources
                    && $0.preemptible == task.preemptible
            }) {
                jobs[index].taskIds.append(task.id)
                continue
            }
            let count = jobs.filter { $0.stage == task.stage }.count
            let name = "\(spec.name)-\(task.stage)-\(prefix)\(count)"
            jobs.append(
                ArrayJob(
                    name: name, stage: task.stage, taskIds: [task.id], resources: task.resources,
                    preemptible: task.preemptible, scriptPath: "\(run.slurmPath)/\(name).sbatch",
                    listPath: "\(run.slurmPath)/\(name).tasks"))
        }
        return jobs
    }

    /// The `#SBATCH` lines that depend on the spec and the task kind.
    public func sbatchLines(for job: ArrayJob) -> [String] {
        var lines = accountOptions(partition: job.resources.partition)
        lines.append("--requeue")
        if job.preemptible { lines.append("--signal=B:USR1@\(spec.slurm.signalSeconds)") }
        lines += spec.slurm.extra
        return lines.map { "#SBATCH \($0)" }
    }

    /// The account, partition (`partition`, else the spec's) and qos options of every job.
    private func accountOptions(partition: String?) -> [String] {
        var options: [String] = []
        if let account = spec.slurm.account { options.append("--account=\(account)") }
        if let partition = partition ?? spec.slurm.partition { options.append("--partition=\(partition)") }
        if let qos = spec.slurm.qos { options.append("--qos=\(qos)") }
        return options
    }

    /// The launcher prefix for `ranks` ranks: nothing for one rank, else `srun --mpi=pmix` or `mpirun`.
    public func launch(ranks: Int) -> String {
        ranks > 1 ? launcher(ranks: ranks) : ""
    }

    /// `srun --mpi=pmix` or `mpirun` (the spec's launcher) for `ranks` ranks.
    private func launcher(ranks: Int) -> String {
        spec.slurm.launcher == "mpirun" ? "mpirun -n \(ranks) --bind-to none" : "srun --mpi=pmix -n \(ranks)"
    }

    public func script(for job: ArrayJob) throws -> String {
        let ranks = job.resources.ranks ?? 1
        var values = jobValues(
            name: job.name, ranks: ranks, resources: job.resources, sbatchLines: sbatchLines(for: job),
            launch: launch(ranks: ranks))
        values["STAGE"] = job.stage
        values["COUNT"] = String(job.taskIds.count)
        values["LIST"] = shellQuote(job.listPath)
        values["LAST"] = String(job.taskIds.count - 1)
        values["ARRAY_LIMIT"] = String(spec.slurm.arrayLimit)
        return try render("task-array.sbatch", values)
    }

    /// The pilot job: one allocation of `ranks` ranks running `vbfgrid grid pilot RUN`.
    public func pilotScript(ranks: Int) throws -> String {
        let r = spec.resources.of(stage: "pilot")
        let lines = (accountOptions(partition: r.partition) + spec.slurm.extra).map { "#SBATCH \($0)" }
        return try render(
            "pilot.sbatch",
            jobValues(
                name: "\(spec.name)-pilot", ranks: ranks, resources: r, sbatchLines: lines,
                launch: launcher(ranks: ranks)))
    }

    /// The placeholders of both templates: the job's name, shape and `#SBATCH` lines, the setup,
    /// the launcher, the executable and the run folder.
    private func jobValues(
        name: String, ranks: Int, resources r: TaskResources, sbatchLines: [String],
        launch: String
    ) -> [String: String] {
        [
            "JOB_NAME": name, "RANKS": String(ranks), "CPUS_PER_RANK": String(r.cpusPerRank ?? 1),
            "MEMORY": r.memory ?? "2G",
            "TIME": r.time ?? "01:00:00", "SLURM_DIR": run.slurmPath,
            "SBATCH_LINES": sbatchLines.joined(separator: "\n"),
            "SETUP": spec.slurm.setup.joined(separator: "\n"), "LAUNCH": launch, "VBFGRID": shellQuote(executable),
            "RUN": shellQuote(run.path),
        ]
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
        throw GridError(
            "no slurm/templates folder found above \(executable); pass --templates DIR or set VBFGRID_TEMPLATES")
    }
}

/// Single-quotes a word for the shell.
func shellQuote(_ word: String) -> String {
    if word.range(of: "^[A-Za-z0-9_./=:,@%+-]+$", options: .regularExpression) != nil { return word }
    return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
