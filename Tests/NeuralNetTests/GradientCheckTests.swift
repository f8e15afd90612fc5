import Foundation
import NeuralNet
import Random
import Testing

/// Every layer type against float64 central finite differences of an independent float64
/// implementation (DoubleOracle), on odd shapes. Per layer: L = Σ r·layer(x) with a random r;
/// the engine's backward with dy = r must give dL/dx and dL/dθ. Tolerance: forward and every
/// gradient within 1e-4 of the tensor's largest value (float32 engine vs float64 oracle;
/// typical agreement is 1e-6 to 1e-7).
@Suite struct GradientCheckTests {
    static let tolerance = 1e-4
    static let step = 1e-6

    /// A single layer, checked on all parameters and on up to `inputSamples` input entries.
    func check(
        _ layer: any Layer, batch: Int, seed: UInt64, inputSamples: Int = 40,
        reference: ([Double], [Double]) -> [Double]
    ) {
        let x = randomValues(batch * layer.inputSize, seed: seed)
        let p = randomValues(layer.parameterCount, seed: seed + 1, scale: 0.5)
        let r = randomValues(batch * layer.outputSize, seed: seed + 2)
        let params = FloatBuffer(p), grads = FloatBuffer(count: max(p.count, 1))
        let y = FloatBuffer(count: batch * layer.outputSize), dy = FloatBuffer(r)
        let dx = FloatBuffer(count: batch * layer.inputSize)
        x.withUnsafeBufferPointer { xp in
            layer.forward(input: xp.baseAddress!, output: y.pointer, batch: batch, parameters: params.pointer)
            layer.backward(
                input: xp.baseAddress!, output: y.pointer, outputGradient: dy.pointer, inputGradient: dx.pointer,
                batch: batch, parameters: params.pointer, gradients: grads.pointer)
        }
        let xd = x.map(Double.init), pd = p.map(Double.init), rd = r.map(Double.init)
        let expected = reference(xd, pd)
        #expect(
            relativeError(y.array, expected.map { Float($0) }) < Self.tolerance,
            "\(layer.kind) \(layer.inputShape) forward")
        func objective(_ x: [Double], _ p: [Double]) -> Double {
            zip(reference(x, p), rd).reduce(0) { $0 + $1.0 * $1.1 }
        }

