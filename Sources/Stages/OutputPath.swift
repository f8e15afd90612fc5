import ArgumentParser
import Foundation

/// Checks on output locations, so that a bad path fails before any work with a clear message.
public enum OutputPath {
    public static func ensureParentWritable(_ path: String) throws {
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--out \(path): the folder \(parent) does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: parent) else {
            throw ValidationError("--out \(path): the folder \(parent) is not writable")
        }
    }

    public static func ensureDirectory(_ path: String) throws {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw ValidationError("--out \(path): cannot create the output directory (\(error.localizedDescription))")
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw ValidationError("--out \(path): the directory is not writable")
        }
    }

    /// `x.h5` → `x.particles.h5`.
    public static func particlesPath(for eventsPath: String) -> String {
        eventsPath.hasSuffix(".h5") ? String(eventsPath.dropLast(3)) + ".particles.h5" : eventsPath + ".particles.h5"
    }
}
