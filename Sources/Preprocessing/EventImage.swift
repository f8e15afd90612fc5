import Datasets
import Events

/// Builds the tower images of selected events (paper §4): rotated so that φ0 = φ_j1 (PJ) or
/// φ_met (Pmet), reflected so that η_j1 > 0, binned, padded in φ. Reuses its buffers.
public struct EventImager {
    private var et: [Float] = [], eta: [Float] = [], phi: [Float] = []
    private var image: [Float] = []

    public init() {}

    /// Appends the image of every variant of `event` (which has at least one jet) to `rows`.
    public mutating func append(_ event: Event, variants: [ImageVariant], to rows: inout [ImageVariant: [Float]]) {
        et.removeAll(keepingCapacity: true)
        eta.removeAll(keepingCapacity: true)
        phi.removeAll(keepingCapacity: true)
        for t in event.towers {
            et.append(t.et)
            eta.append(t.eta)
            phi.append(t.phi)
        }
        let leading = event.jets[0]
        for variant in variants {
            let phi0 = variant.orientation == .leadingJet ? leading.phi : event.met.phi
            if image.count != variant.geometry.pixels { image = [Float](repeating: 0, count: variant.geometry.pixels) }
            image.withUnsafeMutableBufferPointer { out in
                et.withUnsafeBufferPointer { e in
                    eta.withUnsafeBufferPointer { h in
                        phi.withUnsafeBufferPointer { p in
                            TowerImage.fill(
                                out, geometry: variant.geometry, et: e, eta: h, phi: p, phi0: phi0,
                                reflect: leading.eta < 0)
                        }
                    }
                }
            }
            rows[variant, default: []] += image
        }
    }
}
