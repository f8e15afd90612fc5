import Foundation

/// Submits the tasks of a grid that are not done as Slurm job arrays chained with
/// `--dependency=afterok`, and records every submission in `slurm/jobs.json`.
public struct SlurmBackend: Sendable {
    public let run: RunDirectory
    public let graph: TaskGraph
    public let scripts: SlurmScripts

    public init(run: RunDirectory, graph: TaskGraph, scripts: SlurmScripts) {
        self.run = run
        self.graph = graph
        self.scripts = scripts
    }

    public var records: SlurmRecords { SlurmRecords(run: run) }

    /// What a submit does: one entry per array, its script and its sbatch command line.
    public struct PlannedArray: Sendable {
        public var job: SlurmScripts.ArrayJob
        public var script: String
        /// Dependencies: names of arrays of this submission, or `A_T` ids of jobs already queued.
        public var after: [String]
    }

    /// Plans arrays for `tasks` (not done, not active), each after the arrays or queued elements it needs.
    public func plan(tasks: [GridTask], queued: [String: String], prefix: String) throws -> [PlannedArray] {
        let pending = Set(tasks.map(\.id))
        // One array per stage and resource shape; a task that needs another pending task of the same
        // stage (dev grids) goes one level further, so no array ever depends on itself.
        var level: [String: Int] = [:]
        for task in graph.tasks where pending.contains(task.id) {
            level[task.id] =
                task.inputs.compactMap { id in graph.task(id)?.stage == task.stage ? level[id].map { $0 + 1 } : nil }
                .max() ?? 0
        }
        let order = TaskGraph.stages + ["dev"]
        let keys = Set(
            graph.tasks.compactMap { task in level[task.id].map { StageLevel(stage: task.stage, level: $0) } }
        )
        .sorted {
            (order.firstIndex(of: $0.stage) ?? order.count, $0.level) < (
                order.firstIndex(of: $1.stage) ?? order.count, $1.level
            )
        }
        var arrays: [SlurmScripts.ArrayJob] = []
        for key in keys {
            let members = graph.tasks.filter { $0.stage == key.stage && level[$0.id] == key.level }
            arrays += scripts.arrays(for: members, prefix: key.level == 0 ? prefix : "\(prefix)\(key.level)-")
        }
        return try arrays.map { job in
            var after: [String] = []
            for id in job.taskIds {
                for input in graph.task(id)!.inputs {
                    if let other = arrays.first(where: { $0.taskIds.contains(input) }) {
                        if !after.contains(other.name) { after.append(other.name) }
                    } else if let element = queued[input], !after.contains(element) {
                        after.append(element)
                    }
                }
            }
            return PlannedArray(job: job, script: try scripts.script(for: job), after: after)
        }
    }

    private struct StageLevel: Hashable {
        var stage: String
        var level: Int
    }

    /// The sbatch command line of one planned array; `resolved` maps array names to job ids.
    public func sbatchArguments(_ planned: PlannedArray, resolved: [String: String]) -> [String] {
        var args = ["--parsable"]
        if !planned.after.isEmpty {
            args.append("--dependency=afterok:" + planned.after.map { resolved[$0] ?? $0 }.joined(separator: ":"))
        }
        return args + [planned.job.scriptPath]
    }

    /// Writes the scripts and task lists and submits them in order; returns the new submissions.
    public func submit(_ planned: [PlannedArray], output: (String) -> Void) throws -> [SlurmRecords.Submission] {
        var resolved: [String: String] = [:]
        var records = self.records.submissions()
        var made: [SlurmRecords.Submission] = []
        for item in planned {
            try AtomicFile.write(item.job.taskIds.joined(separator: "\n") + "\n", to: item.job.listPath)
            try AtomicFile.write(item.script, to: item.job.scriptPath)
            chmod(item.job.scriptPath, 0o755)
            let arguments = sbatchArguments(item, resolved: resolved)
            let result = Shell.run("sbatch", arguments)
            guard result.status == 0,
                let id = result.stdout.split(separator: ";").first
                    .map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }), !id.isEmpty
            else {
                try? AtomicFile.write(JSON.encode(records), to: self.records.path)
                throw GridError(
                    "sbatch \(arguments.joined(separator: " ")) failed (status \(result.status)): "
                        + result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            resolved[item.job.name] = id
            let submission = SlurmRecords.Submission(
                jobId: id, name: item.job.name, stage: item.job.stage, taskIds: item.job.taskIds,
                script: item.job.scriptPath, dependency: arguments.first { $0.hasPrefix("--dependency") },
                time: ISO8601DateFormatter().string(from: Date()))
            records.append(submission)
            made.append(submission)
            try AtomicFile.write(JSON.encode(records), to: self.records.path)
            output(
                "[grid] submitted \(item.job.name): job \(id), \(item.job.taskIds.count) task(s)"
                    + (submission.dependency.map { " \($0)" } ?? ""))
        }
        return made
    }
}

/// `slurm/jobs.json`: every array submitted for a run, in submission order.
public struct SlurmRecords: Sendable {
    public let run: RunDirectory

    public init(run: RunDirectory) { self.run = run }

    /// One submitted array, as recorded in `slurm/jobs.json`.
    public struct Submission: Sendable, Codable, Equatable {
        public var jobId: String
        public var name: String
        public var stage: String
        public var taskIds: [String]
        public var script: String
        public var dependency: String?
        public var time: String
    }

    public var path: String { "\(run.slurmPath)/jobs.json" }

    public func submissions() -> [Submission] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return (try? JSONDecoder().decode([Submission].self, from: data)) ?? []
    }

    /// Where each task was last submitted: task id → (array job id, index).
    public func lastPlacement() -> [String: (jobId: String, index: Int)] {
        var placement: [String: (jobId: String, index: Int)] = [:]
        for submission in submissions() {
            for (index, id) in submission.taskIds.enumerated() { placement[id] = (submission.jobId, index) }
        }
        return placement
    }

    /// Cancels every recorded job that is still queued or running; returns the ids cancelled.
    public func cancelAll() -> [String] {
        let ids = submissions().map(\.jobId)
        guard let entries = SlurmQueue.poll(ids) else { return [] }
        let active = Set(entries.filter { SlurmQueue.activeStates.contains($0.state) }.map(\.arrayJobId))
        let list = ids.filter(active.contains)
        if !list.isEmpty { _ = Shell.run("scancel", list) }
        return list
    }
}
