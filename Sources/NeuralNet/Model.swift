import Random

/// A sequential network ending in Dense(classes, softmax) with categorical cross-entropy.
///
/// All parameters live in one flat buffer (`parameters`) and all gradients in another
/// (`gradients`), layer after layer, kernel (Keras orientation) then bias; `parameterRanges[i]`
/// is layer i's slice. Activations for up to `maxBatch` samples are allocated once; a training
/// step allocates nothing.
///
/// ```swift
/// let model = Network.pjLRCNN.build(maxBatch: 300)
/// model.initializeGlorot(seed: 7)
/// model.forward(images, batch: 300)                       // → probabilities (300 × 2)
/// let loss = model.backward(targets: oneHot, lossDivisor: 300) { layer, range in
///     // gradients[range] of `layer` are final: start an all-reduce of this bucket here
/// }
/// optimizer.step(parameters: model.parameters, gradients: model.gradients)
/// ```
public final class Model {
    public let name: String
    /// Per-sample input shape: (H, W, C) for images, (F) for feature vectors.
    public let inputShape: [Int]
    public let layers: [any Layer]
    /// Every trainable parameter, layer by layer, kernel then bias.
    public let parameters: FloatBuffer
    /// d loss / d parameters, same layout; written by `backward`.
    public let gradients: FloatBuffer
    /// The slice of `parameters`/`gradients` belonging to each layer (empty for pooling/flatten).
    public let parameterRanges: [Range<Int>]
    /// The largest batch `forward` accepts.
    public let maxBatch: Int
    /// Number of output classes.
    public let classes: Int
    /// Per-layer wall time, accumulated while non-nil (set `LayerProfile(layers:)` to start).
    public var profile: LayerProfile?

    let input: FloatBuffer
    let outputs: [FloatBuffer]
    let probabilityBuffer: FloatBuffer
    let gradientA: FloatBuffer, gradientB: FloatBuffer
    var batch = 0

    /// Builds the layers of `specs` for `inputShape`, naming them as Keras does in a fresh session,
    /// with the convolutions on `convolution`.
    public init(
        name: String, inputShape: [Int], specs: [LayerSpec], maxBatch: Int,
        convolution: ConvolutionBackend = .standard
    ) {
        precondition(maxBatch > 0, "Model: maxBatch must be positive")
        guard case .dense(let classes, .softmax)? = specs.last else {
            preconditionFailure("Model \(name): the last layer must be Dense(classes, softmax)")
        }
        precondition(
            !specs.dropLast().contains { spec in
                if case .dense(_, .softmax) = spec { return true }
                if case .conv2D(_, _, .softmax) = spec { return true }
                return false
            }, "Model \(name): softmax is only allowed on the last layer")
        self.name = name
        self.inputShape = inputShape
        self.maxBatch = maxBatch
        self.classes = classes
        var built: [any Layer] = []
        var counts: [String: Int] = [:]
        var shape = inputShape
        for spec in specs {
            let base = spec.kerasBaseName
            let n = counts[base, default: 0]
            counts[base] = n + 1
            let layer = spec.build(name: n == 0 ? base : "\(base)_\(n)", inputShape: shape, convolution: convolution)
            built.append(layer)
            shape = layer.outputShape
        }
        layers = built
        var ranges: [Range<Int>] = []
        var offset = 0
        for layer in built {
            ranges.append(offset..<offset + layer.parameterCount)
            offset += layer.parameterCount
        }
        parameterRanges = ranges
        parameters = FloatBuffer(count: offset)
        gradients = FloatBuffer(count: offset)
        input = FloatBuffer(count: maxBatch * inputShape.reduce(1, *))
        outputs = built.map { FloatBuffer(count: maxBatch * $0.outputSize) }
        probabilityBuffer = FloatBuffer(count: maxBatch * classes)
        let widest = built.map { max($0.inputSize, $0.outputSize) }.max() ?? 0
        gradientA = FloatBuffer(count: maxBatch * widest)
        gradientB = FloatBuffer(count: maxBatch * widest)
    }

    /// Number of trainable parameters.
    public var parameterCount: Int { parameters.count }
    /// Number of values of one input sample.
    public var inputSize: Int { inputShape.reduce(1, *) }
    /// The batch size of the last `forward`.
    public var currentBatch: Int { batch }

    /// Runs the network on `batch` samples (row-major, `batch × inputSize` values) and returns
    /// the probabilities (`batch × classes`), valid until the next `forward`.
    @discardableResult
    public func forward(_ samples: UnsafeBufferPointer<Float>, batch: Int) -> UnsafeBufferPointer<Float> {
        precondition(batch > 0 && batch <= maxBatch, "Model \(name): batch \(batch) outside 1...\(maxBatch)")
        precondition(
            samples.count >= batch * inputSize,
            "Model \(name): \(samples.count) input values for \(batch) samples of \(inputSize)")
        self.batch = batch
        input.pointer.update(from: samples.baseAddress!, count: batch * inputSize)
        var x = UnsafePointer(input.pointer)
        for (i, layer) in layers.enumerated() {
            let start = profile == nil ? 0 : monotonicSeconds()
            layer.forward(
                input: x, output: outputs[i].pointer, batch: batch,
                parameters: parameters.pointer + parameterRanges[i].lowerBound)
            if profile != nil { profile!.forwardSeconds[i] += monotonicSeconds() - start }
            x = UnsafePointer(outputs[i].pointer)
        }
        SoftmaxCrossEntropy.probabilities(logits: x, into: probabilityBuffer.pointer, batch: batch, classes: classes)
        return probabilities
    }

