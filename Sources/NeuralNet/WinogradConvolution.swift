import BLAS

/// A 4×4, stride-1, 'same' Conv2D by Winograd's F(2×2, 4×4) (`WinogradStep`): each 2×2 output
/// tile from a 5×5 input tile with 25 multiplications per (input, output) channel pair instead of
/// 64, 2.56× fewer than the direct convolution.
///
/// Tiles are taken `blockTiles` at a time (over the whole batch, image-major), so a block's
/// transformed inputs and products stay in the core's L2 cache:
/// - forward: V = Bᵀ·x·B of each tile (25 matrices tiles × in), the 25 products V[ξ]·U[ξ] as
///   sgemm against the transformed kernel U = G·K·Gᵀ (in × out each), y = Aᵀ·M·A + bias;
/// - input gradient: the same with dy as input (padding 2 before, 1 after), the flipped kernel
///   and U[ξ] transposed in the sgemm;
/// - kernel gradient: dU[ξ] = Σ_blocks V[ξ]ᵀ·(A·dy·Aᵀ)[ξ], then dK = Gᵀ·dU·G.
///
/// Deterministic (fixed summation order), no allocation after `init`. Rounding: the transforms
/// have coefficients up to 3 and 8/6, so the result differs from the direct sum by a few times
/// its float32 rounding (`WinogradConvolutionTests` bounds it).
final class WinogradConvolution {
    let height: Int, width: Int, inChannels: Int, filters: Int, padBefore: Int
    let tileRows: Int, tileColumns: Int
    /// Tiles per block.
    let blockTiles: Int
    /// The transformed inputs of a block: 25 × blockTiles × channels.
    private let tiles: FloatBuffer
    /// The 25 products of a block (or transformed output gradients): 25 × blockTiles × channels.
    private let products: FloatBuffer
    /// The transformed kernel U (or the kernel gradient dU): 25 × in × out.
    private let kernelTiles: FloatBuffer
    /// One gathered input tile (5 × 5 × channels), then one output tile (2 × 2 × channels).
    private let patch: FloatBuffer
    private let scratch = FloatBuffer(count: WinogradStep.scratchCount)

    /// Float values of one block's transformed inputs (25 tiles' worth × channels); 64 tiles of
    /// 64 channels, 400 KiB, with as much again of products.
    static let blockBudget = 25 * 64 * 64

    /// The layers this path computes: 4×4 kernels with more than one input channel (on one
    /// channel each position's product is rank 1, a shape sgemm runs poorly; oneDNN takes it).
    static func fits(kernelSize: Int, inChannels: Int) -> Bool { kernelSize == 4 && inChannels > 1 }

    init(height: Int, width: Int, inChannels: Int, filters: Int) {
        precondition(inChannels > 0 && filters > 0, "WinogradConvolution: empty channels \(inChannels) → \(filters)")
        (self.height, self.width, self.inChannels, self.filters) = (height, width, inChannels, filters)
        padBefore = 1
        (tileRows, tileColumns) = ((height + 1) / 2, (width + 1) / 2)
        let channels = max(inChannels, filters)
        blockTiles = max(1, Self.blockBudget / (25 * channels))
        tiles = FloatBuffer(count: 25 * blockTiles * channels)
        products = FloatBuffer(count: 25 * blockTiles * channels)
        kernelTiles = FloatBuffer(count: 25 * inChannels * filters)
        patch = FloatBuffer(count: 25 * channels)
    }

    private var kernelCount: Int { 16 * inChannels * filters }

    func forward(
        input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>, batch: Int,
        parameters: UnsafePointer<Float>, activation: Activation
    ) {
        transformKernel(parameters, flipped: false)
        correlate(
            x, channels: inChannels, pad: padBefore, into: y, channels: filters, batch: batch,
            transposedKernel: false, bias: parameters + kernelCount, activation: activation)
    }

    /// Kernel and bias gradients from `dy` (the activation derivative already applied), and
    /// `dx` unless nil.
    func backward(
        input x: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>,
        inputGradient dx: UnsafeMutablePointer<Float>?, batch: Int,
        parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>
    ) {
        sumRows(dy, rows: batch * height * width, cols: filters, into: gradients + kernelCount)
        let (ci, co, block) = (inChannels, filters, blockTiles)
        let total = batch * tileRows * tileColumns
        for first in stride(from: 0, to: total, by: block) {
            let count = min(block, total - first)
            for slot in 0..<count {
                transformInput(x, channels: ci, pad: padBefore, tile: first + slot, slot: slot)
                transformOutputGradient(dy, tile: first + slot, slot: slot)
            }
            for position in 0..<25 {
                BLAS.sgemmUnchecked(
                    .yes, .no, m: ci, n: co, k: count, alpha: 1, a: tiles.pointer + position * block * ci, lda: ci,
                    b: products.pointer + position * block * co, ldb: co, beta: first == 0 ? 0 : 1,
                    c: kernelTiles.pointer + position * ci * co, ldc: co)
            }
        }
        let pairs = ci * co
        WinogradStep.kernelGradient.apply2D(
            channels: pairs, kernelTiles.pointer, rows: 5 * pairs, columns: pairs, gradients,
            outputRows: 4 * pairs, outputColumns: pairs, scratch: scratch.pointer)
        guard let dx else { return }
        transformKernel(parameters, flipped: true)
        correlate(
            dy, channels: co, pad: 3 - padBefore, into: dx, channels: ci, batch: batch,
            transposedKernel: true, bias: nil, activation: .linear)
    }

