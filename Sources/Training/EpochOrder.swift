import NeuralNet
import Random

/// The order in which an epoch visits the training events: one permutation that depends only
/// on (seed, epoch) — never on the number of ranks — built so that it can be streamed from
/// compressed shards: blocks of `blockSize` consecutive events (one HDF5 chunk) are shuffled,
/// then events are shuffled within windows of `windowBlocks` blocks (shards hold the events of
/// one input file, i.e. one channel, so a window must span many blocks for a batch to mix them).
///
/// The preprocessing stage writes events to shards in random order, so consecutive events are
/// unrelated and block-wise shuffling loses nothing.
public struct EpochOrder: Sendable {
    public let events: Int
    public let blockSize: Int
    public let windowBlocks: Int

    public init(events: Int, blockSize: Int = 32, windowBlocks: Int = 64) {
        self.events = events
        self.blockSize = blockSize
        self.windowBlocks = windowBlocks
    }

    /// The permutation of 0..<events for `epoch` (0-based) under `seed`.
    public func permutation(seed: UInt64, epoch: Int) -> [Int] {
        var rng = SplitMix64(seed: seed, stream: RandomStage.epochOrder.rawValue &+ UInt64(epoch))
        let blocks = (events + blockSize - 1) / blockSize
        var blockOrder = Array(0..<blocks)
        shuffle(&blockOrder, &rng)
        var order: [Int] = []
        order.reserveCapacity(events)
        var start = 0
        while start < blocks {
            let window = blockOrder[start..<min(start + windowBlocks, blocks)]
            var members = window.flatMap { b in (b * blockSize)..<min((b + 1) * blockSize, events) }
            shuffle(&members, &rng)
            order += members
            start += windowBlocks
        }
        return order
    }

    /// Fisher–Yates with an explicit generator (Swift's `shuffle(using:)` algorithm is not
    /// guaranteed stable across versions).
    private func shuffle(_ values: inout [Int], _ rng: inout SplitMix64) {
        guard values.count > 1 else { return }
        for i in stride(from: values.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            values.swapAt(i, j)
        }
    }
}

/// How a global batch is split across the ranks of a training group: rank r of k takes the
/// events [⌊B·r/k⌋, ⌊B·(r+1)/k⌋) of the batch (uneven splits allowed; a rank may get none).
public func shareOfBatch(size: Int, rank: Int, ranks: Int) -> Range<Int> {
    (size * rank / ranks)..<(size * (rank + 1) / ranks)
}
