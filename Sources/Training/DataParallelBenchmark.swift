import MPI
import NeuralNet
import Random

/// Throughput of data-parallel training on the ranks of a group: each rank trains its share of
/// every global batch on random inputs, with the bucketed gradient all-reduce of real training.
/// Measures the step time (slowest rank) and the all-reduce time left exposed after the
/// overlap with the backward pass.
public struct DataParallelBenchmark: Codable, Sendable {
    public var network: String
    public var ranks: Int
    public var batchSize: Int
    public var batches: Int
    /// Global samples per second.
    public var samplesPerSecond: Double
    /// Seconds per step (the slowest rank).
    public var stepSeconds: Double
    /// Seconds per step a rank waited for the gradient all-reduce after its backward pass (the largest over ranks).
    public var exposedAllReduceSeconds: Double
    public var gradientBuckets: Int

    /// Collective over `group`; every rank returns the same figures.
    public static func run(
        network: Network, batchSize: Int, batches: Int, group: Communicator,
        convolution: ConvolutionBackend = .standard
    ) -> DataParallelBenchmark {
        let share = shareOfBatch(size: batchSize, rank: group.rank, ranks: group.size)
        let model = network.build(maxBatch: max(share.count, 1), convolution: convolution)
        model.initializeGlorot(seed: 1)
        let optimizer = Nadam(parameterCount: model.parameterCount)
        let reducer = GradientReducer(model: model, group: group)
        var rng = SplitMix64(seed: 2, stream: UInt64(group.rank))
        let input = (0..<max(share.count, 1) * model.inputSize).map { _ in rng.nextUnitFloat() }
        let targets = (0..<max(share.count, 1)).flatMap { _ in rng.next() % 2 == 0 ? [Float(1), 0] : [0, 1] }

        func step() {
            if share.isEmpty {
                model.gradients.zero()
                for i in model.layers.indices.reversed() where !model.parameterRanges[i].isEmpty {
                    reducer.layerReady(i)
                }
            } else {
                input.withUnsafeBufferPointer { _ = model.forward($0, batch: share.count) }
                model.backward(targets: targets, lossDivisor: batchSize) { layer, _ in reducer.layerReady(layer) }
            }
            reducer.finish()
            optimizer.step(parameters: model.parameters, gradients: model.gradients)
        }
        step()
        group.barrier()
        let waitedBefore = reducer.waitSeconds
        let start = monotonicSeconds()
        for _ in 0..<batches { step() }
        let elapsed = group.allReduce(monotonicSeconds() - start, .max)
        let exposed = group.allReduce(reducer.waitSeconds - waitedBefore, .max) / Double(batches)
        return DataParallelBenchmark(
            network: network.rawValue, ranks: group.size, batchSize: batchSize, batches: batches,
            samplesPerSecond: Double(batches * batchSize) / elapsed,
            stepSeconds: elapsed / Double(batches), exposedAllReduceSeconds: exposed,
            gradientBuckets: reducer.bucketCount)
    }
}
