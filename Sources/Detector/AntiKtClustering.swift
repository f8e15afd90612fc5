import Events
import Foundation

/// The state of one anti-kt clustering (used by `AntiKt`), as a value type over manually
/// allocated buffers so that its hot loops run without reference counting or exclusivity checks
/// (the big methods are `mutating` so that they get the state by reference, not as a copy).
///
/// Pseudojets are numbered by id (their input index; a merged pseudojet keeps the id of the
/// pair member in the lower slot) and occupy slots 0..<active: a removed slot is refilled by the
/// last one and a merged pseudojet takes the lower slot of the pair, as in FastJet's N2Plain
/// strategy, and ties are broken the same way (lowest slot first). Each pseudojet keeps its
/// geometric nearest neighbour within R. The smallest distance is kept in a tournament tree
/// over the slots (ties to the lower slot, like a left-to-right scan), so each step costs
/// O(log N) instead of a scan of every pseudojet.
///
/// Neighbour searches run on a rapidity–azimuth tiling with tiles at least R wide ("lazy"
/// tiling, as FastJet's N2MHTLazy9): a tile holds its pseudojets contiguously (rapidity,
/// azimuth, id, nearest neighbour and the ΔR² to it), and a neighbouring tile is skipped when
/// its distance from the point already exceeds what the search needs — the best distance so
/// far, or the largest nearest-neighbour distance stored in the tile when the search is for
/// pseudojets whose neighbour may change. Each pseudojet also lists the ones whose nearest
/// neighbour it is, so those to recompute when it goes away are known without a search.
///
/// One file of about 400 lines: the tiles, the nearest-neighbour lists and the tournament tree
/// share the same manually allocated buffers and the invariants that tie them together.
struct AntiKtClustering {
    static let stale: Int32 = -2
    /// Safety margin on the tile distance bounds (rounding of the tile edges).
    static let margin = 1e-9
    let r2: Double
    let ptMin: Double
    let rapTiles: Int, phiTiles: Int
    let rapWidth: Double, phiWidth: Double
    let n: Int
    let leaves: Int
    let tileCount: Int

    /// Per id: four-momentum, rapidity, azimuth ([0, 2π)), f = 1/kt², slot, tile and position in it.
    let px, py, pz, e, rap, phi, f: UnsafeMutablePointer<Double>
    let slotOf, tileOf, posOf: UnsafeMutablePointer<Int32>
    /// Per id: the first of the ids whose nearest neighbour it is, and per id the next and
    /// previous in the list it belongs to (doubly linked; −1 ends), so that the pseudojets
    /// pointing to one that goes away are found without a search.
    let pointedHead, pointedNext, pointedPrev: UnsafeMutablePointer<Int32>
    /// Per slot: the id it holds.
    let idAt: UnsafeMutablePointer<Int32>
    /// Per slot: min(f_i, f_nn)·ΔR² or f_i·R², the anti-kt distance × R² (+∞ for empty slots).
    let di: UnsafeMutablePointer<Double>
    /// Tournament tree: node k holds the slot with the smallest di below it; leaves at `leaves + slot`.
    let winner: UnsafeMutablePointer<Int32>
    /// Per tile: first entry, number of entries, capacity, and an upper bound of the
    /// nearest-neighbour distance of its non-stale entries (R² for one without a neighbour).
    let tileStart, tileSize, tileCapacity: UnsafeMutablePointer<Int32>
    let tileMax: UnsafeMutablePointer<Double>
    /// Per tile: its lower rapidity and azimuth edges, and the ids of the 3 × 3 tiles around
    /// it (−1 beyond the rapidity range); `bounds` is scratch space for `fillBounds`.
    let tileRapLow, tilePhiLow, bounds: UnsafeMutablePointer<Double>
    let neighbours: UnsafeMutablePointer<Int32>
    /// Tile entries: rapidity, azimuth, id, nearest neighbour (id, −1 none within R, −2 stale)
    /// and the ΔR² to it.
    var entryRap, entryPhi, entryNNDist: UnsafeMutablePointer<Double>
    var entryId, entryNN: UnsafeMutablePointer<Int32>
    /// Ids whose nearest neighbour must be recomputed in the current step.
    let recompute: UnsafeMutablePointer<Int32>
    var recomputeCount = 0
    var active: Int
    var jets: [Jet] = []