    /// kernelTiles = G·K·Gᵀ for every (in, out) pair, of K or of K rotated by 180°.
    private func transformKernel(_ kernel: UnsafePointer<Float>, flipped: Bool) {
        let pairs = inChannels * filters
        let step = flipped ? -pairs : pairs
        WinogradStep.kernel.apply2D(
            channels: pairs, kernel + (flipped ? 15 * pairs : 0), rows: 4 * step, columns: step,
            kernelTiles.pointer, outputRows: 5 * pairs, outputColumns: pairs, scratch: scratch.pointer)
    }

    /// The correlation of `source` (ci channels, zero outside the image, `pad` rows and columns
    /// before) with the kernel in `kernelTiles` ((in, out) per position, used as out × in when
    /// `transposedKernel`), into `destination` (co channels), plus bias and activation.
    private func correlate(
        _ source: UnsafePointer<Float>, channels ci: Int, pad: Int, into destination: UnsafeMutablePointer<Float>,
        channels co: Int, batch: Int, transposedKernel: Bool, bias: UnsafePointer<Float>?, activation: Activation
    ) {
        let block = blockTiles, total = batch * tileRows * tileColumns
        for first in stride(from: 0, to: total, by: block) {
            let count = min(block, total - first)
            for slot in 0..<count { transformInput(source, channels: ci, pad: pad, tile: first + slot, slot: slot) }
            for position in 0..<25 {
                BLAS.sgemmUnchecked(
                    .no, transposedKernel ? .yes : .no, m: count, n: co, k: ci, alpha: 1,
                    a: tiles.pointer + position * block * ci, lda: ci,
                    b: kernelTiles.pointer + position * ci * co, ldb: transposedKernel ? ci : co, beta: 0,
                    c: products.pointer + position * block * co, ldc: co)
            }
            for slot in 0..<count {
                transformOutput(
                    tile: first + slot, slot: slot, channels: co, into: destination, bias: bias, activation: activation)
            }
        }
    }

    /// (image, first row, first column) of output tile `tile`.
    private func origin(_ tile: Int) -> (image: Int, row: Int, column: Int) {
        let (image, rest) = tile.quotientAndRemainder(dividingBy: tileRows * tileColumns)
        let (i, j) = rest.quotientAndRemainder(dividingBy: tileColumns)
        return (image, 2 * i, 2 * j)
    }

    /// tiles[ξ][slot] = Bᵀ·d·B of the 5×5 input patch of output tile `tile` (zero outside the image;
    /// read in place when inside).
    private func transformInput(_ x: UnsafePointer<Float>, channels c: Int, pad: Int, tile: Int, slot: Int) {
        let (image, row, column) = origin(tile)
        transformPatch(
            .input, of: x, image: image, top: row - pad, left: column - pad, size: 5, channels: c,
            into: tiles.pointer + slot * c)
    }

    /// products[ξ][slot] = A·dy·Aᵀ of the 2×2 output-gradient tile `tile` (zero outside the image).
    private func transformOutputGradient(_ dy: UnsafePointer<Float>, tile: Int, slot: Int) {
        let (image, row, column) = origin(tile)
        transformPatch(
            .outputGradient, of: dy, image: image, top: row, left: column, size: 2, channels: filters,
            into: products.pointer + slot * filters)
    }

    /// Applies `step` to the size×size patch of `image` at (top, left) of an NHWC tensor with `c`
    /// channels, writing the 25 transformed values (stride blockTiles·c) at `target`. The patch is
    /// read in place when it lies inside the image, else gathered with zeros outside.
    private func transformPatch(
        _ step: WinogradStep, of source: UnsafePointer<Float>, image: Int, top: Int, left: Int, size: Int,
        channels c: Int, into target: UnsafeMutablePointer<Float>
    ) {
        let plane = blockTiles * c
        if top >= 0 && top + size <= height && left >= 0 && left + size <= width {
            step.apply2D(
                channels: c, source + ((image * height + top) * width + left) * c, rows: width * c, columns: c,
                target, outputRows: 5 * plane, outputColumns: plane, scratch: scratch.pointer)
            return
        }
        let d = patch.pointer
        for a in 0..<size {
            for b in 0..<size {
                let (i, j) = (top + a, left + b)
                let gathered = d + (a * size + b) * c
                if i < 0 || i >= height || j < 0 || j >= width {
                    gathered.update(repeating: 0, count: c)
                } else {
                    gathered.update(from: source + ((image * height + i) * width + j) * c, count: c)
                }
            }
        }
        step.apply2D(
            channels: c, d, rows: size * c, columns: c, target, outputRows: 5 * plane, outputColumns: plane,
            scratch: scratch.pointer)
    }

    /// The output tile Aᵀ·M·A of products[ξ][slot], its pixels inside the image written to
    /// `y` with bias and activation (in place when the whole tile is inside).
    private func transformOutput(
        tile: Int, slot: Int, channels c: Int, into y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
        activation: Activation
    ) {
        let plane = blockTiles * c, source = products.pointer + slot * c
        let (image, row, column) = origin(tile)
        let corner = y + ((image * height + row) * width + column) * c
        let (rows, columns) = (min(2, height - row), min(2, width - column))
        if rows == 2 && columns == 2 {
            WinogradStep.output.apply2D(
                channels: c, source, rows: 5 * plane, columns: plane, corner, outputRows: width * c,
                outputColumns: c, scratch: scratch.pointer)
        } else {
            let d = patch.pointer
            WinogradStep.output.apply2D(
                channels: c, source, rows: 5 * plane, columns: plane, d, outputRows: 2 * c, outputColumns: c,
                scratch: scratch.pointer)
            for u in 0..<rows { (corner + u * width * c).update(from: d + u * 2 * c, count: columns * c) }
        }
        guard let bias else { return }
        for u in 0..<rows {
            addBiasAndActivate(corner + u * width * c, rows: columns, cols: c, bias: bias, activation: activation)
        }
    }
}
