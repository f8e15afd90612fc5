import Foundation
import Events

/// Anti-kt clustering (Cacciari, Salam, Soyez 2008) with the E-scheme, distances in
/// rapidity–azimuth exactly as FastJet computes them.
///
/// The algorithm keeps, for every active pseudojet, its geometric nearest neighbour within R
/// (the anti-kt minimum d_ij is always between a pseudojet and its geometric nearest neighbour),
/// so a clustering of N inputs costs O(N²) time and O(N) memory.
public struct AntiKt: Sendable {
    /// Jet radius R.
    public var radius: Double
    /// Minimum p_T of the returned jets (GeV).
    public var ptMin: Double

    public init(radius: Double = 0.5, ptMin: Double = 20) {
        self.radius = radius; self.ptMin = ptMin
    }

    /// Clusters towers (massless four-vectors at the cell centres) into jets above `ptMin`,
    /// ordered by decreasing p_T.
    public func cluster(_ towers: [Tower]) -> [Jet] {
        var px = [Double](), py = [Double](), pz = [Double](), e = [Double]()
        px.reserveCapacity(towers.count); py.reserveCapacity(towers.count)
        pz.reserveCapacity(towers.count); e.reserveCapacity(towers.count)
        for t in towers where t.et > 0 {
            let et = Double(t.et), eta = Double(t.eta), phi = Double(t.phi)
            px.append(et * cos(phi)); py.append(et * sin(phi))
            pz.append(et * sinh(eta)); e.append(et * cosh(eta))
        }
        return cluster(px: &px, py: &py, pz: &pz, e: &e)
    }

    /// One active pseudojet: four-momentum, FastJet rapidity and azimuth, f = 1/kt², its
    /// geometric nearest neighbour within R (slot index, −1 if none) and the distance to it.
    struct Brief {
        var px, py, pz, e, rap, phi, f, nnDist: Double
        var nn: Int
    }

    /// Clusters four-vectors given as columns.
    public func cluster(px: inout [Double], py: inout [Double], pz: inout [Double], e: inout [Double]) -> [Jet] {
        let n = px.count
        if n == 0 { return [] }
        let r2 = radius * radius
        var jets: [Jet] = []
        var briefs = [Brief](repeating: Brief(px: 0, py: 0, pz: 0, e: 0, rap: 0, phi: 0, f: 0, nnDist: 0, nn: -1), count: n)
        var dis = [Double](repeating: 0, count: n)   // min(f_i, f_nn)·ΔR² or f_i·R², the anti-kt distance × R²
        briefs.withUnsafeMutableBufferPointer { b in
            dis.withUnsafeMutableBufferPointer { di in
                let stale = -2                       // neighbour to be recomputed
                var active = n
                @inline(__always) func set(_ i: Int, _ x: Double, _ y: Double, _ z: Double, _ t: Double) {
                    let (rp, ph, kt2) = Self.rapPhi(x, y, z, t)
                    b[i].px = x; b[i].py = y; b[i].pz = z; b[i].e = t
                    b[i].rap = rp; b[i].phi = ph; b[i].f = kt2 < 1e-300 ? 1e300 : 1 / kt2
                }
                @inline(__always) func dist(_ i: Int, _ j: Int) -> Double {
                    var dphi = abs(b[i].phi - b[j].phi)
                    if dphi > .pi { dphi = 2 * .pi - dphi }
                    let dy = b[i].rap - b[j].rap
                    return dphi * dphi + dy * dy
                }
                @inline(__always) func updateDi(_ i: Int) {
                    let j = b[i].nn
                    di[i] = j < 0 ? b[i].f * r2 : min(b[i].f, b[j].f) * b[i].nnDist
                }
                func findNN(_ i: Int) {
                    var best = r2, bestJ = -1
                    for j in 0..<active where j != i {
                        let d = dist(i, j)
                        if d < best { best = d; bestJ = j }
                    }
                    b[i].nn = bestJ; b[i].nnDist = best
                    updateDi(i)
                }
                /// Removes `slot` by moving the last active pseudojet into it.
                func moveLast(into slot: Int) {
                    let last = active - 1
                    if slot != last {
                        b[slot] = b[last]; di[slot] = di[last]
                        for k in 0..<last where b[k].nn == last { b[k].nn = slot }
                    }
                    active -= 1
                }

                for i in 0..<n { set(i, px[i], py[i], pz[i], e[i]) }
                for i in 0..<n { findNN(i) }
                while active > 0 {
                    var iMin = 0, dMin = di[0]
                    for i in 1..<active where di[i] < dMin { dMin = di[i]; iMin = i }
                    let jMin = b[iMin].nn
                    if jMin < 0 {
                        let p = b[iMin]
                        if (p.px * p.px + p.py * p.py).squareRoot() >= ptMin { jets.append(Self.jet(p.px, p.py, p.pz, p.e)) }
                        for k in 0..<active where b[k].nn == iMin { b[k].nn = stale }
                        moveLast(into: iMin)
                        for k in 0..<active where b[k].nn == stale { findNN(k) }
                        continue
                    }
                    // Merge the pair into the lower slot a; the upper slot is refilled by the last one.
                    let a = min(iMin, jMin), c = max(iMin, jMin)
                    for k in 0..<active where b[k].nn == a || b[k].nn == c { b[k].nn = stale }
                    set(a, b[a].px + b[c].px, b[a].py + b[c].py, b[a].pz + b[c].pz, b[a].e + b[c].e)
                    moveLast(into: c)
                    var best = r2, bestJ = -1
                    for k in 0..<active where k != a {
                        let d = dist(k, a)
                        if d < best { best = d; bestJ = k }
                        if b[k].nn != stale && d < b[k].nnDist { b[k].nn = a; b[k].nnDist = d; updateDi(k) }
                    }
                    b[a].nn = bestJ; b[a].nnDist = best; updateDi(a)
                    for k in 0..<active where b[k].nn == stale { findNN(k) }
                }
            }
        }
        jets.sort { $0.pt > $1.pt }
        return jets
    }

    /// FastJet's rapidity and azimuth ([0, 2π)) of a four-vector, and its kt².
    @inline(__always)
    static func rapPhi(_ px: Double, _ py: Double, _ pz: Double, _ e: Double) -> (Double, Double, Double) {
        let kt2 = px * px + py * py
        var ph = kt2 == 0 ? 0 : atan2(py, px)
        if ph < 0 { ph += 2 * .pi }
        if ph >= 2 * .pi { ph -= 2 * .pi }
        let m2 = (e + pz) * (e - pz) - kt2
        let ePlus = e + abs(pz)
        var y = 0.5 * log((kt2 + max(0, m2)) / (ePlus * ePlus))
        if pz > 0 { y = -y }
        return (y, ph, kt2)
    }

    static func jet(_ px: Double, _ py: Double, _ pz: Double, _ e: Double) -> Jet {
        let pt = (px * px + py * py).squareRoot()
        let m2 = e * e - px * px - py * py - pz * pz
        return Jet(pt: Float(pt), eta: Float(Kinematics.pseudorapidity(px: px, py: py, pz: pz)),
                   phi: Float(Kinematics.wrapPhi(atan2(py, px))), mass: Float(max(0, m2).squareRoot()))
    }
}