    init(px x: [Double], py y: [Double], pz z: [Double], e t: [Double], radius: Double, ptMin: Double) {
        n = x.count
        r2 = radius * radius
        self.ptMin = ptMin
        rapTiles = max(3, Int(10 / radius))
        phiTiles = max(3, Int(2 * Double.pi / radius))
        rapWidth = 10 / Double(rapTiles)
        phiWidth = 2 * Double.pi / Double(phiTiles)
        tileCount = rapTiles * phiTiles
        var size = 1
        while size < max(n, 1) { size <<= 1 }
        leaves = size
        func doubles(_ count: Int) -> UnsafeMutablePointer<Double> { .allocate(capacity: max(count, 1)) }
        func ints(_ count: Int) -> UnsafeMutablePointer<Int32> { .allocate(capacity: max(count, 1)) }
        px = doubles(n)
        py = doubles(n)
        pz = doubles(n)
        e = doubles(n)
        rap = doubles(n)
        phi = doubles(n)
        f = doubles(n)
        slotOf = ints(n)
        tileOf = ints(n)
        posOf = ints(n)
        idAt = ints(n)
        recompute = ints(n)
        pointedHead = ints(n)
        pointedNext = ints(n)
        pointedPrev = ints(n)
        pointedHead.initialize(repeating: -1, count: max(n, 1))
        di = doubles(size)
        di.initialize(repeating: .infinity, count: size)
        winner = ints(2 * size)
        for slot in 0..<size { winner[size + slot] = Int32(slot) }
        tileStart = ints(tileCount)
        tileSize = ints(tileCount)
        tileCapacity = ints(tileCount)
        tileMax = doubles(tileCount)
        tileMax.initialize(repeating: 0, count: tileCount)
        tileSize.initialize(repeating: 0, count: tileCount)
        tileRapLow = doubles(tileCount)
        tilePhiLow = doubles(tileCount)
        bounds = doubles(9)
        neighbours = ints(9 * tileCount)
        for ir in 0..<rapTiles {
            for ip in 0..<phiTiles {
                let tile = ir * phiTiles + ip
                tileRapLow[tile] = -5 + Double(ir) * rapWidth
                tilePhiLow[tile] = Double(ip) * phiWidth
                let columns = [ip, (ip + phiTiles - 1) % phiTiles, (ip + 1) % phiTiles]
                for (r, row) in [ir, ir - 1, ir + 1].enumerated() {
                    for (c, column) in columns.enumerated() {
                        neighbours[9 * tile + 3 * r + c] =
                            row >= 0 && row < rapTiles ? Int32(row * phiTiles + column) : -1
                    }
                }
            }
        }
        // Room for twice each tile's inputs plus a few arrivals; a full tile triggers a re-layout.
        let entries = 2 * n + 8 * tileCount
        entryRap = doubles(entries)
        entryPhi = doubles(entries)
        entryNNDist = doubles(entries)
        entryId = ints(entries)
        entryNN = ints(entries)
        active = n
        for i in 0..<n {
            set(i, x[i], y[i], z[i], t[i])
            slotOf[i] = Int32(i)
            idAt[i] = Int32(i)
            tileSize[tileIndex(rap[i], phi[i])] += 1
        }
        var start = 0
        for tile in 0..<tileCount {
            tileStart[tile] = Int32(start)
            tileCapacity[tile] = 2 * tileSize[tile] + 8
            start += Int(tileCapacity[tile])
            tileSize[tile] = 0
        }
        for i in 0..<n { addToTile(i) }
        // Every distance first, then the tournament tree in one bottom-up pass.
        for i in 0..<n {
            let (j, d) = nearest(i)
            di[i] = storeNN(i, j, d)
        }
        for node in stride(from: size - 1, through: 1, by: -1) {
            let l = winner[2 * node], r = winner[2 * node + 1]
            winner[node] = di[Int(l)] <= di[Int(r)] ? l : r
        }
    }

    func deallocate() {
        for p in [
            px, py, pz, e, rap, phi, f, di, tileMax, tileRapLow, tilePhiLow, bounds, entryRap, entryPhi, entryNNDist,
        ] {
            p.deallocate()
        }
        for p in [
            slotOf, tileOf, posOf, pointedHead, pointedNext, pointedPrev, idAt, recompute, winner, tileStart, tileSize,
            tileCapacity, neighbours, entryId, entryNN,
        ] {
            p.deallocate()
        }
    }

