import Foundation

/// A batch of events ready for the network.
public struct Batch: Sendable {
    /// [count × input width], row-major.
    public var inputs: [Float]
    /// One-hot [count × 2].
    public var targets: [Float]
    public var labels: [UInt8]
    public var count: Int { labels.count }
}

/// Assembles batches of arbitrary events of a split. Small inputs (features) are held in memory
/// whole; images are read in blocks of `blockSize` consecutive events (the shards' HDF5 chunk),
/// keeping the most recently used `cacheBlocks` blocks, so memory stays bounded whatever the
/// data-set size while the block-wise epoch order (`EpochOrder`) reads each block about once.
public final class BatchSource: @unchecked Sendable {
    private let reader: SplitReader
    private let blockSize: Int
    private let cacheBlocks: Int
    private var cache: [Int: Batch] = [:]
    private var recency: [Int] = []
    private let whole: Batch?

    /// Inputs whose whole split fits in this many bytes are loaded at once.
    public static let inMemoryLimit = 1 << 30

    public init(reader: SplitReader, blockSize: Int = 32, cacheBlocks: Int = 128) throws {
        self.reader = reader
        self.blockSize = blockSize
        self.cacheBlocks = cacheBlocks
        if case .features = reader.input, reader.count * reader.input.width * 4 <= BatchSource.inMemoryLimit {
            let all = try reader.read(0..<reader.count)
            whole = Batch(inputs: all.inputs, targets: all.targets, labels: all.labels)
        } else {
            whole = nil
        }
    }

    public var count: Int { reader.count }
    public var width: Int { reader.input.width }

    /// The events `indices` (split-global), in that order.
    public func batch(_ indices: some Collection<Int>) throws -> Batch {
        let w = width
        var out = Batch(inputs: [], targets: [], labels: [])
        out.inputs.reserveCapacity(indices.count * w)
        out.targets.reserveCapacity(indices.count * 2)
        out.labels.reserveCapacity(indices.count)
        for e in indices {
            let (source, row) = try locate(e)
            out.inputs += source.inputs[(row * w)..<((row + 1) * w)]
            out.targets += source.targets[(row * 2)..<((row + 1) * 2)]
            out.labels.append(source.labels[row])
        }
        return out
    }

    private func locate(_ event: Int) throws -> (Batch, Int) {
        precondition(event >= 0 && event < reader.count, "event \(event) outside the split of \(reader.count)")
        if let whole { return (whole, event) }
        let block = event / blockSize
        if let cached = cache[block] {
            if recency.last != block {
                recency.removeAll { $0 == block }
                recency.append(block)
            }
            return (cached, event - block * blockSize)
        }
        let range = (block * blockSize)..<min((block + 1) * blockSize, reader.count)
        let read = try reader.read(range)
        let loaded = Batch(inputs: read.inputs, targets: read.targets, labels: read.labels)
        cache[block] = loaded
        recency.append(block)
        if recency.count > cacheBlocks { cache[recency.removeFirst()] = nil }
        return (loaded, event - block * blockSize)
    }
}
