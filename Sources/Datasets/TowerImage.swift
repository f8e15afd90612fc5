/// Building one tower image (paper §4): rotate every tower in φ so that φ0 = 0, reflect η so
/// that the leading jet has η > 0, bin E_T, pad φ periodically.
public enum TowerImage {
    /// Wraps an angle to [−π, π).
    @inline(__always)
    public static func wrap(_ phi: Float) -> Float {
        var x = phi
        let twoPi = 2 * Float.pi
        if x >= .pi || x < -.pi { x -= twoPi * (x / twoPi + 0.5).rounded(.down) }
        if x >= .pi { x -= twoPi } // guards against rounding at the edges
        if x < -.pi { x += twoPi }
        return x
    }

    /// Fills `image` (height × width of `geometry`, row-major η × φ, zeroed by this call) from
    /// the towers, rotated by `phi0` and reflected in η when `reflect` is true.
    public static func fill(
        _ image: UnsafeMutableBufferPointer<Float>, geometry: ImageGeometry,
        et: UnsafeBufferPointer<Float>, eta: UnsafeBufferPointer<Float>,
        phi: UnsafeBufferPointer<Float>, phi0: Float, reflect: Bool
    ) {
        precondition(image.count == geometry.pixels, "image buffer of \(image.count) for \(geometry.pixels) pixels")
        let width = geometry.width, pad = geometry.padding, nPhi = geometry.phiBins
        image.update(repeating: 0)
        let sign: Float = reflect ? -1 : 1
        for t in 0..<et.count {
            guard let (i, j) = geometry.bin(eta: sign * eta[t], phi: wrap(phi[t] - phi0)) else { continue }
            image[i * width + pad + j] += et[t]
        }
        // Periodic padding: the last `pad` φ columns again in front, the first `pad` behind.
        for i in 0..<geometry.height {
            let row = i * width
            for k in 0..<pad {
                image[row + k] = image[row + pad + nPhi - pad + k]
                image[row + pad + nPhi + k] = image[row + pad + k]
            }
        }
    }
}
