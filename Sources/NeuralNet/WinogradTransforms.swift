import CWinograd

/// The transforms of the Winograd minimal filtering algorithm F(2, 4) (Toom–Cook on the points
/// 0, 1, −1, 2 and ∞): two outputs of the correlation y_i = Σ_k d_{i+k}·g_k (4 taps) from 5
/// products, y = Aᵀ[(G·g) ⊙ (Bᵀ·d)] with
///
///     Bᵀ = [ 2 −1 −2  1  0 ]    G = [  1/2    0    0    0 ]    Aᵀ = [ 1  1  1  1  0 ]
///          [ 0 −2 −1  1  0 ]        [ −1/2 −1/2 −1/2 −1/2 ]         [ 0  1 −1  2  1 ]
///          [ 0  2 −3  1  0 ]        [ −1/6  1/6 −1/6  1/6 ]
///          [ 0 −1  0  1  0 ]        [  1/6  1/3  2/3  4/3 ]
///          [ 0  2 −1 −2  1 ]        [    0    0    0    1 ]
///
/// F(2×2, 4×4) applies each along both axes (X ↦ T·X·Tᵀ). Gradients use the transposes: a 2×2
/// output gradient goes to the 5×5 product domain by A = (Aᵀ)ᵀ, the product-domain kernel
/// gradient back to 4×4 by Gᵀ. The arithmetic is C (module CWinograd), vectorised over channels
/// for AVX-512, AVX2 or SSE as the CPU allows, with the same float32 rounding on each.
enum WinogradStep {
    /// Bᵀ·d·B (5×5 → 5×5), G·g·Gᵀ (4×4 → 5×5), Aᵀ·m·A (5×5 → 2×2), A·dy·Aᵀ (2×2 → 5×5),
    /// Gᵀ·u·G (5×5 → 4×4).
    case input, kernel, output, outputGradient, kernelGradient

    /// Floats of scratch `apply2D` needs.
    static let scratchCount = Int(CWINOGRAD_SCRATCH)

    private var cStep: cwinograd_step {
        switch self {
        case .input: cwinograd_input
        case .kernel: cwinograd_kernel
        case .output: cwinograd_output
        case .outputGradient: cwinograd_output_gradient
        case .kernelGradient: cwinograd_kernel_gradient
        }
    }

    /// The 2-D transform T·X·Tᵀ of `channels` independent matrices X (element (a, b) of channel
    /// c at `source[a·rows + b·columns + c]`), written to element (p, q) at
    /// `destination[p·outputRows + q·outputColumns + c]`. `scratch` holds `scratchCount` values.
    @inline(__always)
    func apply2D(
        channels: Int, _ source: UnsafePointer<Float>, rows: Int, columns: Int,
        _ destination: UnsafeMutablePointer<Float>, outputRows: Int, outputColumns: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        cwinograd_apply_2d(cStep, channels, source, rows, columns, destination, outputRows, outputColumns, scratch)
    }
}
