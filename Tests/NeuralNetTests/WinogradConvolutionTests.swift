import Foundation
import Random
import Testing

@testable import NeuralNet

/// The `winograd` convolution backend (F(2×2, 4×4)) against the exact im2col path.
///
/// Error bound. Winograd evaluates each output as Σ_ξ a_ξ·U_ξ·V_ξ with U = G·g·Gᵀ, V = Bᵀ·d·B
/// and a_ξ from Aᵀ ⊗ Aᵀ; the rounding of those intermediate values is proportional to their
/// size, Σ_ξ |a_ξ|·‖G_ξ‖₁·‖Bᵀ_ξ‖₁ per output. In 1-D the row norms are ‖G‖₁ = (1/2, 2, 2/3, 5/2,
/// 1) and ‖Bᵀ‖₁ = (6, 4, 6, 2, 6), so the second output weighs 8 + 4 + 2·5 + 6 = 28 against the
/// direct sum's 4 taps: 7× per dimension, 49× in 2-D. A float32 sum of N terms carries about
/// √N·2⁻²⁴ of the tensor's scale, so the bound per tensor (relative to its largest value) is
/// 49·√N·2⁻²⁴ with N the terms of one output: 16·in (forward), 16·out (input gradient), the
/// batch's pixels (kernel gradient). A wrong tile origin, padding or transform gives errors of
/// order 1; measured errors are about a tenth of the bound.
@Suite struct WinogradConvolutionTests {
    static func bound(terms: Int) -> Double { 49 * Double(terms).squareRoot() * 0x1p-24 }

    static func random(_ count: Int, _ rng: inout SplitMix64) -> [Float] {
        (0..<count).map { _ in 2 * rng.nextUnitFloat() - 1 }
    }

    /// The 2-D transforms compute the 2×2 correlation y = Σ_ab d[i+a, j+b]·g[a, b] of a 5×5 patch
    /// with a 4×4 kernel, and the gradient transforms are the transposes of theirs
    /// (⟨Aᵀ·m·A, y⟩ = ⟨m, A·y·Aᵀ⟩, ⟨G·g·Gᵀ, u⟩ = ⟨g, Gᵀ·u·G⟩).
    @Test func transformsAreTheMinimalFilterAndItsTransposes() {
        var rng = SplitMix64(seed: 5)
        let dot = { (a: [Float], b: [Float]) in zip(a, b).reduce(Float(0)) { $0 + $1.0 * $1.1 } }
        for _ in 0..<20 {
            let d = Self.random(25, &rng), g = Self.random(16, &rng), m = Self.random(25, &rng)
            let y = Self.random(4, &rng), u = Self.random(25, &rng)
            let result = WinogradProbe.run(
                zip(WinogradProbe.run(g, .kernel), WinogradProbe.run(d, .input)).map(*), .output)
            for i in 0..<2 {
                for j in 0..<2 {
                    var direct: Float = 0
                    for a in 0..<4 { for b in 0..<4 { direct += d[(i + a) * 5 + j + b] * g[a * 4 + b] } }
                    #expect(abs(result[i * 2 + j] - direct) <= 1e-5, "output (\(i), \(j)): \(result) vs \(direct)")
                }
            }
            #expect(abs(dot(WinogradProbe.run(m, .output), y) - dot(m, WinogradProbe.run(y, .outputGradient))) <= 1e-5)
            #expect(abs(dot(WinogradProbe.run(g, .kernel), u) - dot(g, WinogradProbe.run(u, .kernelGradient))) <= 1e-5)
        }
    }

    /// (height, width, in, out, batch): odd sizes, images smaller than a tile, channel counts
    /// that are and are not multiples of the 8 SIMD lanes, and more tiles than a block.
    static let shapes: [(Int, Int, Int, Int, Int)] = [
        (5, 7, 3, 5, 2), (1, 1, 2, 3, 3), (2, 3, 9, 4, 2), (7, 6, 16, 8, 1), (29, 22, 64, 64, 2), (12, 13, 17, 64, 3),
    ]

    @Test(arguments: shapes)
    func layerMatchesIm2colOnRandomShapes(shape: (Int, Int, Int, Int, Int)) throws {
        let (h, w, c, o, batch) = shape
        let results = [ConvolutionBackend.im2col, .winograd].map { backend in
            Self.pass(h, w, c, o, batch: batch, backend: backend)
        }
        let (exact, winograd) = (results[0], results[1])
        let checks: [(String, Int, Int)] = [
            ("output", 0, 16 * c), ("kernel gradient", 1, batch * h * w), ("bias gradient", 2, batch * h * w),
            ("input gradient", 3, 16 * o),
        ]
        for (name, index, terms) in checks {
            let error = relativeError(winograd[index], exact[index])
            #expect(error <= Self.bound(terms: terms), "\(shape) \(name): relative error \(error)")
        }
        print(
            "Winograd \(shape): relative error of output, kernel, bias, input gradients",
            checks.map { relativeError(winograd[$0.1], exact[$0.1]) })
    }

