import Events
import Foundation

/// A CMS-like calorimeter on `CalorimeterGeometry`: e/γ deposit in the ECAL, hadrons in the
/// HCAL, muons a minimum-ionising 1 GeV (less if softer), invisible particles nothing.
/// Each cell's ECAL and HCAL energies are smeared with a log-normal of resolution
/// σ/E = a/√E ⊕ c (Delphes CMS card values, below), then kept above a threshold; the tower
/// E_T is E / cosh(η_cell).
///
/// | part | |η| | a (√GeV) | c |
/// |---|---|---|---|
/// | ECAL | < 3 | 0.07 | 0.007 |
/// | HCAL | < 3 | 1.50 | 0.050 |
/// | HF (both) | 3 – 5 | 2.70 | 0.130 |
///
/// Thresholds: 0.5 GeV (ECAL), 1.0 GeV (HCAL) of energy per cell.
public struct Calorimeter: Sendable {
    public var geometry: CalorimeterGeometry
    public var emStochastic = 0.07, emConstant = 0.007
    public var hadStochastic = 1.50, hadConstant = 0.050
    public var forwardStochastic = 2.70, forwardConstant = 0.130
    public var emThreshold = 0.5, hadThreshold = 1.0
    /// Energy a muon leaves in the HCAL (GeV), at most its own energy.
    public var muonDeposit = 1.0

    public init(geometry: CalorimeterGeometry = .standard) { self.geometry = geometry }

    /// The towers produced by `particles`, ordered by cell index. Deposits are summed per cell in
    /// particle order on a dense cell array; the cells hit are then smeared in increasing order.
    public func towers(from particles: [Particle], rng: inout RandomStream) -> [Tower] {
        var em = [Double](repeating: 0, count: geometry.cellCount), had = em
        var hit = [Bool](repeating: false, count: geometry.cellCount)
        var hits = 0
        for p in particles {
            let kind = p.kind
            if kind == .invisible { continue }
            guard let cell = geometry.cell(eta: Double(p.eta), phi: Double(p.phi)) else { continue }
            let energy = Double(p.pt) * cosh(Double(p.eta))
            if !hit[cell] {
                hit[cell] = true
                hits += 1
            }
            switch kind {
            case .electromagnetic: em[cell] += energy
            case .hadronic: had[cell] += energy
            default: had[cell] += min(energy, muonDeposit)
            }
        }
        var towers: [Tower] = []
        towers.reserveCapacity(hits)
        for cell in 0..<geometry.cellCount where hit[cell] {
            let cellEM = em[cell], cellHad = had[cell]
            let eta = Double(geometry.cellEta[cell])
            let forward = abs(eta) > 3
            var energy = 0.0
            if cellEM > 0 {
                let s =
                    forward
                    ? smear(cellEM, forwardStochastic, forwardConstant, &rng)
                    : smear(cellEM, emStochastic, emConstant, &rng)
                if s > emThreshold { energy += s }
            }
            if cellHad > 0 {
                let s =
                    forward
                    ? smear(cellHad, forwardStochastic, forwardConstant, &rng)
                    : smear(cellHad, hadStochastic, hadConstant, &rng)
                if s > hadThreshold { energy += s }
            }
            if energy > 0 {
                towers.append(Tower(et: Float(energy / cosh(eta)), eta: Float(eta), phi: geometry.cellPhi[cell]))
            }
        }
        return towers
    }

    /// Log-normal smearing with mean `e` and σ = e·(a/√e ⊕ c).
    func smear(_ e: Double, _ a: Double, _ c: Double, _ rng: inout RandomStream) -> Double {
        let sigma = (a * a * e + c * c * e * e).squareRoot()
        let v = log(1 + sigma * sigma / (e * e))
        return exp(log(e) - 0.5 * v + v.squareRoot() * rng.normal())
    }

    /// Adds `extra` towers (e.g. pileup) onto the grid of `towers`: deposits in the same cell
    /// are summed (in input order, towers first), towers outside the coverage are dropped. The
    /// result is ordered by cell. Accumulates on a dense cell array, so the cost is linear in
    /// the number of towers and cells.
    public func merge(_ towers: [Tower], _ extra: [Tower]) -> [Tower] {
        var sums = CellSums(geometry: geometry)
        for t in towers { sums.add(t) }
        for t in extra { sums.add(t) }
        return sums.towers().towers
    }
}

/// Tower E_T summed per calorimeter cell, in the order the deposits are added, read out as
/// towers at the cell centres ordered by cell.
public struct CellSums {
    public let geometry: CalorimeterGeometry
    @usableFromInline var energy: [Float]
    @usableFromInline var hit: [Bool]

    public init(geometry: CalorimeterGeometry) {
        self.geometry = geometry
        energy = [Float](repeating: 0, count: geometry.cellCount)
        hit = [Bool](repeating: false, count: geometry.cellCount)
    }

    /// Adds a deposit to a cell.
    @inlinable
    public mutating func add(_ et: Float, cell: Int) {
        energy[cell] += et
        hit[cell] = true
    }

    /// Adds a tower to the cell holding its (η, φ); a tower outside the coverage is dropped.
    public mutating func add(_ tower: Tower) {
        guard let c = geometry.cell(eta: Double(tower.eta), phi: Double(tower.phi)) else { return }
        add(tower.et, cell: c)
    }

    /// Adds towers rotated by `rotation` in φ whose η rings are known (`rings[i]` for
    /// `towers[i]`, −1 outside the coverage: dropped); the same cells as adding the rotated
    /// towers one by one, without searching for the rings.
    public mutating func add(_ towers: [Tower], rings: [Int32], rotatedBy rotation: Float) {
        precondition(towers.count == rings.count, "\(rings.count) rings for \(towers.count) towers")
        let geometry = geometry
        energy.withUnsafeMutableBufferPointer { energy in
            hit.withUnsafeMutableBufferPointer { hit in
                for (t, ring) in zip(towers, rings) where ring >= 0 {
                    let c = geometry.cell(ring: Int(ring), phi: Double(Kinematics.wrapPhi(t.phi + rotation)))
                    energy[c] += t.et
                    hit[c] = true
                }
            }
        }
    }

    /// The towers of the cells hit, ordered by cell, and their cells.
    public func towers() -> (towers: [Tower], cells: [Int32]) {
        var towers: [Tower] = [], cells: [Int32] = []
        hit.withUnsafeBufferPointer { hit in
            for c in hit.indices where hit[c] {
                towers.append(Tower(et: energy[c], eta: geometry.cellEta[c], phi: geometry.cellPhi[c]))
                cells.append(Int32(c))
            }
        }
        return (towers, cells)
    }
}
