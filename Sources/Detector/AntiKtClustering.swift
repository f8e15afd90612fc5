import Foundation
import Events

/// The state of one anti-kt clustering (used by `AntiKt`). It owns raw buffers, allocated once
/// per clustering and freed when it ends, so that its hot loops run without bounds,
/// uniqueness or exclusivity checks.
///
/// Pseudojets live in slots 0..<active; a removed slot is refilled by the last one and a merged
/// pseudojet takes the lower slot of the pair, as in FastJet's N2Plain strategy, and ties are
/// broken the same way (lowest slot first). Each pseudojet keeps its geometric nearest neighbour
/// within R; neighbour searches visit only the 3 × 3 tiles (Δy ≥ R, Δφ ≥ R) around it. Tile
/// membership is a doubly linked list over slots. The smallest distance is kept in a tournament
/// tree over the slots (ties to the lower slot, like a left-to-right scan), so each step costs
/// O(log N) instead of a scan of every pseudojet.
struct AntiKtClustering: ~Copyable {
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
    let tiling: Tiling
    /// `tiling.neighbourhoods`, kept alive by `tiling`.
    let hood: UnsafeMutablePointer<Int>
    let b: UnsafeMutablePointer<Brief>
    /// min(f_i, f_nn)·ΔR² or f_i·R²: the anti-kt distance × R² (+∞ for empty slots).
    let di: UnsafeMutablePointer<Double>
    /// Tournament tree: node k holds the slot with the smallest di below it; leaves at `leaves + slot`.
    let winner: UnsafeMutablePointer<Int32>
    let leaves: Int
    let tileHead: UnsafeMutablePointer<Int>, next: UnsafeMutablePointer<Int>, prev: UnsafeMutablePointer<Int>
    /// Slots whose neighbour must be recomputed in the current step (`recomputeCount` of them).
    let recompute: UnsafeMutablePointer<Int>
    var recomputeCount = 0
    var active: Int
    var jets: [Jet] = []

    /// The rapidity–azimuth tiles of a radius, and the 9 tiles around each (−1 = none, at the
    /// rapidity edges).
    /// Immutable after `init` (hence `@unchecked Sendable`).
    final class Tiling: @unchecked Sendable {
        let rapTiles: Int, phiTiles: Int
        let rapWidth: Double, phiWidth: Double
        let neighbourhoods: UnsafeMutablePointer<Int>
        /// The 4 tiles after each (same ring φ + 1, next ring φ − 1, φ, φ + 1; −1 = none): every
        /// pair of neighbouring tiles appears once.
        let forward: UnsafeMutablePointer<Int>

        init(radius: Double) {
            rapTiles = max(3, Int(10 / radius)); phiTiles = max(3, Int(2 * Double.pi / radius))
            rapWidth = 10 / Double(rapTiles); phiWidth = 2 * Double.pi / Double(phiTiles)
            let table = UnsafeMutablePointer<Int>.allocate(capacity: 9 * rapTiles * phiTiles)
            table.initialize(repeating: -1, count: 9 * rapTiles * phiTiles)
            for ir in 0..<rapTiles {
                for ip in 0..<phiTiles {
                    var m = 9 * (ir * phiTiles + ip)
                    for dr in -1...1 where ir + dr >= 0 && ir + dr < rapTiles {
                        for dp in -1...1 { table[m] = (ir + dr) * phiTiles + (ip + dp + phiTiles) % phiTiles; m += 1 }
                    }
                }
            }
            neighbourhoods = table
            forward = .allocate(capacity: 4 * rapTiles * phiTiles)
            forward.initialize(repeating: -1, count: 4 * rapTiles * phiTiles)
            for ir in 0..<rapTiles {
                for ip in 0..<phiTiles {
                    let m = 4 * (ir * phiTiles + ip)
                    forward[m] = ir * phiTiles + (ip + 1) % phiTiles
                    if ir + 1 < rapTiles {
                        for dp in -1...1 { forward[m + 2 + dp] = (ir + 1) * phiTiles + (ip + dp + phiTiles) % phiTiles }
                    }
                }
            }
        }

        deinit { neighbourhoods.deallocate(); forward.deallocate() }

        /// The tiling of R = 0.5, built once.
        static let standard = Tiling(radius: 0.5)
        static func forRadius(_ radius: Double) -> Tiling { radius == 0.5 ? standard : Tiling(radius: radius) }

        @inline(__always) func tileOf(_ rap: Double, _ phi: Double) -> Int {
            let ir = min(rapTiles - 1, max(0, Int(((rap + 5) / rapWidth).rounded(.down))))
            let ip = min(phiTiles - 1, max(0, Int(phi / phiWidth)))
            return ir * phiTiles + ip
        }
    }

