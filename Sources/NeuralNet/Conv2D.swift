import BLAS
import Foundation

/// Conv2D with stride 1 and TensorFlow 'same' padding (⌊(k−1)/2⌋ before, the rest after; 1 and 2
/// for k = 4), channels-last, Keras kernel (k, k, in, out), fused bias and activation.
///
/// With the `im2col` backend, computed as im2col + sgemm over chunks of output pixels (a chunk
/// may span images), so the column matrix stays in cache: y[chunk] = col(x)[chunk] · K.
/// Backward: dK = Σ colᵀ·dy, db = Σ dy, and dx as the 'full' correlation of dy with the
/// flipped, transposed kernel — again im2col + sgemm (padding k−1−before), with no scatter.
/// With `onednn`, oneDNN's primitives on the same tensors (`OneDNNConvolution`). With `winograd`,
/// Winograd's F(2×2, 4×4) (`WinogradConvolution`) where it fits the layer, else oneDNN.
public final class Conv2D: Layer {
    public let name: String
    public let kind = "Conv2D"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let activation: Activation
    public let backend: ConvolutionBackend
    let height: Int, width: Int, inChannels: Int, filters: Int, kernelSize: Int
    let padBefore: Int
    /// Column buffer of `columnBudget` values: `chunkPixels` rows of the forward patch (k·k·in),
    /// or `gradientChunkPixels` rows of the input-gradient patch (k·k·out).
    let columns: FloatBuffer
    let chunkPixels: Int, gradientChunkPixels: Int
    /// The flipped kernel Kf[a, b, o, c] = K[k−1−a, k−1−b, c, o], rebuilt at each backward.
    let flipped: FloatBuffer
    /// The oneDNN primitives (backend `onednn`, or `winograd` on a layer it does not fit); the column
    /// and flipped-kernel buffers are then empty.
    let onednn: OneDNNConvolution?
    /// The Winograd path (backend `winograd` on a layer it fits).
    let winograd: WinogradConvolution?

    /// Default number of Float values of column matrix per chunk (256 KiB: 64 pixels of a 64-channel
    /// 4×4 patch; 32 Ki to 128 Ki values measured within noise of each other for PJ-LR-CNN).
    /// `VBFGRID_CONV_COLUMN_BUDGET` overrides it: a run that differs from another only in the
    /// order of its kernel-gradient sums, which is how the data-parallel tests measure the
    /// float32 spread of a training run on the CPU they run on.
    public static let defaultColumnBudget: Int = {
        if let text = ProcessInfo.processInfo.environment["VBFGRID_CONV_COLUMN_BUDGET"] {
            guard let value = Int(text), value > 0 else {
                fatalError("VBFGRID_CONV_COLUMN_BUDGET: expected a positive number of Float values, got '\(text)'")
            }
            return value
        }
        return 65_536
    }()

    /// `columnBudget` bounds the column matrix of one chunk (in Float values, `im2col` backend);
    /// it sets the chunk size and does not change the result beyond float summation order.
    public init(
        name: String, inputShape: [Int], filters: Int, kernelSize: Int = 4, activation: Activation,
        backend: ConvolutionBackend = .standard, columnBudget: Int = Conv2D.defaultColumnBudget
    ) {
        precondition(inputShape.count == 3, "Conv2D needs an (H, W, C) input, got \(inputShape)")
        self.name = name
        self.inputShape = inputShape
        (height, width, inChannels) = (inputShape[0], inputShape[1], inputShape[2])
        self.filters = filters
        self.kernelSize = kernelSize
        self.activation = activation
        self.backend = backend
        padBefore = (kernelSize - 1) / 2
        outputShape = [height, width, filters]
        let budget = max(columnBudget, kernelSize * kernelSize * max(inChannels, filters))
        chunkPixels = budget / (kernelSize * kernelSize * inChannels)
        gradientChunkPixels = budget / (kernelSize * kernelSize * filters)
        let im2col = backend == .im2col
        columns = FloatBuffer(count: im2col ? budget : 0)
        flipped = FloatBuffer(count: im2col ? kernelSize * kernelSize * inChannels * filters : 0)
        winograd =
            backend == .winograd && WinogradConvolution.fits(kernelSize: kernelSize, inChannels: inputShape[2])
            ? WinogradConvolution(height: height, width: width, inChannels: inChannels, filters: filters) : nil
        onednn =
            im2col || winograd != nil
            ? nil
            : OneDNNConvolution(
                height: height, width: width, inChannels: inChannels, filters: filters,
                kernelSize: kernelSize, activation: activation)
    }

