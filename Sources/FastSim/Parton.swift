import Foundation

/// A massless parton (or hadronic τ) before fragmentation: p_T, η, φ.
struct Parton {
    var pt: Double
    var eta: Double
    var phi: Double
    var px: Double { pt * cos(phi) }
    var py: Double { pt * sin(phi) }

    init(pt: Double, eta: Double, phi: Double) {
        self.pt = pt
        self.eta = eta
        self.phi = phi
    }
    init(px: Double, py: Double, eta: Double) {
        pt = (px * px + py * py).squareRoot()
        phi = atan2(py, px)
        self.eta = eta
    }
}
