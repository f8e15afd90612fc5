import Foundation

/// What `grid submit` and `grid resume` do, backend by backend, on one run folder.
public struct GridRunner: Sendable {
    public let spec: GridSpec
    public let graph: TaskGraph
    public let run: RunDirectory
    /// The vbfgrid executable the tasks run.
    public let executable: String

    public init(spec: GridSpec, graph: TaskGraph, run: RunDirectory, executable: String) {
        self.spec = spec
        self.graph = graph
        self.run = run
        self.executable = executable
    }

    /// A new run from a spec: `runs/<name>` unless `runDir` is given. The folder is written later.
    public static func fromSpec(path: String, runDir: String?, allowDevTasks: Bool, executable: String) throws
        -> GridRunner
    {
        let spec = try GridSpec.load(path: path, allowDevTasks: allowDevTasks)
        return GridRunner(
            spec: spec, graph: TaskGraph(spec: spec), run: RunDirectory(path: runDir ?? "runs/\(spec.name)"),
            executable: executable)
    }

    /// An existing run folder (its spec.yaml and graph.json).
    public static func fromRun(path: String, executable: String) throws -> GridRunner {
        let run = RunDirectory(path: path)
        let spec = try GridSpec.load(path: run.specPath, allowDevTasks: true, resolveInputs: false)
        return GridRunner(spec: spec, graph: try run.loadGraph(), run: run, executable: executable)
    }

    /// Tasks Slurm or a live runner still owns, by the current status.
    public func activeTasks() -> [GridStatus.TaskState] {
        guard FileManager.default.fileExists(atPath: run.graphPath) else { return [] }
        return GridStatus.collect(run: run, graph: (try? run.loadGraph()) ?? graph).tasks.filter {
            GridStatus.isActive($0.state)
        }
    }

    /// Refuses when a previous submit of this run is still queued or running.
    public func refuseIfActive() throws {
        let active = activeTasks()
        guard active.isEmpty else {
            throw GridError(
                "\(run.path): \(active.count) task(s) of this run are still queued or running "
                    + "(e.g. \(active[0].label), \(active[0].slurmJob ?? active[0].state.rawValue)); "
                    + "see `vbfgrid grid status \(run.path)`, or `vbfgrid grid cancel` first")
        }
    }

    /// Writes the run folder (keeping every existing task folder and marker).
    public func materialize(specText: String) throws {
        try run.materialize(graph: graph, specText: specText)
    }

    public func runLocal(concurrency: Int? = nil, output: @escaping (String) -> Void) throws -> LocalBackend.Outcome {
        try run.setBackend(.local)
        return try LocalBackend(
            run: run, graph: graph, executable: executable,
            concurrency: concurrency ?? spec.local.concurrency, output: output
        ).execute()
    }

    /// Plans the Slurm arrays for every task that is not done and not owned by a queued job.
    public func planSlurm(templates: String, prefix: String) throws -> (SlurmBackend, [SlurmBackend.PlannedArray]) {
        let backend = SlurmBackend(
            run: run, graph: graph,
            scripts: SlurmScripts(templates: templates, spec: spec, run: run, executable: executable))
        var queued: [String: String] = [:]
        var owned: Set<String> = []
        if FileManager.default.fileExists(atPath: run.graphPath) {
            for task in GridStatus.collect(run: run, graph: graph).tasks where GridStatus.isActive(task.state) {
                owned.insert(task.id)
                if let job = task.slurmJob { queued[task.id] = job }
            }
        }
        let todo = graph.tasks.filter { !run.isDone($0) && !owned.contains($0.id) }
        return (backend, try backend.plan(tasks: todo, queued: queued, prefix: prefix))
    }

    /// Cancels jobs that can never start because an input failed, so their tasks can be resubmitted.
    public func cancelHopeless() -> [String] {
        let status = GridStatus.collect(run: run, graph: graph)
        let jobs = status.tasks.filter { $0.state == .blocked }.compactMap(\.slurmJob)
        if !jobs.isEmpty { _ = Shell.run("scancel", jobs) }
        return jobs
    }
}