    public var weightShapes: [[Int]] { [[kernelSize, kernelSize, inChannels, filters], [filters]] }

    var patch: Int { kernelSize * kernelSize * inChannels }

    public func forward(
        input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>, batch: Int,
        parameters: UnsafePointer<Float>
    ) {
        if let onednn { return onednn.forward(input: x, output: y, batch: batch, parameters: parameters) }
        if let winograd {
            return winograd.forward(input: x, output: y, batch: batch, parameters: parameters, activation: activation)
        }
        let pixels = batch * height * width, bias = parameters + patch * filters
        for first in stride(from: 0, to: pixels, by: chunkPixels) {
            let count = min(chunkPixels, pixels - first)
            im2col(
                x, height: height, width: width, channels: inChannels, kernel: kernelSize, pad: padBefore,
                first: first, count: count, into: columns.pointer)
            let out = y + first * filters
            BLAS.sgemmUnchecked(
                .no, .no, m: count, n: filters, k: patch, alpha: 1, a: columns.pointer, lda: patch,
                b: parameters, ldb: filters, beta: 0, c: out, ldc: filters)
            addBiasAndActivate(out, rows: count, cols: filters, bias: bias, activation: activation)
        }
    }

    public func backward(
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
        outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
        batch: Int, parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>
    ) {
        let pixels = batch * height * width
        activation.backward(output: y, gradient: dy, count: pixels * filters)
        if let onednn {
            return onednn.backward(
                input: x, outputGradient: dy, inputGradient: dx, batch: batch,
                parameters: parameters, gradients: gradients)
        }
        if let winograd {
            return winograd.backward(
                input: x, outputGradient: dy, inputGradient: dx, batch: batch, parameters: parameters,
                gradients: gradients)
        }
        sumRows(dy, rows: pixels, cols: filters, into: gradients + patch * filters)
        for first in stride(from: 0, to: pixels, by: chunkPixels) {
            let count = min(chunkPixels, pixels - first)
            im2col(
                x, height: height, width: width, channels: inChannels, kernel: kernelSize, pad: padBefore,
                first: first, count: count, into: columns.pointer)
            BLAS.sgemmUnchecked(
                .yes, .no, m: patch, n: filters, k: count, alpha: 1, a: columns.pointer, lda: patch,
                b: dy + first * filters, ldb: filters, beta: first == 0 ? 0 : 1,
                c: gradients, ldc: filters)
        }
        guard let dx else { return }
        flipKernel(parameters)
        let flippedPatch = kernelSize * kernelSize * filters
        for first in stride(from: 0, to: pixels, by: gradientChunkPixels) {
            let count = min(gradientChunkPixels, pixels - first)
            im2col(
                dy, height: height, width: width, channels: filters, kernel: kernelSize,
                pad: kernelSize - 1 - padBefore, first: first, count: count, into: columns.pointer)
            BLAS.sgemmUnchecked(
                .no, .no, m: count, n: inChannels, k: flippedPatch, alpha: 1,
                a: columns.pointer, lda: flippedPatch, b: flipped.pointer, ldb: inChannels,
                beta: 0, c: dx + first * inChannels, ldc: inChannels)
        }
    }

    /// flipped[a, b, o, c] = K[k−1−a, k−1−b, c, o].
    func flipKernel(_ kernel: UnsafePointer<Float>) {
        let k = kernelSize, ci = inChannels, co = filters
        for a in 0..<k {
            for b in 0..<k {
                let source = kernel + ((k - 1 - a) * k + (k - 1 - b)) * ci * co
                let destination = flipped.pointer + (a * k + b) * co * ci
                for c in 0..<ci { for o in 0..<co { destination[o * ci + c] = source[c * co + o] } }
            }
        }
    }
}