        var rng = SplitMix64(seed: seed + 3)
        let inputIndices = (0..<min(inputSamples, xd.count)).map { _ in Int(rng.next() % UInt64(xd.count)) }
        var fdInput: [Float] = [], engineInput: [Float] = []
        for i in inputIndices {
            var plus = xd, minus = xd
            plus[i] += Self.step
            minus[i] -= Self.step
            fdInput.append(Float((objective(plus, pd) - objective(minus, pd)) / (2 * Self.step)))
            engineInput.append(dx[i])
        }
        #expect(
            relativeError(engineInput, fdInput) < Self.tolerance,
            "\(layer.kind) \(layer.inputShape) input gradient, rel err \(relativeError(engineInput, fdInput))")
        guard !p.isEmpty else { return }
        var fdParams: [Float] = []
        for i in 0..<pd.count {
            var plus = pd, minus = pd
            plus[i] += Self.step
            minus[i] -= Self.step
            fdParams.append(Float((objective(xd, plus) - objective(xd, minus)) / (2 * Self.step)))
        }
        let engine = Array(grads.array.prefix(p.count))
        print(
            "GradientCheck \(layer.kind) \(layer.inputShape) \(layer.activation): input \(relativeError(engineInput, fdInput)), parameters \(relativeError(engine, fdParams))"
        )
        #expect(
            relativeError(engine, fdParams) < Self.tolerance,
            "\(layer.kind) \(layer.inputShape) parameter gradient, rel err \(relativeError(engine, fdParams))")
    }

    @Test(arguments: [
        (59, 45, 1, 3, 4, Activation.relu), (7, 5, 3, 4, 4, .linear), (5, 4, 2, 3, 4, .sigmoid), (9, 6, 2, 3, 3, .relu),
    ])
    func conv2D(h: Int, w: Int, c: Int, o: Int, k: Int, activation: Activation) {
        // im2col with the default and a small column budget (chunks that span images), and oneDNN.
        let variants = [
            (ConvolutionBackend.im2col, Conv2D.defaultColumnBudget), (.im2col, 7 * k * k * max(c, o)),
            (.onednn, Conv2D.defaultColumnBudget),
        ]
        for (backend, budget) in variants {
            let layer = Conv2D(
                name: "conv2d", inputShape: [h, w, c], filters: o, kernelSize: k, activation: activation,
                backend: backend, columnBudget: budget)
            let kn = k * k * c * o
            check(layer, batch: 2, seed: UInt64(h * 100 + w)) { x, p in
                DoubleOracle.activate(
                    DoubleOracle.conv(
                        x, n: 2, h: h, w: w, c: c, kernel: Array(p[..<kn]), k: k, o: o,
                        bias: Array(p[kn...])), activation)
            }
        }
    }

    @Test(arguments: [(59, 45, 3), (5, 4, 2), (6, 8, 1), (7, 7, 5)])
    func averagePooling(h: Int, w: Int, c: Int) {
        let layer = AveragePooling2D(name: "average_pooling2d", inputShape: [h, w, c])
        check(layer, batch: 3, seed: UInt64(h * 10 + w), inputSamples: 200) { x, _ in
            DoubleOracle.pool(x, n: 3, h: h, w: w, c: c)
        }
    }

    @Test func flatten() {
        let layer = Flatten(name: "flatten", inputShape: [7, 5, 3])
        check(layer, batch: 2, seed: 5) { x, _ in x }
    }

    @Test(arguments: [(13, 7, Activation.relu), (24, 19, .sigmoid), (11, 2, .linear), (1, 5, .sigmoid)])
    func dense(inputs: Int, units: Int, activation: Activation) {
        let layer = Dense(name: "dense", inputs: inputs, units: units, activation: activation)
        check(layer, batch: 5, seed: UInt64(inputs * 31 + units)) { x, p in
            let kn = inputs * units
            return DoubleOracle.activate(
                DoubleOracle.dense(
                    x, n: 5, inputs: inputs, kernel: Array(p[..<kn]), units: units,
                    bias: Array(p[kn...])), activation)
        }
    }

    /// Softmax + cross-entropy: d(Σ loss / divisor)/d logits against finite differences, with
    /// soft targets, 3 classes and a divisor different from the batch.
    @Test func softmaxCrossEntropy() {
        let batch = 4, classes = 3, divisor = 10
        let z = randomValues(batch * classes, seed: 77, scale: 3)
        let t = randomValues(batch * classes, seed: 78).map { abs($0) }
        let p = FloatBuffer(count: z.count), dz = FloatBuffer(count: z.count)
        z.withUnsafeBufferPointer {
            SoftmaxCrossEntropy.probabilities(logits: $0.baseAddress!, into: p.pointer, batch: batch, classes: classes)
        }
        let tn = (0..<batch).flatMap { s in
            let row = t[s * classes..<(s + 1) * classes], sum = row.reduce(0, +)
            return row.map { $0 / sum }
        }
        SoftmaxCrossEntropy.gradient(
            probabilities: p.pointer, targets: tn, into: dz.pointer, count: z.count, divisor: divisor)
        let zd = z.map(Double.init), td = tn.map(Double.init)
        var fd: [Float] = []
        for i in 0..<zd.count {
            var plus = zd, minus = zd
            plus[i] += Self.step
            minus[i] -= Self.step
            fd.append(
                Float(
                    (DoubleOracle.crossEntropySum(plus, td, classes: classes)
                        - DoubleOracle.crossEntropySum(minus, td, classes: classes)) / (2 * Self.step) / Double(divisor)
                ))
        }
        #expect(relativeError(dz.array, fd) < Self.tolerance)
        let sum = z.withUnsafeBufferPointer { zp in
            tn.withUnsafeBufferPointer {
                SoftmaxCrossEntropy.lossSum(
                    logits: zp.baseAddress!, targets: $0.baseAddress!, batch: batch, classes: classes)
            }
        }
        #expect(abs(sum - DoubleOracle.crossEntropySum(zd, td, classes: classes)) < 1e-5 * sum)
    }

    /// A whole CNN on an odd 11×9×2 input: the engine's gradient of Σ loss / divisor against
    /// float64 finite differences of the float64 model, for a sample of parameters of every layer.
    @Test func wholeModel() {
        let specs: [LayerSpec] = [
            .conv2D(filters: 3, activation: .relu), .conv2D(filters: 2, activation: .sigmoid),
            .averagePooling2D, .conv2D(filters: 3, kernelSize: 3, activation: .relu), .averagePooling2D,
            .flatten, .dense(units: 4, activation: .relu), .dense(units: 3, activation: .softmax),
        ]
        let batch = 3, divisor = 7
        let model = Model(name: "check", inputShape: [11, 9, 2], specs: specs, maxBatch: batch)
        model.initializeGlorot(seed: 11)
        for i in 0..<model.parameterCount { model.parameters[i] += 0.05 * randomValues(1, seed: UInt64(1000 + i))[0] }
        let x = randomValues(batch * model.inputSize, seed: 12)
        let targets: [Float] = [1, 0, 0, 0, 0, 1, 0, 1, 0]
        model.forward(x, batch: batch)
        var ready: [Int] = []
        model.backward(targets: targets, lossDivisor: divisor) { layer, range in
            #expect(range == model.parameterRanges[layer])
            ready.append(layer)
        }
        #expect(ready == [7, 6, 3, 1, 0])
        let pd = model.parameters.array.map(Double.init), xd = x.map(Double.init), td = targets.map(Double.init)
        func objective(_ p: [Double]) -> Double {
            DoubleOracle.crossEntropySum(
                DoubleOracle.logits(model, parameters: p, input: xd, batch: batch), td, classes: 3) / Double(divisor)
        }
        var rng = SplitMix64(seed: 13)
        for (i, range) in model.parameterRanges.enumerated() where !range.isEmpty {
            let indices = (0..<12).map { _ in range.lowerBound + Int(rng.next() % UInt64(range.count)) }
            var fd: [Float] = [], engine: [Float] = []
            for j in indices {
                var plus = pd, minus = pd
                plus[j] += Self.step
                minus[j] -= Self.step
                fd.append(Float((objective(plus) - objective(minus)) / (2 * Self.step)))
                engine.append(model.gradients[j])
            }
            #expect(
                relativeError(engine, fd) < Self.tolerance,
                "layer \(model.layers[i].name): rel err \(relativeError(engine, fd))")
        }
    }
}
