import Checksum
import Foundation
import HDF5

/// The integrity of shards: every dataset of a shard carries the SHA-256 of its values (row-major,
/// in the machine's little-endian layout) as its attribute `sha256`, computed by the writer from
/// the rows it appends and checked by the reader when it opens the shard. A flipped bit anywhere
/// that changes what is read — a chunk, the chunk index, a header — fails the check, naming the
/// file and the dataset; a flip that HDF5 cannot parse fails to open, naming the file.
extension DatasetShard {
    /// The attribute of each dataset holding the SHA-256 of its values.
    public static let checksumAttribute = "sha256"

    /// Rows read at a time while verifying (bounded memory).
    static let verifyRows = 256

    /// The datasets of a shard with `variants`, in the writer's creation order.
    static func datasetNames(variants: [ImageVariant]) -> [String] {
        variants.map { "images/\($0.rawValue)" } + FeatureSet.allCases.map { "features/\($0.rawValue)" }
            + ["label", "channel", "weight", "event_id"]
    }
}

/// The running SHA-256 of one dataset's values, as the writer appends them.
struct ValuesHash {
    private var hasher = SHA256()

    mutating func add<T>(_ values: ArraySlice<T>) {
        values.withUnsafeBytes { hasher.update(raw: $0) }
    }

    mutating func add<T>(_ values: [T]) {
        values.withUnsafeBytes { hasher.update(raw: $0) }
    }

    /// The lower-case hex digest (the hasher is spent).
    mutating func hex() -> String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
}

extension DatasetShardReader {
    /// Reads every dataset in blocks of rows and compares its SHA-256 with its `sha256` attribute;
    /// throws naming the file and the dataset on a mismatch or a missing checksum. Returns the
    /// digest of everything a reader sees: the root attributes and every dataset's checksum.
    func verify(file: HDF5File) throws -> String {
        var digest = ValuesHash()
        let split = file.hasAttribute("split") ? try file.stringAttribute("split") : ""
        digest.add(
            Array(
                "format_version=\(DatasetShard.formatVersion) split=\(split) variants=\(variants.map(\.rawValue)) events=\(count)\n"
                    .utf8))
        for name in DatasetShard.datasetNames(variants: variants) {
            func fail(_ message: String) -> DatasetError { DatasetError.invalid("\(path): /\(name): \(message)") }
            guard file.contains(name) else { throw fail("missing dataset") }
            let dataset = try file.dataset(name)
            guard dataset.hasAttribute(DatasetShard.checksumAttribute) else {
                throw fail(
                    "no \(DatasetShard.checksumAttribute) checksum (a damaged header, or a shard of an older vbfgrid: preprocess again)"
                )
            }
            let recorded = try dataset.stringAttribute(DatasetShard.checksumAttribute)
            guard dataset.shape.first == count else {
                throw fail("has \(dataset.shape.first ?? 0) rows, the shard \(count)")
            }
            var hash = ValuesHash()
            for start in stride(from: 0, to: count, by: DatasetShard.verifyRows) {
                let rows = min(DatasetShard.verifyRows, count - start)
                let origin = [start] + dataset.shape.dropFirst().map { _ in 0 }
                let box = [rows] + Array(dataset.shape.dropFirst())
                switch name {
                case "label", "channel": hash.add(try dataset.read(as: UInt8.self, start: origin, count: box))
                case "event_id": hash.add(try dataset.read(as: Int64.self, start: origin, count: box))
                default: hash.add(try dataset.read(as: Float.self, start: origin, count: box))
                }
            }
            let actual = hash.hex()
            guard actual == recorded else {
                throw fail(
                    "checksum mismatch (the file is damaged: its values hash to \(actual.prefix(12))…, written as \(recorded.prefix(12))…)"
                )
            }
            digest.add(Array("\(name)=\(recorded)\n".utf8))
        }
        return digest.hex()
    }
}
