/// HistFactory/pyhf interpolation code 4p for an additive shape variation Δ(α) of one bin with
/// nominal n and ±1σ yields `up`, `down`: linear outside |α| > 1 (α·(up − n) above, α·(n − down)
/// below), and α·S + α²·A·(15 − 10α² + 3α⁴) inside, with S = (up − down)/2 and
/// A = (up + down − 2n)/16. This is pyhf's `histosys` interpolation.
public struct Code4p: Sendable, Equatable {
    let deltaUp: Double
    let deltaDown: Double
    let s: Double
    let a: Double

    public init(nominal: Double, up: Double, down: Double) {
        deltaUp = up - nominal
        deltaDown = nominal - down
        s = 0.5 * (deltaUp + deltaDown)
        a = 0.0625 * (deltaUp - deltaDown)
    }

    /// Δ(α), dΔ/dα, d²Δ/dα².
    @inline(__always)
    public func evaluate(_ alpha: Double) -> (value: Double, first: Double, second: Double) {
        if alpha > 1 { return (alpha * deltaUp, deltaUp, 0) }
        if alpha < -1 { return (alpha * deltaDown, deltaDown, 0) }
        let a2 = alpha * alpha
        let value = alpha * s + a2 * a * (15 + a2 * (-10 + 3 * a2))
        let first = s + a * alpha * (30 + a2 * (-40 + 18 * a2))
        let second = a * (30 + a2 * (-120 + 90 * a2))
        return (value, first, second)
    }
}
