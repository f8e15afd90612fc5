import Checksum
import Events
import Foundation
import Generation

/// One existing file of a `generator: files` grid: its absolute path, what it holds (detected
/// from the content, `InputFormat`), its SHA-256 and, for vbfgrid files, its number of events.
/// The checksum is part of the identity of the file's input task, so a changed file reruns that
/// task and everything downstream of it.
public struct InputFile: Sendable, Equatable, Codable {
    public var path: String
    public var format: InputFormat
    public var sha256: String
    /// Events in the file; nil for Delphes trees (counted when imported).
    public var events: Int?

    /// The name of the events file the input task writes: the input's name with `.h5`
    /// (`x.root` → `x.h5`, `x.particles.h5` → `x.h5`).
    public var eventsFileName: String {
        var name = URL(fileURLWithPath: path).lastPathComponent
        for suffix in [".root", ".particles.h5", ".h5"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        return name + ".h5"
    }
}

enum InputFiles {
    /// The files of `samples.files.<channel>` (`node`, for errors): `pattern` expanded relative to
    /// `base` (a file, a folder or a glob), each readable, of one kind, of `channel` when the file
    /// names its channel, with at least one event, and hashed. Every problem is a `SpecError` at
    /// the node naming the file.
    static func resolve(_ pattern: String, channel: Channel, base: String, node: SpecNode) throws -> [InputFile] {
        do {
            var files: [InputFile] = []
            for path in try InputFormat.expand(pattern, base: base) {
                let (format, fileChannel, events) = try InputFormat.inspect(path)
                if let fileChannel, fileChannel != channel.name {
                    throw InputFileError(
                        file: path, message: "holds channel '\(fileChannel)', expected '\(channel.name)'")
                }
                if let events, events == 0 { throw InputFileError(file: path, message: "holds no events") }
                if let other = files.first(where: { $0.format != format }) {
                    throw InputFileError(
                        file: path,
                        message: "is a \(format.rawValue) file but \(other.path) is a \(other.format.rawValue) file; "
                            + "give one kind of file per channel")
                }
                let sha256: String
                do { sha256 = try SHA256.hex(fileAt: path) } catch {
                    throw InputFileError(file: path, message: "cannot be read (\(error))")
                }
                files.append(InputFile(path: path, format: format, sha256: sha256, events: events))
            }
            return files
        } catch {
            throw node.error("\(error)")
        }
    }

    /// For an input task (generator `files`) or the fidelity task (its reference): why its file is
    /// not the one the grid was planned with (gone, unreadable, or another SHA-256), nil when it
    /// is, or for any other task. The
    /// task then fails instead of reading other events under its id; a new `grid submit` plans
    /// the new content.
    static func changed(_ task: GridTask) -> String? {
        guard let path = task.parameters["input"], let planned = task.parameters["sha256"] else { return nil }
        guard let now = try? SHA256.hex(fileAt: path) else {
            return "\(path): the input file cannot be read any more; submit the spec again"
        }
        guard now == planned else {
            return "\(path): the input file changed since the grid was planned (SHA-256 \(now.prefix(16))…, "
                + "planned \(planned.prefix(16))…); submit the spec again: its tasks get new ids"
        }
        return nil
    }
}
