import NeuralNet
import Testing

/// What data-parallel training relies on: shards of a global batch, each back-propagated with
/// the global batch size as divisor, sum to the global-batch gradient; the per-layer "ready"
/// callbacks come last layer first and cover the gradient buffer as a growing suffix.
@Suite struct DataParallelTests {
    @Test func shardGradientsSumToTheGlobalGradient() {
        let network = Network.cnnTiny, global = 6
        let model = network.build(maxBatch: global)
        model.initializeGlorot(seed: 41)
        let x = randomValues(global * model.inputSize, seed: 42)
        let targets: [Float] = [1, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1]
        model.forward(x, batch: global)
        let fullLoss = model.backward(targets: targets)
        let full = model.gradients.array

        var summed = [Float](repeating: 0, count: full.count)
        var shardLoss = 0.0
        for (start, count) in [(0, 2), (2, 4)] { // two "ranks" with unequal shares
            let size = model.inputSize
            model.forward(Array(x[start * size..<(start + count) * size]), batch: count)
            var covered = model.parameterCount
            shardLoss += model.backward(targets: Array(targets[start * 2..<(start + count) * 2]), lossDivisor: global) {
                _, range in
                #expect(range.upperBound == covered)
                covered = range.lowerBound
            }
            #expect(covered == 0)
            for i in summed.indices { summed[i] += model.gradients[i] }
        }
        #expect(abs(shardLoss - fullLoss) <= 1e-6 * fullLoss)
        #expect(relativeError(summed, full) < 1e-6)
    }
}