    /// Runs the clustering; returns the jets above `ptMin`, by decreasing p_T.
    mutating func run() -> [Jet] {
        defer { deallocate() }
        while active > 0 {
            let slotMin = Int(winner[1])
            let iMin = Int(idAt[slotMin])
            let jMin = Int(entryNN[entry(iMin)])
            recomputeCount = 0
            if jMin < 0 {
                if (px[iMin] * px[iMin] + py[iMin] * py[iMin]).squareRoot() >= ptMin {
                    jets.append(AntiKt.jet(px[iMin], py[iMin], pz[iMin], e[iMin]))
                }
                markStale(pointingTo: iMin)
                removeFromTile(iMin)
                removeSlot(slotMin)
                for k in 0..<recomputeCount { findNN(Int(recompute[k])) }
                continue
            }
            // The merged pseudojet keeps the id and the slot of the pair member in the lower slot.
            let (a, c) = slotOf[iMin] < slotOf[jMin] ? (iMin, jMin) : (jMin, iMin)
            markStale(pointingTo: a)
            markStale(pointingTo: c)
            var kept = 0
            // a is recomputed below, c disappears.
            for k in 0..<recomputeCount where Int(recompute[k]) != a && Int(recompute[k]) != c {
                recompute[kept] = recompute[k]
                kept += 1
            }
            recomputeCount = kept
            removeFromTile(a)
            removeFromTile(c)
            set(a, px[a] + px[c], py[a] + py[c], pz[a] + pz[c], e[a] + e[c])
            removeSlot(Int(slotOf[c]))
            addToTile(a)
            mergeScan(a)
            for k in 0..<recomputeCount { findNN(Int(recompute[k])) }
        }
        jets.sort { $0.pt > $1.pt }
        return jets
    }

    // MARK: Geometry

    @inline(__always) func tileIndex(_ y: Double, _ ph: Double) -> Int {
        let ir = min(rapTiles - 1, max(0, Int(((y + 5) / rapWidth).rounded(.down))))
        let ip = min(phiTiles - 1, max(0, Int(ph / phiWidth)))
        return ir * phiTiles + ip
    }

    @inline(__always) mutating func set(_ i: Int, _ x: Double, _ y: Double, _ z: Double, _ t: Double) {
        let (rp, ph, kt2) = AntiKt.rapPhi(x, y, z, t)
        px[i] = x
        py[i] = y
        pz[i] = z
        e[i] = t
        rap[i] = rp
        phi[i] = ph
        f[i] = kt2 < 1e-300 ? 1e300 : 1 / kt2
    }

    @inline(__always) func entry(_ id: Int) -> Int { Int(tileStart[Int(tileOf[id])] + posOf[id]) }

    /// ΔR² between a point and a tile entry, as FastJet computes it.
    @inline(__always)
    static func dist(
        _ y: Double, _ ph: Double, _ rap: UnsafeMutablePointer<Double>, _ phi: UnsafeMutablePointer<Double>,
        _ m: Int
    ) -> Double {
        var dphi = abs(ph - phi[m])
        if dphi > .pi { dphi = 2 * .pi - dphi }
        let dy = y - rap[m]
        return dphi * dphi + dy * dy
    }

    /// Fills `bounds[k]` with a lower bound of the ΔR² between (y, φ) in `tile` and anything
    /// in the k-th tile of its neighbourhood (`neighbours`: own, left, right, then the row
    /// below and the row above in the same order).
    @inline(__always) func fillBounds(_ y: Double, _ ph: Double, _ tile: Int) {
        let lowY = max(0, y - tileRapLow[tile] - Self.margin),
            highY = max(0, tileRapLow[tile] + rapWidth - y - Self.margin)
        let lowPhi = max(0, ph - tilePhiLow[tile] - Self.margin),
            highPhi = max(0, tilePhiLow[tile] + phiWidth - ph - Self.margin)
        let ly = lowY * lowY, hy = highY * highY, lp = lowPhi * lowPhi, hp = highPhi * highPhi
        bounds[0] = 0
        bounds[1] = lp
        bounds[2] = hp
        bounds[3] = ly
        bounds[4] = ly + lp
        bounds[5] = ly + hp
        bounds[6] = hy
        bounds[7] = hy + lp
        bounds[8] = hy + hp
    }

    // MARK: Nearest neighbours

