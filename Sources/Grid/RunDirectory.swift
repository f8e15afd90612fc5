import Foundation

/// A run folder, `runs/<name>/`:
///
/// ```
/// spec.yaml                      the spec as submitted
/// graph.json                     every task (GridTask), inputs before dependents
/// backend                        local | slurm | pilot (the last submit)
/// tasks/<stage>/<id>/task.json   the task, with its resolved argument vector
/// tasks/<stage>/<id>/log         output of every attempt (appended)
/// tasks/<stage>/<id>/started     written when an attempt starts (host, pid, time)
/// tasks/<stage>/<id>/done        written last, atomically, when the stage returned successfully
/// tasks/<stage>/<id>/failed      exit status of the last failed attempt
/// tasks/<stage>/<id>/requeued    one line per attempt that ended with status 75
/// slurm/                         generated sbatch scripts, task lists, jobs.json
/// lock                           held while a submit/resume/local run is active
/// ```
public struct RunDirectory: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    public var specPath: String { "\(path)/spec.yaml" }
    public var graphPath: String { "\(path)/graph.json" }
    public var slurmPath: String { "\(path)/slurm" }
    public var lockPath: String { "\(path)/lock" }
    public var backendPath: String { "\(path)/backend" }

    public func folder(of task: GridTask) -> String { "\(path)/\(task.relativePath)" }
    public func marker(_ name: String, of task: GridTask) -> String { "\(folder(of: task))/\(name)" }

    /// Creates the folders, copies the spec text, writes graph.json and every task.json.
    public func materialize(graph: TaskGraph, specText: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: slurmPath, withIntermediateDirectories: true)
        try AtomicFile.write(specText, to: specPath)
        try AtomicFile.write(JSON.encode(graph), to: graphPath)
        for task in graph.tasks {
            try fm.createDirectory(atPath: folder(of: task), withIntermediateDirectories: true)
            try AtomicFile.write(
                JSON.encode(TaskFile(task: task, arguments: task.arguments(run: path))),
                to: marker("task.json", of: task))
        }
    }

    /// Refuses to replace the run folder's spec.yaml by a different `text` unless `replace`, listing
    /// the lines that would go (−) and come (+).
    public func checkSpec(_ text: String, replace: Bool) throws {
        guard !replace, let old = try? String(contentsOfFile: specPath, encoding: .utf8), old != text else { return }
        let before = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let after = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let changes =
            before.filter { !after.contains($0) }.map { "- " + $0 }
            + after.filter { !before.contains($0) }.map { "+ " + $0 }
        throw GridError(
            "\(specPath): this run folder was submitted with another spec:\n  "
                + (changes.isEmpty ? ["(the same lines in another order)"] : changes).joined(separator: "\n  ")
                + "\nUse another --run-dir, or --force to replace it (done tasks whose arguments are unchanged stay done)."
        )
    }

    public func loadGraph() throws -> TaskGraph {
        guard let data = FileManager.default.contents(atPath: graphPath) else {
            throw GridError("\(graphPath): missing; is \(path) a run folder made by `vbfgrid grid submit`?")
        }
        do { return try JSONDecoder().decode(TaskGraph.self, from: data) } catch {
            throw GridError("\(graphPath): not a task graph (\(error))")
        }
    }

    public func loadTaskFile(id: String) throws -> TaskFile {
        let graph = try loadGraph()
        guard let task = graph.task(id) ?? graph.tasks.first(where: { $0.id.hasPrefix(id) && id.count >= 6 }) else {
            throw GridError("\(graphPath): no task \(id)")
        }
        let path = marker("task.json", of: task)
        guard let data = FileManager.default.contents(atPath: path) else { throw GridError("\(path): missing") }
        do { return try JSONDecoder().decode(TaskFile.self, from: data) } catch {
            throw GridError("\(path): not a task file (\(error))")
        }
    }

    /// Whether the task has a done marker whose outputs are all there with their recorded sizes.
    public func isDone(_ task: GridTask) -> Bool { doneProblems(task, checksums: false) == [] }

    /// nil without a done marker; otherwise what is wrong with the outputs it lists (empty: nothing),
    /// their checksums compared too with `checksums`.
    public func doneProblems(_ task: GridTask, checksums: Bool) -> [String]? {
        guard let text = try? String(contentsOfFile: marker("done", of: task), encoding: .utf8) else { return nil }
        return TaskOutputs(marker: text).problems(folder: folder(of: task), checksums: checksums)
    }

    public func exists(_ name: String, of task: GridTask) -> Bool {
        FileManager.default.fileExists(atPath: marker(name, of: task))
    }

    /// The backend of the last submit (nil before any).
    public var backend: GridBackend? {
        (try? String(contentsOfFile: backendPath, encoding: .utf8)).flatMap {
            GridBackend(rawValue: $0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    public func setBackend(_ backend: GridBackend) throws {
        try AtomicFile.write(backend.rawValue + "\n", to: backendPath)
    }
}

/// `task.json`: the task and its argument vector resolved against the run folder.
public struct TaskFile: Sendable, Codable, Equatable {
    public var task: GridTask
    public var arguments: [String]
}

/// An error of the grid runner with a message that names the file or task concerned.
public struct GridError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Writes through a temporary name and a rename, so readers see the old or the new file, never half.
public enum AtomicFile {
    public static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, path) == 0 else {
            throw GridError("\(path): cannot rename into place (\(String(cString: strerror(errno))))")
        }
    }

    /// Appends one line (creating the file).
    public static func appendLine(_ line: String, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard fd >= 0 else { return }
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}

enum JSON {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value) + Data("\n".utf8)
    }
}

/// Unbuffered progress lines on standard output (they interleave correctly with children's output).
public enum Console {
    public static func line(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
}
