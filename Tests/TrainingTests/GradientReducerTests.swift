import MPI
import NeuralNet
import Random
import Testing
import Training

/// GradientReducer on in-process rank threads (`ThreadGroup`): the buckets, reduced while
/// backward runs, hold the sum over the ranks (DataParallelTrainingTests runs it under mpirun).
@Suite(.timeLimit(.minutes(1)))
struct GradientReducerTests {
    /// Every rank's gradients are made up (a function of the rank); after backward's per-layer
    /// callbacks and `finish`, each rank holds exactly the rank-order sum, in every bucket.
    @Test(arguments: 1...4)
    func bucketsHoldTheSumOverRanks(ranks: Int) throws {
        @Sendable func madeUp(_ count: Int, rank: Int) -> [Float] {
            var rng = SplitMix64(seed: 100 + UInt64(rank))
            return (0..<count).map { _ in rng.nextUnitFloat() - 0.5 }
        }
        let results = try ThreadGroup.run(size: ranks) { world -> ([Float], Int) in
            let model = Network.cnnTiny.build(maxBatch: 1)
            let reducer = GradientReducer(model: model, group: world, bucketBytes: 256)
            model.gradients.copy(from: madeUp(model.parameterCount, rank: world.rank), offset: 0)
            for (layer, range) in model.parameterRanges.enumerated().reversed() where !range.isEmpty {
                reducer.layerReady(layer)
            }
            reducer.finish()
            return (model.gradients.array, reducer.bucketCount)
        }
        let count = Network.cnnTiny.build(maxBatch: 1).parameterCount
        var sum = madeUp(count, rank: 0)
        for rank in 1..<ranks {
            for (i, g) in madeUp(count, rank: rank).enumerated() { sum[i] += g }
        }
        #expect(results.allSatisfy { $0.0 == sum })
        #expect(results[0].1 > 2, "a 256-byte bucket size splits cnn_tiny's 422 parameters into several buckets")
    }

    /// Data-parallel backward: ranks back-propagate their shares of one batch with the global
    /// batch size as divisor; reduced, they hold the gradient of the whole batch.
    @Test(arguments: [2, 3])
    func shardedBackwardEqualsTheWholeBatch(ranks: Int) throws {
        let network = Network.annTiny, batch = 6
        var rng = SplitMix64(seed: 9)
        let inputSize = network.build(maxBatch: 1).inputSize
        let x = (0..<batch * inputSize).map { _ in 4 * rng.nextUnitFloat() - 2 }
        let targets: [Float] = [1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1]
        let whole = network.build(maxBatch: batch)
        whole.initializeGlorot(seed: 5)
        whole.forward(x, batch: batch)
        whole.backward(targets: targets)
        let expected = whole.gradients.array

        let results = try ThreadGroup.run(size: ranks) { world -> [Float] in
            let share = batch / world.size + (world.rank < batch % world.size ? 1 : 0)
            let start = (0..<world.rank).reduce(0) { $0 + batch / world.size + ($1 < batch % world.size ? 1 : 0) }
            let model = network.build(maxBatch: share)
            model.initializeGlorot(seed: 5)
            let reducer = GradientReducer(model: model, group: world, bucketBytes: 64)
            model.forward(Array(x[start * inputSize..<(start + share) * inputSize]), batch: share)
            model.backward(targets: Array(targets[start * 2..<(start + share) * 2]), lossDivisor: batch) { layer, _ in
                reducer.layerReady(layer)
            }
            reducer.finish()
            return model.gradients.array
        }
        let scale = Double(expected.map { abs($0) }.max() ?? 0)
        for gradients in results {
            let worst = zip(gradients, expected).map { Double(abs($0 - $1)) }.max() ?? .infinity
            #expect(worst <= 1e-6 * scale, "max |Δ| \(worst) of max |g| \(scale)")
        }
        #expect(results.dropFirst().allSatisfy { $0 == results[0] }, "every rank holds the same reduced gradients")
    }
}