    /// Sets slot's distance and replays its matches up the tournament tree, stopping where a
    /// match keeps a winner other than `slot` (nothing above it changes).
    @inline(__always) func setDi(_ slot: Int, _ value: Double) {
        di[slot] = value
        let s = Int32(slot)
        var node = (leaves + slot) >> 1
        while node >= 1 {
            let l = winner[2 * node], r = winner[2 * node + 1]
            let w = di[Int(l)] <= di[Int(r)] ? l : r
            if w == winner[node] && w != s { break }
            winner[node] = w
            node >>= 1
        }
    }

    /// Stores id i's nearest neighbour (j, at ΔR² d) and raises its tile's bound; returns i's
    /// anti-kt distance.
    @inline(__always) func storeNN(_ i: Int, _ j: Int, _ d: Double) -> Double {
        let m = entry(i)
        assert(entryNN[m] == Self.stale, "a nearest neighbour is stored over a current one")
        entryNN[m] = Int32(j)
        entryNNDist[m] = d
        if j >= 0 { link(i, to: j) }
        let tile = Int(tileOf[i])
        if d > tileMax[tile] { tileMax[tile] = d }
        return j < 0 ? f[i] * r2 : min(f[i], f[j]) * d
    }

    /// Stores id i's nearest neighbour and updates its distance in the tournament tree.
    @inline(__always) func setNN(_ i: Int, _ j: Int, _ d: Double) {
        setDi(Int(slotOf[i]), storeNN(i, j, d))
    }

    /// Recomputes id i's nearest neighbour.
    mutating func findNN(_ i: Int) {
        let (j, d) = nearest(i)
        setNN(i, j, d)
    }

    /// Nearest neighbour within R (−1 if none) and the ΔR² to it, lowest slot among equal distances.
    mutating func nearest(_ i: Int) -> (Int, Double) {
        let y = rap[i], ph = phi[i], tile = Int(tileOf[i])
        let entryRap = entryRap, entryPhi = entryPhi, entryId = entryId, slotOf = slotOf
        var best = r2, bestJ = -1
        fillBounds(y, ph, tile)
        for k in 0..<9 {
            let t = Int(neighbours[9 * tile + k])
            if t < 0 || bounds[k] > best { continue }
            let start = Int(tileStart[t]), end = start + Int(tileSize[t])
            for m in start..<end {
                let d = Self.dist(y, ph, entryRap, entryPhi, m)
                if d < best || (d == best && bestJ >= 0 && slotOf[Int(entryId[m])] < slotOf[bestJ]) {
                    let j = Int(entryId[m])
                    if j != i {
                        best = d
                        bestJ = j
                    }
                }
            }
        }
        return (bestJ, best)
    }

    /// The new pseudojet a: its nearest neighbour, and a as the new nearest neighbour of every
    /// pseudojet (not stale) that it is strictly closer to than its current one.
    mutating func mergeScan(_ a: Int) {
        let y = rap[a], ph = phi[a], tile = Int(tileOf[a])
        let entryRap = entryRap, entryPhi = entryPhi, entryId = entryId, entryNN = entryNN, entryNNDist = entryNNDist
        let slotOf = slotOf, f = f
        var best = r2, bestJ = -1
        fillBounds(y, ph, tile)
        for k in 0..<9 {
            let t = Int(neighbours[9 * tile + k])
            if t < 0 || (bounds[k] > best && bounds[k] > tileMax[t]) { continue }
            let start = Int(tileStart[t]), end = start + Int(tileSize[t])
            var largest = 0.0
            for m in start..<end {
                let j = Int(entryId[m])
                if j == a { continue }
                let d = Self.dist(y, ph, entryRap, entryPhi, m)
                if d < best || (d == best && bestJ >= 0 && slotOf[j] < slotOf[bestJ]) {
                    best = d
                    bestJ = j
                }
                if entryNN[m] == Self.stale { continue }
                if d < entryNNDist[m] {
                    if entryNN[m] >= 0 { unlink(j, from: Int(entryNN[m])) }
                    link(j, to: a)
                    entryNN[m] = Int32(a)
                    entryNNDist[m] = d
                    setDi(Int(slotOf[j]), min(f[j], f[a]) * d)
                }
                largest = max(largest, entryNNDist[m])
            }
            tileMax[t] = largest
        }
        setNN(a, bestJ, best)
    }

