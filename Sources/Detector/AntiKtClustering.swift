import Foundation
import Events

/// The state of one anti-kt clustering (used by `AntiKt`), as a value type so that its hot
/// loops run without dynamic exclusivity checks.
///
/// Pseudojets live in slots 0..<active; a removed slot is refilled by the last one and a merged
/// pseudojet takes the lower slot of the pair, as in FastJet's N2Plain strategy, and ties are
/// broken the same way (lowest slot first). Each pseudojet keeps its geometric nearest neighbour
/// within R; neighbour searches visit only the 3 × 3 tiles (Δy ≥ R, Δφ ≥ R) around it. Tile
/// membership is a doubly linked list over slots. The smallest distance is kept in a tournament
/// tree over the slots (ties to the lower slot, like a left-to-right scan), so each step costs
/// O(log N) instead of a scan of every pseudojet.
struct AntiKtClustering {
    /// One active pseudojet: four-momentum, FastJet rapidity and azimuth, f = 1/kt², its nearest
    /// neighbour (slot, −1 if none within R, −2 to be recomputed), the ΔR² to it, and its tile.
    struct Brief {
        var px, py, pz, e, rap, phi, f, nnDist: Double
        var nn: Int
        var tile: Int
    }

    static let stale = -2
    let r2: Double
    let ptMin: Double
    let rapTiles: Int, phiTiles: Int
    let rapWidth: Double, phiWidth: Double
    var b: [Brief]
    /// min(f_i, f_nn)·ΔR² or f_i·R²: the anti-kt distance × R² (+∞ for empty slots).
    var di: [Double]
    /// Tournament tree: node k holds the slot with the smallest di below it; leaves at `leaves + slot`.
    var winner: [Int32]
    let leaves: Int
    var tileHead: [Int], next: [Int], prev: [Int]
    /// The 9 tiles around each tile (−1 = none, at the rapidity edges).
    var neighbourhoods: [Int]
    var recompute: [Int] = []
    var active: Int
    var jets: [Jet] = []

    init(px: [Double], py: [Double], pz: [Double], e: [Double], radius: Double, ptMin: Double) {
        let n = px.count
        r2 = radius * radius
        self.ptMin = ptMin
        rapTiles = max(3, Int(10 / radius)); phiTiles = max(3, Int(2 * Double.pi / radius))
        rapWidth = 10 / Double(rapTiles); phiWidth = 2 * Double.pi / Double(phiTiles)
        tileHead = [Int](repeating: -1, count: rapTiles * phiTiles)
        next = [Int](repeating: -1, count: n); prev = [Int](repeating: -1, count: n)
        neighbourhoods = [Int](repeating: -1, count: 9 * rapTiles * phiTiles)
        for ir in 0..<rapTiles {
            for ip in 0..<phiTiles {
                var m = 9 * (ir * phiTiles + ip)
                for dr in -1...1 where ir + dr >= 0 && ir + dr < rapTiles {
                    for dp in -1...1 { neighbourhoods[m] = (ir + dr) * phiTiles + (ip + dp + phiTiles) % phiTiles; m += 1 }
                }
            }
        }
        b = [Brief](repeating: Brief(px: 0, py: 0, pz: 0, e: 0, rap: 0, phi: 0, f: 0, nnDist: 0, nn: -1, tile: 0), count: n)
        var size = 1
        while size < max(n, 1) { size <<= 1 }
        leaves = size
        di = [Double](repeating: .infinity, count: size)
        winner = [Int32](repeating: 0, count: 2 * size)
        for slot in 0..<size { winner[size + slot] = Int32(slot) }
        active = n
        for i in 0..<n {
            set(i, px[i], py[i], pz[i], e[i])
            b[i].tile = tileOf(b[i].rap, b[i].phi)
            addToTile(i)
        }
        for i in 0..<n { findNN(i) }
    }

    /// Sets slot i's distance and replays its matches up the tournament tree.
    @inline(__always) mutating func setDi(_ i: Int, _ value: Double) {
        di[i] = value
        var node = (leaves + i) >> 1
        while node >= 1 {
            let l = Int(winner[2 * node]), r = Int(winner[2 * node + 1])
            winner[node] = Int32(di[l] <= di[r] ? l : r)
            node >>= 1
        }
    }

