import Checksum
import Foundation

/// The outputs of a done task, recorded in its `done` marker: one line per file of the task's
/// folder (the markers, logs and hidden files aside), `sha256 SIZE PATH` with PATH relative to the
/// folder. A done marker is trusted only while every file it lists is there with its size; `grid
/// status --verify` also checks their checksums.
public struct TaskOutputs: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var path: String
        public var size: Int
        public var sha256: String
    }

    public var files: [File]

    /// The files of the run folder's own making in a task folder, never outputs.
    static let markers: Set<String> = ["task.json", "log", "started", "done", "failed", "requeued"]

    /// Hashes every output file under `folder`.
    public static func scan(folder: String) throws -> TaskOutputs {
        let names = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted()
        var files: [File] = []
        for name in names
        where !markers.contains(name) && !name.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue else {
                continue
            }
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            files.append(File(path: name, size: size, sha256: try SHA256.hex(fileAt: path)))
        }
        return TaskOutputs(files: files)
    }

    /// The lines written into the done marker.
    public var lines: [String] { files.map { "\($0.sha256) \($0.size) \($0.path)" } }

    /// The outputs listed in a done marker's text (none in a marker of an older vbfgrid).
    public init(marker text: String) {
        files = text.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(separator: " ", maxSplits: 2).map(String.init)
            guard fields.count == 3, fields[0].count == 64, let size = Int(fields[1]) else { return nil }
            return File(path: fields[2], size: size, sha256: fields[0])
        }
    }

    public init(files: [File]) { self.files = files }

    /// What is wrong with the files under `folder`: missing or resized files, and with
    /// `checksums` changed contents. Empty when they are as recorded.
    public func problems(folder: String, checksums: Bool) -> [String] {
        files.compactMap { file in
            let path = URL(fileURLWithPath: folder).appendingPathComponent(file.path).path
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber else {
                return "\(file.path) is missing"
            }
            if size.intValue != file.size { return "\(file.path) has \(size.intValue) bytes, \(file.size) when done" }
            if checksums, (try? SHA256.hex(fileAt: path)) != file.sha256 {
                return "\(file.path) changed since done (SHA-256)"
            }
            return nil
        }
    }
}