    /// Array form of `forward`: returns a copy of the probabilities.
    @discardableResult
    public func forward(_ samples: [Float], batch: Int) -> [Float] {
        samples.withUnsafeBufferPointer { Array(forward($0, batch: batch)) }
    }

    /// The probabilities of the last `forward` (`currentBatch × classes`).
    public var probabilities: UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: probabilityBuffer.pointer, count: batch * classes)
    }

    /// Layer i's output of the last `forward` (after its activation; the last layer's is the logits).
    public func output(ofLayer i: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: outputs[i].pointer, count: batch * layers[i].outputSize)
    }

    /// Mean cross-entropy of the last `forward` against `targets` (`currentBatch × classes`, one-hot or soft).
    public func loss(targets: UnsafeBufferPointer<Float>) -> Double {
        precondition(
            targets.count >= batch * classes, "Model \(name): \(targets.count) target values for \(batch) samples")
        return SoftmaxCrossEntropy.lossSum(
            logits: outputs[layers.count - 1].pointer, targets: targets.baseAddress!,
            batch: batch, classes: classes) / Double(batch)
    }

    /// Back-propagates the cross-entropy of the last `forward` against `targets`, writing
    /// d(Σ_batch loss / lossDivisor)/d parameters into `gradients` (lossDivisor defaults to the
    /// batch; in data-parallel training pass the global batch size). Layers run last first;
    /// after each layer with parameters, `onLayerGradientsReady(layer, range)` reports that
    /// `gradients[range]` is final. Returns the summed (not averaged) loss of the local batch.
    @discardableResult
    public func backward(
        targets: UnsafeBufferPointer<Float>, lossDivisor: Int? = nil,
        onLayerGradientsReady: ((Int, Range<Int>) -> Void)? = nil
    ) -> Double {
        precondition(batch > 0, "Model \(name): backward before forward")
        precondition(
            targets.count >= batch * classes, "Model \(name): \(targets.count) target values for \(batch) samples")
        let divisor = lossDivisor ?? batch
        let lossSum = SoftmaxCrossEntropy.lossSum(
            logits: outputs[layers.count - 1].pointer, targets: targets.baseAddress!,
            batch: batch, classes: classes)
        var dy = gradientA.pointer, dx = gradientB.pointer
        SoftmaxCrossEntropy.gradient(
            probabilities: probabilityBuffer.pointer, targets: targets.baseAddress!,
            into: dy, count: batch * classes, divisor: divisor)
        for i in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[i], range = parameterRanges[i]
            let x = i == 0 ? UnsafePointer(input.pointer) : UnsafePointer(outputs[i - 1].pointer)
            let start = profile == nil ? 0 : monotonicSeconds()
            layer.backward(
                input: x, output: outputs[i].pointer, outputGradient: dy, inputGradient: i == 0 ? nil : dx,
                batch: batch, parameters: parameters.pointer + range.lowerBound,
                gradients: gradients.pointer + range.lowerBound)
            if profile != nil { profile!.backwardSeconds[i] += monotonicSeconds() - start }
            if !range.isEmpty { onLayerGradientsReady?(i, range) }
            swap(&dy, &dx)
        }
        return lossSum
    }

    /// Array form of `backward`.
    @discardableResult
    public func backward(
        targets: [Float], lossDivisor: Int? = nil,
        onLayerGradientsReady: ((Int, Range<Int>) -> Void)? = nil
    ) -> Double {
        targets.withUnsafeBufferPointer {
            backward(targets: $0, lossDivisor: lossDivisor, onLayerGradientsReady: onLayerGradientsReady)
        }
    }

    /// Layer i's weights in Keras order (kernel, bias), flat row-major in Keras orientation.
    public func weights(ofLayer i: Int) -> [[Float]] {
        var offset = parameterRanges[i].lowerBound
        return layers[i].weightShapes.map { shape in
            let n = shape.reduce(1, *)
            defer { offset += n }
            return Array(parameters.view(offset..<offset + n))
        }
    }

    /// Sets layer i's weights (kernel, bias), each flat row-major in Keras orientation.
    public func setWeights(ofLayer i: Int, _ values: [[Float]]) {
        let shapes = layers[i].weightShapes
        precondition(
            values.count == shapes.count,
            "Model \(name): layer \(layers[i].name) has \(shapes.count) weights, got \(values.count)")
        var offset = parameterRanges[i].lowerBound
        for (shape, value) in zip(shapes, values) {
            precondition(
                value.count == shape.reduce(1, *),
                "Model \(name): layer \(layers[i].name) weight of shape \(shape) got \(value.count) values")
            parameters.copy(from: value, offset: offset)
            offset += value.count
        }
    }

    /// Keras defaults: Glorot-uniform kernels U(−l, l), l = √(6 / (fan_in + fan_out)) (for a conv
    /// fan_in = k·k·in, fan_out = k·k·out), zero biases. Layer i draws from
    /// `SplitMix64(seed: seed, stream: RandomStage.networkWeights + i)`, so the weights depend on (seed, architecture) only.
    public func initializeGlorot(seed: UInt64) {
        parameters.zero()
        for (i, layer) in layers.enumerated() {
            guard let kernel = layer.weightShapes.first else { continue }
            let receptive = kernel.dropLast(2).reduce(1, *)
            let fanIn = receptive * kernel[kernel.count - 2], fanOut = receptive * kernel[kernel.count - 1]
            let limit = Float((6.0 / Double(fanIn + fanOut)).squareRoot())
            var rng = SplitMix64(seed: seed, stream: RandomStage.networkWeights.rawValue + UInt64(i))
            let start = parameterRanges[i].lowerBound
            for j in 0..<kernel.reduce(1, *) {
                parameters[start + j] = (2 * rng.nextUnitFloat() - 1) * limit
            }
        }
    }
}