    /// Runs the clustering; returns the jets above `ptMin`, by decreasing p_T.
    mutating func run() -> [Jet] {
        while active > 0 {
            let iMin = Int(winner[1])
            let jMin = b[iMin].nn
            recompute.removeAll(keepingCapacity: true)
            if jMin < 0 {
                let p = b[iMin]
                if (p.px * p.px + p.py * p.py).squareRoot() >= ptMin { jets.append(AntiKt.jet(p.px, p.py, p.pz, p.e)) }
                markStale(pointingTo: iMin)
                removeFromTile(iMin)
                moveLast(into: iMin)
                for k in recompute { findNN(k) }
                continue
            }
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
            let base = 9 * b[a].tile
            for m in base..<(base + 9) {
                let t = neighbourhoods[m]
                if t < 0 { break }
                var k = tileHead[t]
                while k >= 0 {
                    if k != a {
                        let d = dist(k, a)
                        if d < best || (d == best && bestJ >= 0 && k < bestJ) { best = d; bestJ = k }
                        if b[k].nn != Self.stale && d < b[k].nnDist { b[k].nn = a; b[k].nnDist = d; updateDi(k) }
                    }
                    k = next[k]
                }
            }
            b[a].nn = bestJ; b[a].nnDist = best; updateDi(a)
            for k in recompute { findNN(k) }
        }
        jets.sort { $0.pt > $1.pt }
        return jets
    }

    @inline(__always) func tileOf(_ rap: Double, _ phi: Double) -> Int {
        let ir = min(rapTiles - 1, max(0, Int(((rap + 5) / rapWidth).rounded(.down))))
        let ip = min(phiTiles - 1, max(0, Int(phi / phiWidth)))
        return ir * phiTiles + ip
    }

    @inline(__always) mutating func set(_ i: Int, _ x: Double, _ y: Double, _ z: Double, _ t: Double) {
        let (rp, ph, kt2) = AntiKt.rapPhi(x, y, z, t)
        b[i].px = x; b[i].py = y; b[i].pz = z; b[i].e = t
        b[i].rap = rp; b[i].phi = ph; b[i].f = kt2 < 1e-300 ? 1e300 : 1 / kt2
    }

    @inline(__always) func dist(_ i: Int, _ j: Int) -> Double {
        var dphi = abs(b[i].phi - b[j].phi)
        if dphi > .pi { dphi = 2 * .pi - dphi }
        let dy = b[i].rap - b[j].rap
        return dphi * dphi + dy * dy
    }

    @inline(__always) mutating func updateDi(_ i: Int) {
        let j = b[i].nn
        setDi(i, j < 0 ? b[i].f * r2 : min(b[i].f, b[j].f) * b[i].nnDist)
    }

    /// Nearest neighbour within R, lowest slot among equal distances.
    mutating func findNN(_ i: Int) {
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

    mutating func addToTile(_ slot: Int) {
        let t = b[slot].tile
        prev[slot] = -1; next[slot] = tileHead[t]
        if tileHead[t] >= 0 { prev[tileHead[t]] = slot }
        tileHead[t] = slot
    }

    mutating func removeFromTile(_ slot: Int) {
        if prev[slot] >= 0 { next[prev[slot]] = next[slot] } else { tileHead[b[slot].tile] = next[slot] }
        if next[slot] >= 0 { prev[next[slot]] = prev[slot] }
    }

    /// Marks for recomputation the pseudojets whose neighbour is `target` (all lie near it).
    mutating func markStale(pointingTo target: Int) {
        let base = 9 * b[target].tile
        for m in base..<(base + 9) {
            let t = neighbourhoods[m]
            if t < 0 { break }
            var k = tileHead[t]
            while k >= 0 {
                if b[k].nn == target { b[k].nn = Self.stale; recompute.append(k) }
                k = next[k]
            }
        }
    }

    /// Removes `slot` (already out of its tile) by moving the last active pseudojet into it.
    mutating func moveLast(into slot: Int) {
        let last = active - 1
        if slot != last {
            let base = 9 * b[last].tile
            for m in base..<(base + 9) {
                let t = neighbourhoods[m]
                if t < 0 { break }
                var k = tileHead[t]
                while k >= 0 {
                    if b[k].nn == last { b[k].nn = slot }
                    k = next[k]
                }
            }
            // The slot takes the last one's place in its tile list.
            prev[slot] = prev[last]; next[slot] = next[last]
            if prev[last] >= 0 { next[prev[last]] = slot } else { tileHead[b[last].tile] = slot }
            if next[last] >= 0 { prev[next[last]] = slot }
            b[slot] = b[last]; setDi(slot, di[last])
            for k in recompute.indices where recompute[k] == last { recompute[k] = slot }
        }
        setDi(last, .infinity)
        active -= 1
    }
}
