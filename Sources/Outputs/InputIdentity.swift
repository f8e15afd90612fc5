import Checksum
import Foundation

/// What identifies an input of a stage in its `producer.json`, so that a changed input makes
/// the folder another configuration: for a folder written by a vbfgrid stage, the fingerprint of
/// its producer.json (cheap, and it changes whenever the producer's inputs or parameters do); for
/// any other file, the SHA-256 of its bytes; for any other folder, the SHA-256 of its files'
/// names and hashes.
public enum InputIdentity {
    public static func of(_ path: String) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw OutputFolderError("\(path): no such file or folder")
        }
        if !isFolder.boolValue {
            // A file inside a stage's folder is identified by that folder's producer.
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            if let producer = try Producer.read(folder: parent) {
                return "producer:\(producer.fingerprint)/\(URL(fileURLWithPath: path).lastPathComponent)"
            }
            return "sha256:" + (try SHA256.hex(fileAt: path))
        }
        if let producer = try Producer.read(folder: path) { return "producer:\(producer.fingerprint)" }
        var hash = SHA256()
        let names = try FileManager.default.subpathsOfDirectory(atPath: path).filter {
            !$0.split(separator: "/").contains { $0.hasPrefix(".") }
        }.sorted()
        for name in names {
            let file = URL(fileURLWithPath: path).appendingPathComponent(name).path
            var sub: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &sub), !sub.boolValue else { continue }
            hash.update(Array("\(name)\n\(try SHA256.hex(fileAt: file))\n".utf8))
        }
        return "sha256-tree:" + SHA256.hex(hash.finalize())
    }

    /// Identities of several inputs, keyed by their absolute paths.
    public static func of(_ paths: [String]) throws -> [String: String] {
        var out: [String: String] = [:]
        for path in paths { out[URL(fileURLWithPath: path).standardizedFileURL.path] = try of(path) }
        return out
    }
}