    /// Forward (ReLU), backward from a random output gradient: [y, dK, db, dx].
    static func pass(_ h: Int, _ w: Int, _ c: Int, _ o: Int, batch: Int, backend: ConvolutionBackend) -> [[Float]] {
        let layer = Conv2D(name: "conv2d", inputShape: [h, w, c], filters: o, activation: .relu, backend: backend)
        var rng = SplitMix64(seed: UInt64(h * 1000 + w * 10 + c))
        let x = FloatBuffer(random(batch * h * w * c, &rng)),
            parameters = FloatBuffer(random(layer.parameterCount, &rng))
        let dy = FloatBuffer(random(batch * h * w * o, &rng))
        let y = FloatBuffer(count: batch * h * w * o), dx = FloatBuffer(count: x.count)
        let gradients = FloatBuffer(count: layer.parameterCount)
        layer.forward(input: x.pointer, output: y.pointer, batch: batch, parameters: parameters.pointer)
        layer.backward(
            input: x.pointer, output: y.pointer, outputGradient: dy.pointer, inputGradient: dx.pointer, batch: batch,
            parameters: parameters.pointer, gradients: gradients.pointer)
        let kernel = 16 * c * o
        return [y.array, Array(gradients.array[..<kernel]), Array(gradients.array[kernel...]), dx.array]
    }

    /// On the Keras reference model and batch (cnn_tiny), every gradient within 1e-4 of the exact
    /// path's (relative to the tensor's largest value), and the loss within 1e-6.
    @Test func kerasReferenceGradientsMatchTheExactPath() throws {
        let runs = try [ConvolutionBackend.im2col, .winograd].map { backend in
            let (_, model, input, targets, batch) = try KerasReferenceTests.setUp(.cnnTiny, backend)
            model.forward(input, batch: batch)
            let loss = model.backward(targets: targets)
            return (model, loss)
        }
        let (exact, winograd) = (runs[0].0, runs[1].0)
        #expect(abs(runs[0].1 - runs[1].1) <= 1e-6 * abs(runs[0].1))
        var worst = 0.0
        for (i, layer) in exact.layers.enumerated() where !layer.weightShapes.isEmpty {
            let range = exact.parameterRanges[i]
            let error = relativeError(winograd.gradients.array[range], Array(exact.gradients.array[range]))
            #expect(error <= 1e-4, "\(layer.name) gradient: relative error \(error)")
            worst = max(worst, error)
        }
        print("Winograd cnn_tiny: worst gradient relative error against im2col \(worst)")
    }

    /// Five Nadam steps of PJ-LR-CNN on a fixed batch: the losses follow the exact path's within
    /// 1e-4 relative (gradients differ by ~1e-6 relative per step; five steps of Nadam with its
    /// 2e-3 step leave the weights within a few 1e-6 of each other), and a rerun is bit-identical.
    @Test func nadamStepsOfPJLRCNNFollowTheExactPath() {
        let batch = 3
        func losses(_ backend: ConvolutionBackend) -> [Double] {
            let model = Network.pjLRCNN.build(maxBatch: batch, convolution: backend)
            model.initializeGlorot(seed: 7)
            var rng = SplitMix64(seed: 17)
            let input = (0..<batch * model.inputSize).map { _ in rng.nextUnitFloat() }
            let targets: [Float] = [1, 0, 0, 1, 1, 0]
            let optimizer = Nadam(parameterCount: model.parameterCount)
            return (0..<5).map { _ in
                model.forward(input, batch: batch)
                let loss = model.backward(targets: targets)
                optimizer.step(parameters: model.parameters, gradients: model.gradients)
                return loss
            }
        }
        let exact = losses(.im2col), winograd = losses(.winograd)
        for (a, b) in zip(exact, winograd) { #expect(abs(a - b) <= 1e-4 * abs(a), "losses \(exact) vs \(winograd)") }
        #expect(losses(.winograd) == winograd)
        print("Winograd PJ-LR-CNN Nadam losses: exact \(exact), winograd \(winograd)")
    }
}

/// The 2-D transforms of one channel, on row-major arrays.
enum WinogradProbe {
    static func run(_ input: [Float], _ step: WinogradStep) -> [Float] {
        let side = [WinogradStep.input: 5, .kernel: 4, .output: 5, .outputGradient: 2, .kernelGradient: 5][step]!
        let outputSide = [WinogradStep.input: 5, .kernel: 5, .output: 2, .outputGradient: 5, .kernelGradient: 4][step]!
        var result = [Float](repeating: 0, count: outputSide * outputSide)
        let scratch = FloatBuffer(count: WinogradStep.scratchCount)
        input.withUnsafeBufferPointer { s in
            result.withUnsafeMutableBufferPointer { d in
                step.apply2D(
                    channels: 1, s.baseAddress!, rows: side, columns: 1, d.baseAddress!, outputRows: outputSide,
                    outputColumns: 1, scratch: scratch.pointer)
            }
        }
        return result
    }
}
