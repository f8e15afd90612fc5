/// The 1-D transforms of the Winograd minimal filtering algorithm F(2, 4) (Toom–Cook on the
/// points 0, 1, −1, 2 and ∞): two outputs of the correlation y_i = Σ_k d_{i+k}·g_k (4 taps)
/// from 5 products, y = Aᵀ[(G·g) ⊙ (Bᵀ·d)] with
///
///     Bᵀ = [ 2 −1 −2  1  0 ]    G = [  1/2    0    0    0 ]    Aᵀ = [ 1  1  1  1  0 ]
///          [ 0 −2 −1  1  0 ]        [ −1/2 −1/2 −1/2 −1/2 ]         [ 0  1 −1  2  1 ]
///          [ 0  2 −3  1  0 ]        [ −1/6  1/6 −1/6  1/6 ]
///          [ 0 −1  0  1  0 ]        [  1/6  1/3  2/3  4/3 ]
///          [ 0  2 −1 −2  1 ]        [    0    0    0    1 ]
///
/// The 2-D algorithm F(2×2, 4×4) applies each along rows and then columns. Gradients use the
/// transposes: a 2×2 output gradient goes to the 5×5 product domain by A (= (Aᵀ)ᵀ) on both
/// sides, and the product-domain kernel gradient back to 4×4 by Gᵀ on both sides.
///
/// Each function transforms `V` lanes (channels) at once: 5 (or 4 or 2) inputs `stride` values
/// apart in `s`, written `outputStride` apart in `d`.
enum WinogradF2x4 {
    /// The 5 values Bᵀ·d of an input row of 5.
    @inline(__always)
    static func input<V: WinogradLanes>(
        _ s: UnsafePointer<Float>, _ stride: Int, _ d: UnsafeMutablePointer<Float>, _ outputStride: Int, _: V.Type
    ) {
        let d0 = V(loading: s), d1 = V(loading: s + stride), d2 = V(loading: s + 2 * stride)
        let d3 = V(loading: s + 3 * stride), d4 = V(loading: s + 4 * stride)
        (2 * (d0 - d2) + (d3 - d1)).store(to: d)
        (d3 - 2 * d1 - d2).store(to: d + outputStride)
        (d3 + 2 * d1 - 3 * d2).store(to: d + 2 * outputStride)
        (d3 - d1).store(to: d + 3 * outputStride)
        (2 * (d1 - d3) + (d4 - d2)).store(to: d + 4 * outputStride)
    }

    /// The 5 values G·g of a kernel row of 4.
    @inline(__always)
    static func kernel<V: WinogradLanes>(
        _ s: UnsafePointer<Float>, _ stride: Int, _ d: UnsafeMutablePointer<Float>, _ outputStride: Int, _: V.Type
    ) {
        let g0 = V(loading: s), g1 = V(loading: s + stride), g2 = V(loading: s + 2 * stride)
        let g3 = V(loading: s + 3 * stride)
        (0.5 * g0).store(to: d)
        (-0.5 * ((g0 + g1) + (g2 + g3))).store(to: d + outputStride)
        ((1 / 6 as Float) * ((g1 - g0) + (g3 - g2))).store(to: d + 2 * outputStride)
        ((1 / 6 as Float) * (g0 + 2 * g1 + 4 * g2 + 8 * g3)).store(to: d + 3 * outputStride)
        g3.store(to: d + 4 * outputStride)
    }

    /// The 2 values Aᵀ·m of a product row of 5.
    @inline(__always)
    static func output<V: WinogradLanes>(
        _ s: UnsafePointer<Float>, _ stride: Int, _ d: UnsafeMutablePointer<Float>, _ outputStride: Int, _: V.Type
    ) {
        let m0 = V(loading: s), m1 = V(loading: s + stride), m2 = V(loading: s + 2 * stride)
        let m3 = V(loading: s + 3 * stride), m4 = V(loading: s + 4 * stride)
        (m0 + (m1 + m2) + m3).store(to: d)
        ((m1 - m2) + 2 * m3 + m4).store(to: d + outputStride)
    }

    /// The 5 values A·dy of an output-gradient row of 2 (the transpose of `output`).
    @inline(__always)
    static func outputGradient<V: WinogradLanes>(
        _ s: UnsafePointer<Float>, _ stride: Int, _ d: UnsafeMutablePointer<Float>, _ outputStride: Int, _: V.Type
    ) {
        let y0 = V(loading: s), y1 = V(loading: s + stride)
        y0.store(to: d)
        (y0 + y1).store(to: d + outputStride)
        (y0 - y1).store(to: d + 2 * outputStride)
        (y0 + 2 * y1).store(to: d + 3 * outputStride)
        y1.store(to: d + 4 * outputStride)
    }

