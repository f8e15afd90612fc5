import ArgumentParser
import Datasets
import Events
import Foundation

/// `vbfgrid verify PATH…`: checks the integrity of data-set shards (every dataset against its
/// SHA-256) — a shard file, or a data-set folder (its train and validation shards).
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check data-set shards against the SHA-256 checksums of their datasets.",
        discussion: """
            Each shard's datasets are read whole and hashed; a mismatch or a missing checksum is an error naming \
            the file and the dataset. Prints one line per shard: its events and the digest of what a reader \
            sees (root attributes and the datasets' checksums). Exit status 1 when any shard fails.
            """
    )

    @Argument(help: "Shard files or data-set folders.") var paths: [String]

    func run() throws {
        var failures = 0
        for path in try shardPaths() {
            do {
                let reader = try DatasetShardReader(path: path)
                print("ok \(path): \(reader.count) events, digest \(reader.contentDigest)")
            } catch {
                print("FAILED \(error)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// A file stands for itself; a folder for the `.h5` shards of its `train/` and `validation/`.
    private func shardPaths() throws -> [String] {
        try paths.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw ValidationError("\(path): no such file or folder")
            }
            guard isFolder.boolValue else { return [path] }
            return try ["train", "validation"].flatMap { split in
                try EventPaths.expand([URL(fileURLWithPath: path).appendingPathComponent(split).path])
            }
        }
    }
}
