import Detector
import Events
import Foundation
import Testing

@Suite struct CalorimeterTests {
    let calorimeter = Calorimeter()

    @Test func geometryCoversFiveUnitsWithDocumentedCells() {
        let g = CalorimeterGeometry.standard
        #expect(g.cellCount == 2 * (20 * 72 + 9 * 36 + 11 * 18))
        #expect(g.maxEta == 5)
        #expect(g.cell(eta: 5.01, phi: 0) == nil && g.cell(eta: -5.01, phi: 0) == nil)
        // A point maps to the cell whose centre is within half a cell of it.
        var r = RandomStream(seed: 1)
        for _ in 0..<2000 {
            let eta = r.uniform(-4.99, 4.99), phi = r.uniform(-.pi, .pi)
            let c = g.cell(eta: eta, phi: phi)!
            let ring = g.ring(eta: eta)!
            #expect(abs(Double(g.cellEta[c]) - eta) <= 0.5 * (g.etaEdges[ring + 1] - g.etaEdges[ring]) + 1e-6)
            #expect(Kinematics.absDeltaPhi(Double(g.cellPhi[c]), phi) <= .pi / Double(g.phiCells[ring]) + 1e-6)
            #expect(g.cell(eta: Double(g.cellEta[c]), phi: Double(g.cellPhi[c])) == c)
        }
    }

    @Test func invisibleLeaveNothingAndMuonsAlmostNothing() {
        var rng = RandomStream(seed: 2)
        let invisible = [
            Particle(pt: 100, eta: 0.3, phi: 1, pid: 12), Particle(pt: 100, eta: 0.3, phi: 1, pid: -14),
            Particle(pt: 80, eta: 6, phi: 2, pid: 211),
        ]
        #expect(calorimeter.towers(from: invisible, rng: &rng).isEmpty)
        var sum = 0.0
        for _ in 0..<2000 {
            sum += calorimeter.towers(from: [Particle(pt: 80, eta: -1, phi: 2, pid: 13)], rng: &rng).reduce(0.0) {
                $0 + Double($1.et)
            }
        }
        #expect(sum / 2000 < 0.5, "mean muon E_T deposit \(sum / 2000) GeV")
    }

    /// Photons of 50 GeV at η = 0.5: mean tower E_T unbiased, resolution a/√E ⊕ c.
    @Test func electromagneticResponseAndResolution() {
        var rng = RandomStream(seed: 3)
        var sum = 0.0, sum2 = 0.0
        let n = 20_000
        let e = 50 * cosh(0.5)
        for _ in 0..<n {
            let towers = calorimeter.towers(from: [Particle(pt: 50, eta: 0.5, phi: 0.2, pid: 22)], rng: &rng)
            let et = Double(towers.first?.et ?? 0)
            sum += et
            sum2 += et * et
        }
        let mean = sum / Double(n), rms = (sum2 / Double(n) - mean * mean).squareRoot()
        let cellEta = Double(
            CalorimeterGeometry.standard.cellEta[CalorimeterGeometry.standard.cell(eta: 0.5, phi: 0.2)!])
        let expectedMean = e / cosh(cellEta)
        let expectedRelative = (0.07 * 0.07 / e + 0.007 * 0.007).squareRoot()
        #expect(abs(mean / expectedMean - 1) < 0.001)
        #expect(abs(rms / mean / expectedRelative - 1) < 0.03)
    }

    @Test func mergeSumsSameCellDeposits() {
        let g = CalorimeterGeometry.standard
        let c1 = g.cell(eta: 0.1, phi: 0.1)!, c2 = g.cell(eta: -3.5, phi: 2)!
        let a = [Tower(et: 5, eta: g.cellEta[c1], phi: g.cellPhi[c1])]
        let b = [
            Tower(et: 2, eta: g.cellEta[c1], phi: g.cellPhi[c1]), Tower(et: 1, eta: g.cellEta[c2], phi: g.cellPhi[c2]),
            Tower(et: 9, eta: 5.5, phi: 0),
        ]
        let merged = calorimeter.merge(a, b)
        #expect(merged.count == 2)
        #expect(merged.contains(Tower(et: 7, eta: g.cellEta[c1], phi: g.cellPhi[c1])))
        #expect(merged.contains(Tower(et: 1, eta: g.cellEta[c2], phi: g.cellPhi[c2])))
        // MET after the merge is recomputed from all towers.
        var event = Event(towers: a, channel: .zQCD)
        event.towers = merged
        Detector().recluster(&event)
        let direct = Kinematics.missingET(merged)
        #expect(event.met == direct)
    }
}
