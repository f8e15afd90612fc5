import Foundation
import Events

/// Anti-kt clustering (Cacciari, Salam, Soyez 2008) with the E-scheme, distances in
/// rapidity–azimuth exactly as FastJet computes them.
///
/// The algorithm keeps, for every active pseudojet, its geometric nearest neighbour within R
/// (the anti-kt minimum d_ij is always between a pseudojet and its geometric nearest neighbour),
/// found on a rapidity–azimuth tiling, so a clustering of N inputs costs at most O(N²) time
/// (a linear minimum search per step) and O(N) memory.
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
    /// geometric nearest neighbour within R (slot index, −1 if none, −2 to be recomputed),
    /// the squared distance to it, and its tile.
    struct Brief {
        var px, py, pz, e, rap, phi, f, nnDist: Double
        var nn: Int
        var tile: Int
    }

    /// Clusters four-vectors given as columns.
    ///
    /// Pseudojets live in slots 0..<active; a removed slot is refilled by the last one, and the
    /// merged pseudojet takes the lower slot, as in FastJet's N2Plain strategy. Ties are broken
    /// the same way (lowest slot first). Nearest-neighbour searches only visit the 3 × 3 tiles
    /// (Δy ≥ R, Δφ ≥ R) around a pseudojet, so a clustering costs O(N) per step for the
    /// minimum search plus O(local density) for the updates.
    public func cluster(px: inout [Double], py: inout [Double], pz: inout [Double], e: inout [Double]) -> [Jet] {
        let n = px.count
        if n == 0 { return [] }
        let r2 = radius * radius
        let stale = -2
        // Tiling: rapidity tiles of width ≥ R over [−5, 5] (the outer ones open-ended), φ tiles of width ≥ R.
        let rapTiles = max(3, Int(10 / radius)), phiTiles = max(3, Int(2 * Double.pi / radius))
        let rapWidth = 10 / Double(rapTiles), phiWidth = 2 * Double.pi / Double(phiTiles)
        // Tile membership as doubly linked lists over slots; 9 neighbour tiles per tile (−1 = none).
        var tileHead = [Int](repeating: -1, count: rapTiles * phiTiles)
        var next = [Int](repeating: -1, count: n), prev = [Int](repeating: -1, count: n)
        var neighbourhoods = [Int](repeating: -1, count: 9 * rapTiles * phiTiles)
        for ir in 0..<rapTiles {
            for ip in 0..<phiTiles {
                var m = 9 * (ir * phiTiles + ip)
                for dr in -1...1 where ir + dr >= 0 && ir + dr < rapTiles {
                    for dp in -1...1 { neighbourhoods[m] = (ir + dr) * phiTiles + (ip + dp + phiTiles) % phiTiles; m += 1 }
                }
            }
        }
        @inline(__always) func tileOf(_ rap: Double, _ phi: Double) -> Int {
            let ir = min(rapTiles - 1, max(0, Int(((rap + 5) / rapWidth).rounded(.down))))
            let ip = min(phiTiles - 1, max(0, Int(phi / phiWidth)))
            return ir * phiTiles + ip
        }

        var jets: [Jet] = []
        var b = [Brief](repeating: Brief(px: 0, py: 0, pz: 0, e: 0, rap: 0, phi: 0, f: 0, nnDist: 0, nn: -1, tile: 0), count: n)
        var di = [Double](repeating: 0, count: n)   // min(f_i, f_nn)·ΔR² or f_i·R²: the anti-kt distance × R²
        var recompute: [Int] = []
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
        /// Nearest neighbour within R, lowest slot among equal distances.
        func findNN(_ i: Int) {
            var best = r2, bestJ = -1
            let base = 9 * b[i].tile
            for m in base..<(base + 9) {
                let t = neighbourhoods[m]
                if t < 0 { break }
                var j = tileHead[t]
                while j >= 0 {
                    if j != i {
                        let d = dist(i, j)
                        if d < best || (d == best && bestJ >= 0 && j < bestJ) { best = d; bestJ = j }
                    }
                    j = next[j]
                }
            }
            b[i].nn = bestJ; b[i].nnDist = best
            updateDi(i)
        }
        func addToTile(_ slot: Int) {
            let t = b[slot].tile
            prev[slot] = -1; next[slot] = tileHead[t]
            if tileHead[t] >= 0 { prev[tileHead[t]] = slot }
            tileHead[t] = slot
        }
        func removeFromTile(_ slot: Int) {
            if prev[slot] >= 0 { next[prev[slot]] = next[slot] } else { tileHead[b[slot].tile] = next[slot] }
            if next[slot] >= 0 { prev[next[slot]] = prev[slot] }
        }
        /// Calls `body` for every slot in the tiles around tile `tile`.
        @inline(__always) func forNeighbours(ofTile tile: Int, _ body: (Int) -> Void) {
            let base = 9 * tile
            for m in base..<(base + 9) {
                let t = neighbourhoods[m]
                if t < 0 { break }
                var k = tileHead[t]
                while k >= 0 { let following = next[k]; body(k); k = following }
            }
        }
        /// Marks for recomputation the pseudojets whose neighbour is `target` (all lie near it).
        func markStale(pointingTo target: Int) {
            forNeighbours(ofTile: b[target].tile) { k in
                if b[k].nn == target { b[k].nn = stale; recompute.append(k) }
            }
        }
        /// Removes `slot` (already out of its tile) by moving the last active pseudojet into it.
        func moveLast(into slot: Int) {
            let last = active - 1
            if slot != last {
                forNeighbours(ofTile: b[last].tile) { k in if b[k].nn == last { b[k].nn = slot } }
                // The slot takes the last one's place in its tile list.
                prev[slot] = prev[last]; next[slot] = next[last]
                if prev[last] >= 0 { next[prev[last]] = slot } else { tileHead[b[last].tile] = slot }
                if next[last] >= 0 { prev[next[last]] = slot }
                b[slot] = b[last]; di[slot] = di[last]
                for (k, s) in recompute.enumerated() where s == last { recompute[k] = slot }
            }
            active -= 1
        }

        for i in 0..<n {
            set(i, px[i], py[i], pz[i], e[i])
            b[i].tile = tileOf(b[i].rap, b[i].phi)
            addToTile(i)
        }
        for i in 0..<n { findNN(i) }
        while active > 0 {
            var iMin = 0, dMin = di[0]
            for i in 1..<active where di[i] < dMin { dMin = di[i]; iMin = i }
            let jMin = b[iMin].nn
            recompute.removeAll(keepingCapacity: true)
            if jMin < 0 {
                let p = b[iMin]
                if (p.px * p.px + p.py * p.py).squareRoot() >= ptMin { jets.append(Self.jet(p.px, p.py, p.pz, p.e)) }
                markStale(pointingTo: iMin)
                removeFromTile(iMin)
                moveLast(into: iMin)
                for k in recompute { findNN(k) }
                continue
            }
            // Merge the pair into the lower slot a; the upper slot c is refilled by the last one.
            let a = min(iMin, jMin), c = max(iMin, jMin)
            markStale(pointingTo: a)
            markStale(pointingTo: c)
            recompute.removeAll { $0 == a || $0 == c }   // a is recomputed below, c disappears
            removeFromTile(a)
            removeFromTile(c)
            set(a, b[a].px + b[c].px, b[a].py + b[c].py, b[a].pz + b[c].pz, b[a].e + b[c].e)
            moveLast(into: c)
            b[a].tile = tileOf(b[a].rap, b[a].phi)
            addToTile(a)
            var best = r2, bestJ = -1
            forNeighbours(ofTile: b[a].tile) { k in
                guard k != a else { return }
                let d = dist(k, a)
                if d < best || (d == best && bestJ >= 0 && k < bestJ) { best = d; bestJ = k }
                if b[k].nn != stale && d < b[k].nnDist { b[k].nn = a; b[k].nnDist = d; updateDi(k) }
            }
            b[a].nn = bestJ; b[a].nnDist = best; updateDi(a)
            for k in recompute { findNN(k) }
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
