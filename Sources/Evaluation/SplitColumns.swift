import Datasets
import Foundation

/// The per-event bookkeeping columns of a split (channel, weight, event_id, raw K features),
/// read for split-global event ranges across its shards.
public final class SplitColumns: @unchecked Sendable {
    public let count: Int
    private let shards: [DatasetShardReader]
    private let starts: [Int]

    public init(directory: String, manifest: DatasetManifest, split: String = "validation") throws {
        guard let info = manifest.splits[split] else {
            throw DatasetError.invalid("\(directory)/manifest.json: no split '\(split)'")
        }
        let folder = URL(fileURLWithPath: directory)
        shards = try info.shards.map { try DatasetShardReader(path: folder.appendingPathComponent($0.file).path) }
        var offsets = [0]
        for shard in shards { offsets.append(offsets.last! + shard.count) }
        starts = Array(offsets.dropLast())
        count = offsets.last!
    }

    public func channels(_ range: Range<Int>) throws -> [UInt8] { try gather(range) { try $0.channels($1) } }
    public func labels(_ range: Range<Int>) throws -> [UInt8] { try gather(range) { try $0.labels($1) } }
    public func weights(_ range: Range<Int>) throws -> [Float] { try gather(range) { try $0.weights($1) } }
    /// Flattened [n, 2].
    public func eventIDs(_ range: Range<Int>) throws -> [Int64] { try gather(range) { try $0.eventIDs($1) } }
    /// Raw (not z-scored) features, [n, width].
    public func features(_ set: FeatureSet, _ range: Range<Int>) throws -> [Float] {
        try gather(range) { try $0.features(set, $1) }
    }

    private func gather<T>(_ range: Range<Int>, _ read: (DatasetShardReader, Range<Int>) throws -> [T]) throws -> [T] {
        var out: [T] = []
        var position = range.lowerBound
        while position < range.upperBound {
            let s = (starts.lastIndex { $0 <= position })!
            let local = (position - starts[s])..<min(range.upperBound - starts[s], shards[s].count)
            out += try read(shards[s], local)
            position += local.count
        }
        return out
    }
}