    /// Marks for recomputation the pseudojets whose neighbour is `target`.
    mutating func markStale(pointingTo target: Int) {
        var k = Int(pointedHead[target])
        while k >= 0 {
            entryNN[entry(k)] = Self.stale
            recompute[recomputeCount] = Int32(k)
            recomputeCount += 1
            k = Int(pointedNext[k])
        }
        pointedHead[target] = -1
    }

    /// Adds id k to the list of the ids pointing to `target`.
    @inline(__always) func link(_ k: Int, to target: Int) {
        let head = pointedHead[target]
        pointedPrev[k] = -1
        pointedNext[k] = head
        if head >= 0 { pointedPrev[Int(head)] = Int32(k) }
        pointedHead[target] = Int32(k)
    }

    /// Removes id k from the list of the ids pointing to `target`.
    @inline(__always) func unlink(_ k: Int, from target: Int) {
        let before = pointedPrev[k], after = pointedNext[k]
        if before >= 0 { pointedNext[Int(before)] = after } else { pointedHead[target] = after }
        if after >= 0 { pointedPrev[Int(after)] = before }
    }

    // MARK: Tiles and slots

    mutating func addToTile(_ i: Int) {
        var tile = tileIndex(rap[i], phi[i])
        if tileSize[tile] == tileCapacity[tile] {
            relayout(growing: tile)
            tile = tileIndex(rap[i], phi[i])
        }
        let pos = tileSize[tile]
        tileSize[tile] += 1
        tileOf[i] = Int32(tile)
        posOf[i] = pos
        let m = Int(tileStart[tile] + pos)
        entryRap[m] = rap[i]
        entryPhi[m] = phi[i]
        entryId[m] = Int32(i)
        entryNN[m] = Self.stale
        entryNNDist[m] = r2
    }

    /// Removes id i from its tile (the tile's last entry takes its place) and from the list of
    /// the pseudojet it points to.
    mutating func removeFromTile(_ i: Int) {
        let nn = entryNN[entry(i)]
        if nn >= 0 { unlink(i, from: Int(nn)) }
        let tile = Int(tileOf[i])
        let start = Int(tileStart[tile])
        let last = Int(tileSize[tile]) - 1
        let pos = Int(posOf[i])
        if pos != last {
            let from = start + last, to = start + pos
            entryRap[to] = entryRap[from]
            entryPhi[to] = entryPhi[from]
            entryNNDist[to] = entryNNDist[from]
            entryId[to] = entryId[from]
            entryNN[to] = entryNN[from]
            posOf[Int(entryId[to])] = Int32(pos)
        }
        tileSize[tile] = Int32(last)
    }

    /// Doubles the capacity of a full tile, moving every tile's entries to new buffers.
    mutating func relayout(growing full: Int) {
        let total = (0..<tileCount).reduce(0) { $0 + Int(tileCapacity[$1]) } + Int(tileCapacity[full]) + 4
        let rapN = UnsafeMutablePointer<Double>.allocate(capacity: total),
            phiN = UnsafeMutablePointer<Double>.allocate(capacity: total)
        let distN = UnsafeMutablePointer<Double>.allocate(capacity: total)
        let idN = UnsafeMutablePointer<Int32>.allocate(capacity: total),
            nnN = UnsafeMutablePointer<Int32>.allocate(capacity: total)
        var start = 0
        for tile in 0..<tileCount {
            let old = Int(tileStart[tile]), size = Int(tileSize[tile])
            (rapN + start).update(from: entryRap + old, count: size)
            (phiN + start).update(from: entryPhi + old, count: size)
            (distN + start).update(from: entryNNDist + old, count: size)
            (idN + start).update(from: entryId + old, count: size)
            (nnN + start).update(from: entryNN + old, count: size)
            tileStart[tile] = Int32(start)
            if tile == full { tileCapacity[tile] = 2 * tileCapacity[tile] + 4 }
            start += Int(tileCapacity[tile])
        }
        for p in [entryRap, entryPhi, entryNNDist] { p.deallocate() }
        for p in [entryId, entryNN] { p.deallocate() }
        entryRap = rapN
        entryPhi = phiN
        entryNNDist = distN
        entryId = idN
        entryNN = nnN
    }

    /// Empties `slot` by moving the last active slot's pseudojet into it.
    mutating func removeSlot(_ slot: Int) {
        let last = active - 1
        if slot != last {
            let id = idAt[last]
            idAt[slot] = id
            slotOf[Int(id)] = Int32(slot)
            setDi(slot, di[last])
        }
        setDi(last, .infinity)
        active -= 1
    }
}
