import Foundation
import Random

/// How the Conv2D layers compute. `im2col` and `onednn` are exact float32 convolutions and agree
/// up to the order of float sums (ConvolutionBackendTests compares every output and gradient of
/// the CNNs); `winograd` computes the same convolution with fewer multiplications and a few
/// times the rounding error (WinogradConvolutionTests).
///
/// - `im2col`: im2col + OpenBLAS sgemm, the portable reference.
/// - `onednn`: oneDNN's JIT direct convolution on the channels-last tensors (no im2col copy),
///   with the activation fused as a post-op.
/// - `winograd`: Winograd F(2×2, 4×4) tiles with the 25 products as OpenBLAS sgemm over
///   channels, on the 4×4 layers with more than one input channel; oneDNN on the others.
///
/// `VBFGRID_CONV_BACKEND=im2col|onednn|winograd` chooses the backend of every model a process builds
/// (`standard`); `Network.build(maxBatch:convolution:)` chooses it for one model.
public enum ConvolutionBackend: String, Sendable, CaseIterable {
    case im2col, onednn, winograd

    /// The process's backend: `VBFGRID_CONV_BACKEND` when set, else `onednn`.
    public static let standard: ConvolutionBackend = {
        guard let text = ProcessInfo.processInfo.environment["VBFGRID_CONV_BACKEND"] else { return .onednn }
        guard let backend = ConvolutionBackend(rawValue: text.lowercased()) else {
            fatalError("VBFGRID_CONV_BACKEND: expected im2col, onednn or winograd, got '\(text)'")
        }
        return backend
    }()
}

extension ConvolutionBackend {
    /// What computes the convolutions, e.g. "oneDNN 2.6.3, avx512_core_vnni"
    /// or "im2col + OpenBLAS sgemm".
    public var implementation: String {
        switch self {
        case .onednn: "oneDNN \(OneDNN.version), \(OneDNN.isa)"
        case .im2col: "im2col + OpenBLAS sgemm"
        case .winograd: "Winograd F(2×2, 4×4) + OpenBLAS sgemm, oneDNN \(OneDNN.version) on 1-channel layers"
        }
    }

    /// GFLOP/s of a training pass (forward, kernel and input gradients) of a 64→64 4×4 Conv2D
    /// with ReLU on 32 images of 29 × 22 (the paper CNN's middle layers), the best of three after
    /// a warm-up, on the calling thread, per second of its CPU time (so other load does not count).
    public func measureGFLOPS() -> Double {
        let layer = Conv2D(name: "conv2d", inputShape: [29, 22, 64], filters: 64, activation: .relu, backend: self)
        let batch = 32
        let (x, y, dy, dx) = (
            ConvolutionBackend.random(batch * layer.inputSize, seed: 1), FloatBuffer(count: batch * layer.outputSize),
            FloatBuffer(count: batch * layer.outputSize), FloatBuffer(count: batch * layer.inputSize)
        )
        let parameters = ConvolutionBackend.random(layer.parameterCount, seed: 2)
        let gradients = FloatBuffer(count: layer.parameterCount)
        var best = Double.infinity
        for round in 0..<4 {
            let start = threadCPUSeconds()
            layer.forward(input: x.pointer, output: y.pointer, batch: batch, parameters: parameters.pointer)
            dy.pointer.update(from: y.pointer, count: dy.count)
            layer.backward(
                input: x.pointer, output: y.pointer, outputGradient: dy.pointer, inputGradient: dx.pointer,
                batch: batch, parameters: parameters.pointer, gradients: gradients.pointer)
            if round > 0 { best = min(best, threadCPUSeconds() - start) }
        }
        return 3 * Double(layer.forwardFlops * batch) / best * 1e-9
    }

    /// The largest difference between this backend's and im2col's output of that layer, relative
    /// to the output's largest value (an exact backend gives a few 1e-7).
    public func differenceFromIm2col() -> Double {
        let batch = 4
        let layers = [self, .im2col].map {
            Conv2D(name: "conv2d", inputShape: [29, 22, 64], filters: 64, activation: .linear, backend: $0)
        }
        let x = ConvolutionBackend.random(batch * layers[0].inputSize, seed: 3)
        let parameters = ConvolutionBackend.random(layers[0].parameterCount, seed: 4)
        let outputs = layers.map { layer in
            let y = FloatBuffer(count: batch * layer.outputSize)
            layer.forward(input: x.pointer, output: y.pointer, batch: batch, parameters: parameters.pointer)
            return y.array
        }
        let scale = outputs[1].map { abs($0) }.max() ?? 1
        return Double(zip(outputs[0], outputs[1]).map { abs($0 - $1) }.max() ?? 0) / Double(scale)
    }

    private static func random(_ count: Int, seed: UInt64) -> FloatBuffer {
        var rng = SplitMix64(seed: seed)
        return FloatBuffer((0..<count).map { _ in 2 * rng.nextUnitFloat() - 1 })
    }
}
