import Datasets
import Foundation

/// One split (train or validation) of a data set as a single sequence of events across its
/// shards, read in contiguous ranges as network inputs and one-hot targets (class 1 = signal).
/// Features are z-scored with the manifest's statistics (paper eq. 4.1).
public final class SplitReader: @unchecked Sendable {
    public let input: NetworkInput
    public let count: Int
    private let shards: [DatasetShardReader]
    private let starts: [Int]
    private let mean: [Float], inverseStd: [Float]

    public init(directory: String, manifest: DatasetManifest, split: String, input: NetworkInput) throws {
        guard let info = manifest.splits[split] else {
            throw DatasetError.invalid("\(directory)/manifest.json: no split '\(split)'")
        }
        self.input = input
        let folder = URL(fileURLWithPath: directory)
        shards = try info.shards.map { shard in
            try DatasetShardReader(path: folder.appendingPathComponent(shard.file).path)
        }
        var offsets = [0]
        for shard in shards { offsets.append(offsets.last! + shard.count) }
        starts = Array(offsets.dropLast())
        count = offsets.last!
        guard count == info.events else {
            throw DatasetError.invalid(
                "\(directory): split '\(split)' has \(count) events in its shards, the manifest says \(info.events)")
        }
        var m: [Float] = [], s: [Float] = []
        if case .features(let sets) = input {
            for set in sets {
                guard let stats = manifest.features[set.rawValue], stats.mean.count == set.width,
                    stats.std.count == set.width
                else {
                    throw DatasetError.invalid(
                        "\(directory)/manifest.json: features.\(set.rawValue): missing or wrong-sized mean/std")
                }
                m += stats.mean.map(Float.init)
                s += stats.std.map { $0 > 0 ? Float(1 / $0) : 1 }
            }
        } else if case .image(let variant) = input, !manifest.variants.contains(variant) {
            throw DatasetError.invalid(
                "\(directory): the data set has no \(variant.rawValue) images (it has \(manifest.variants.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        mean = m
        inverseStd = s
    }

    /// Reads events `range` (split-global indices) as inputs [n × width] and targets [n × 2].
    public func read(_ range: Range<Int>) throws -> (inputs: [Float], targets: [Float], labels: [UInt8]) {
        var inputs: [Float] = [], labels: [UInt8] = []
        inputs.reserveCapacity(range.count * input.width)
        var position = range.lowerBound
        while position < range.upperBound {
            let s = (starts.lastIndex { $0 <= position })!
            let local = (position - starts[s])..<min(range.upperBound - starts[s], shards[s].count)
            inputs += try values(shards[s], local)
            labels += try shards[s].labels(local)
            position += local.count
        }
        for (i, label) in labels.enumerated() where label > 1 {
            throw DatasetError.invalid("event \(range.lowerBound + i): label \(label), expected 0 or 1")
        }
        if let bad = inputs.firstIndex(where: { !$0.isFinite }) {
            let event = range.lowerBound + bad / input.width
            let s = (starts.lastIndex { $0 <= event })!
            throw DatasetError.invalid(
                "\(shards[s].path): event \(event - starts[s]): a non-finite input value (NaN or inf)")
        }
        let targets = labels.flatMap { $0 == 1 ? [Float(0), 1] : [Float(1), 0] }
        return (inputs, targets, labels)
    }

    private func values(_ shard: DatasetShardReader, _ range: Range<Int>) throws -> [Float] {
        switch input {
        case .image(let variant):
            return try shard.images(variant, range)
        case .features(let sets):
            let blocks = try sets.map { try shard.features($0, range) }
            var out = [Float](repeating: 0, count: range.count * input.width)
            for e in 0..<range.count {
                var column = 0
                for (set, block) in zip(sets, blocks) {
                    for f in 0..<set.width {
                        out[e * input.width + column] = (block[e * set.width + f] - mean[column]) * inverseStd[column]
                        column += 1
                    }
                }
            }
            return out
        }
    }
}