    init(px: [Double], py: [Double], pz: [Double], e: [Double], radius: Double, ptMin: Double) {
        let n = px.count
        r2 = radius * radius
        self.ptMin = ptMin
        tiling = Tiling.forRadius(radius)
        hood = tiling.neighbourhoods
        let tileCount = tiling.rapTiles * tiling.phiTiles
        tileHead = .allocate(capacity: tileCount); tileHead.initialize(repeating: -1, count: tileCount)
        next = .allocate(capacity: n); next.initialize(repeating: -1, count: n)
        prev = .allocate(capacity: n); prev.initialize(repeating: -1, count: n)
        recompute = .allocate(capacity: n)
        b = .allocate(capacity: n)
        var size = 1
        while size < max(n, 1) { size <<= 1 }
        leaves = size
        di = .allocate(capacity: size); di.initialize(repeating: .infinity, count: size)
        winner = .allocate(capacity: 2 * size); winner.initialize(repeating: 0, count: 2 * size)
        for slot in 0..<size { winner[size + slot] = Int32(slot) }
        active = n
        for i in 0..<n {
            (b + i).initialize(to: Brief(px: 0, py: 0, pz: 0, e: 0, rap: 0, phi: 0, f: 0, nnDist: r2, nn: -1, tile: 0))
            set(i, px[i], py[i], pz[i], e[i])
            b[i].tile = tiling.tileOf(b[i].rap, b[i].phi)
            addToTile(i)
        }
        // Nearest neighbours: each pair in the same or neighbouring tiles is measured once and
        // offered to both (the result, the lowest slot among the nearest, does not depend on the order).
        for t in 0..<tileCount {
            var i = tileHead[t]
            while i >= 0 {
                var j = next[i]
                while j >= 0 { offer(i, j); j = next[j] }
                for f in (4 * t)..<(4 * t + 4) where tiling.forward[f] >= 0 {
                    var k = tileHead[tiling.forward[f]]
                    while k >= 0 { offer(i, k); k = next[k] }
                }
                i = next[i]
            }
        }
        for i in 0..<n {
            let j = b[i].nn
            di[i] = j < 0 ? b[i].f * r2 : min(b[i].f, b[j].f) * b[i].nnDist
        }
        for node in stride(from: size - 1, through: 1, by: -1) {
            let l = Int(winner[2 * node]), r = Int(winner[2 * node + 1])
            winner[node] = Int32(di[l] <= di[r] ? l : r)
        }
    }

    deinit {
        b.deallocate(); di.deallocate(); winner.deallocate()
        tileHead.deallocate(); next.deallocate(); prev.deallocate(); recompute.deallocate()
    }

    /// Offers i and j to each other as nearest-neighbour candidates.
    @inline(__always) func offer(_ i: Int, _ j: Int) {
        let d = dist(i, j)
        if d < b[i].nnDist || (d == b[i].nnDist && b[i].nn >= 0 && j < b[i].nn) { b[i].nn = j; b[i].nnDist = d }
        if d < b[j].nnDist || (d == b[j].nnDist && b[j].nn >= 0 && i < b[j].nn) { b[j].nn = i; b[j].nnDist = d }
    }

    /// Sets slot i's distance and replays its matches up the tournament tree.
    @inline(__always) func setDi(_ i: Int, _ value: Double) {
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
            recomputeCount = 0
            if jMin < 0 {
                // No pseudojet within R of iMin, so none has it as neighbour: nothing to recompute.
                let p = b[iMin]
                if (p.px * p.px + p.py * p.py).squareRoot() >= ptMin { jets.append(AntiKt.jet(p.px, p.py, p.pz, p.e)) }
                removeFromTile(iMin)
                moveLast(into: iMin)
                continue
            }
            let a = min(iMin, jMin), c = max(iMin, jMin)
            markStale(pointingTo: a, or: c)
            if b[c].tile != b[a].tile { markStale(pointingTo: c, or: c) }
            // a is recomputed below, c disappears.
            var kept = 0
            for k in 0..<recomputeCount where recompute[k] != a && recompute[k] != c { recompute[kept] = recompute[k]; kept += 1 }
            recomputeCount = kept
            removeFromTile(a)
            removeFromTile(c)
            set(a, b[a].px + b[c].px, b[a].py + b[c].py, b[a].pz + b[c].pz, b[a].e + b[c].e)
            moveLast(into: c)
            b[a].tile = tiling.tileOf(b[a].rap, b[a].phi)
            addToTile(a)
            var best = r2, bestJ = -1
            let base = 9 * b[a].tile
            for m in base..<(base + 9) {
                let t = hood[m]
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
            for k in 0..<recomputeCount { findNN(recompute[k]) }
        }
        jets.sort { $0.pt > $1.pt }
        return jets
    }

    @inline(__always) func set(_ i: Int, _ x: Double, _ y: Double, _ z: Double, _ t: Double) {
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

    @inline(__always) func updateDi(_ i: Int) {
        let j = b[i].nn
        setDi(i, j < 0 ? b[i].f * r2 : min(b[i].f, b[j].f) * b[i].nnDist)
    }

    /// Nearest neighbour within R, lowest slot among equal distances.
    func findNN(_ i: Int) {
        var best = r2, bestJ = -1
        let base = 9 * b[i].tile
        for m in base..<(base + 9) {
            let t = hood[m]
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

    /// Marks for recomputation the pseudojets around `target`'s tile whose neighbour is `target`
    /// or `other` (all lie near it; `other` = `target` for one pseudojet).
    mutating func markStale(pointingTo target: Int, or other: Int) {
        let base = 9 * b[target].tile
        for m in base..<(base + 9) {
            let t = hood[m]
            if t < 0 { break }
            var k = tileHead[t]
            while k >= 0 {
                let nn = b[k].nn
                if nn == target || nn == other { b[k].nn = Self.stale; recompute[recomputeCount] = k; recomputeCount += 1 }
                k = next[k]
            }
        }
    }

    /// Removes `slot` (already out of its tile) by moving the last active pseudojet into it.
    mutating func moveLast(into slot: Int) {
        let last = active - 1
        if slot != last {
            // A pseudojet with no neighbour within R (nn = −1, not stale) is nobody's neighbour.
            let base = 9 * b[last].tile, neighbours = b[last].nn == -1 ? base : base + 9
            for m in base..<neighbours {
                let t = hood[m]
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
            for k in 0..<recomputeCount where recompute[k] == last { recompute[k] = slot }
        }
        setDi(last, .infinity)
        active -= 1
    }
}