    /// The 4 values Gᵀ·u of a product-domain kernel-gradient row of 5 (the transpose of `kernel`).
    @inline(__always)
    static func kernelGradient<V: WinogradLanes>(
        _ s: UnsafePointer<Float>, _ stride: Int, _ d: UnsafeMutablePointer<Float>, _ outputStride: Int, _: V.Type
    ) {
        let u0 = V(loading: s), u1 = V(loading: s + stride), u2 = V(loading: s + 2 * stride)
        let u3 = V(loading: s + 3 * stride), u4 = V(loading: s + 4 * stride)
        let sixth: Float = 1 / 6
        let half = -0.5 * u1
        (0.5 * u0 + half + sixth * (u3 - u2)).store(to: d)
        (half + sixth * (u2 + 2 * u3)).store(to: d + outputStride)
        (half + sixth * (4 * u3 - u2)).store(to: d + 2 * outputStride)
        (half + sixth * (u2 + 8 * u3) + u4).store(to: d + 3 * outputStride)
    }
}

/// Float lanes the Winograd transforms run on: one channel (`Float`) or eight (`SIMD8<Float>`).
protocol WinogradLanes {
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Float, b: Self) -> Self
    init(loading p: UnsafePointer<Float>)
    func store(to p: UnsafeMutablePointer<Float>)
}

extension Float: WinogradLanes {
    @inline(__always) init(loading p: UnsafePointer<Float>) { self = p.pointee }
    @inline(__always) func store(to p: UnsafeMutablePointer<Float>) { p.pointee = self }
}

extension SIMD8: WinogradLanes where Scalar == Float {
    @inline(__always) init(loading p: UnsafePointer<Float>) {
        self = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) func store(to p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: self, as: SIMD8<Float>.self)
    }
}

/// A 1-D transform of `WinogradF2x4`, by the number of values it reads and writes.
enum WinogradStep {
    case input, kernel, output, outputGradient, kernelGradient

    /// (values read, values written).
    var sizes: (in: Int, out: Int) {
        switch self {
        case .input: (5, 5)
        case .kernel: (4, 5)
        case .output: (5, 2)
        case .outputGradient: (2, 5)
        case .kernelGradient: (5, 4)
        }
    }

    @inline(__always)
    func apply<V: WinogradLanes>(
        _ s: UnsafePointer<Float>, _ stride: Int, _ d: UnsafeMutablePointer<Float>, _ outputStride: Int, _ v: V.Type
    ) {
        switch self {
        case .input: WinogradF2x4.input(s, stride, d, outputStride, v)
        case .kernel: WinogradF2x4.kernel(s, stride, d, outputStride, v)
        case .output: WinogradF2x4.output(s, stride, d, outputStride, v)
        case .outputGradient: WinogradF2x4.outputGradient(s, stride, d, outputStride, v)
        case .kernelGradient: WinogradF2x4.kernelGradient(s, stride, d, outputStride, v)
        }
    }

    /// The 2-D transform T·X·Tᵀ of `channels` independent matrices X (element (a, b) of channel
    /// c at `source[a·rows + b·columns + c]`), written to element (p, q) at
    /// `destination[p·outputRows + q·outputColumns + c]`. `scratch` holds 8 × 25 values.
    @inline(__always)
    func apply2D(
        channels: Int, _ source: UnsafePointer<Float>, rows: Int, columns: Int,
        _ destination: UnsafeMutablePointer<Float>, outputRows: Int, outputColumns: Int,
        scratch: UnsafeMutablePointer<Float>
    ) {
        func lanes<V: WinogradLanes>(_ c0: Int, _ v: V.Type) {
            let (n, m) = sizes
            for a in 0..<n { apply(source + a * rows + c0, columns, scratch + a * m * 8, 8, v) }
            for q in 0..<m { apply(scratch + q * 8, m * 8, destination + q * outputColumns + c0, outputRows, v) }
        }
        var c0 = 0
        while c0 + 8 <= channels {
            lanes(c0, SIMD8<Float>.self)
            c0 += 8
        }
        while c0 < channels {
            lanes(c0, Float.self)
            c0 += 1
        }
    }
}
