import NeuralNet
import Random
import Testing

/// The oneDNN and im2col convolution backends: both are exact float32 convolutions and differ
/// only in the order of their sums, so on the same weights and batch every layer output, the
/// loss and every gradient agree within `tolerance` of the tensor's largest value. oneDNN is
/// deterministic: the same batch gives bit-identical results, also after other batch sizes
/// have been run in between (its primitives are built per batch size).
@Suite struct ConvolutionBackendTests {
    /// Float32 sums of n terms in two orders differ by about √n·2⁻²⁴ of their scale; the first
    /// kernel gradient of PJ-LR-CNN on 5 images sums 13,275 pixels after nine layers of
    /// back-propagation, each adding its own rounding (measured worst: 7.7e-6 with AVX-512
    /// kernels, 1.1e-5 with oneDNN capped at AVX2 and OpenBLAS's Haswell kernels; cnn_tiny
    /// 3e-7). A wrong padding, kernel orientation or bias gives differences of order 1.
    static let tolerance = 5e-5

    /// A model on `convolution` with Glorot weights of seed 3, and a random batch with targets.
    func setUp(_ network: Network, _ convolution: ConvolutionBackend, batch: Int) -> (Model, [Float], [Float]) {
        let model = network.build(maxBatch: batch, convolution: convolution)
        model.initializeGlorot(seed: 3)
        var rng = SplitMix64(seed: 11)
        let input = (0..<batch * model.inputSize).map { _ in rng.nextUnitFloat() }
        let targets = (0..<batch).flatMap { _ in rng.next() % 2 == 0 ? [Float(1), 0] : [0, 1] }
        return (model, input, targets)
    }

    @Test(arguments: [Network.pjLRCNN, .cnnTiny])
    func backendsAgreeOnOutputsLossAndGradients(network: Network) {
        let batch = 5
        var results: [(outputs: [[Float]], loss: Double, gradients: [Float])] = []
        for convolution in [ConvolutionBackend.im2col, .onednn] {
            let (model, input, targets) = setUp(network, convolution, batch: batch)
            model.forward(input, batch: batch)
            let outputs = model.layers.indices.map { Array(model.output(ofLayer: $0)) }
            let loss = model.backward(targets: targets)
            results.append((outputs, loss, model.gradients.array))
        }
        let (reference, onednn) = (results[0], results[1])
        let model = network.build(maxBatch: 1, convolution: .im2col)
        var worst = 0.0
        for (i, layer) in model.layers.enumerated() {
            let e = relativeError(onednn.outputs[i], reference.outputs[i])
            #expect(e <= Self.tolerance, "\(network) \(layer.name) output: relative difference \(e)")
            worst = max(worst, e)
            let range = model.parameterRanges[i]
            guard !range.isEmpty else { continue }
            let kernel = range.lowerBound + layer.weightShapes[0].reduce(1, *)
            for part in [range.lowerBound..<kernel, kernel..<range.upperBound] {
                let g = relativeError(onednn.gradients[part], Array(reference.gradients[part]))
                #expect(g <= Self.tolerance, "\(network) \(layer.name) gradient \(part): relative difference \(g)")
                worst = max(worst, g)
            }
        }
        #expect(abs(onednn.loss - reference.loss) <= Self.tolerance * abs(reference.loss))
        print("ConvolutionBackend \(network): onednn vs im2col, worst relative difference \(worst)")
    }

    @Test func oneDNNIsBitIdenticalForTheSameBatchAcrossBatchSizes() {
        let (model, input, targets) = setUp(.cnnTiny, .onednn, batch: 6)
        func pass(_ batch: Int) -> ([Float], [Float]) {
            let probabilities = input.withUnsafeBufferPointer { Array(model.forward($0, batch: batch)) }
            _ = targets.withUnsafeBufferPointer {
                model.backward(targets: UnsafeBufferPointer(rebasing: $0[..<(2 * batch)]))
            }
            return (probabilities, model.gradients.array)
        }
        let first = pass(6)
        for other in [5, 2, 3] { _ = pass(other) } // evicts the plan of batch 6
        let again = pass(6)
        #expect(first.0 == again.0 && first.1 == again.1)
    }
}
