import Events
import Foundation
import Testing

@testable import FastSim

/// The particle-level stage of the preselection on hand-built particle lists: its jets and MET
/// against direct sums, and each of its cuts on events built to sit on either side of it.
@Suite struct ParticlePreselectionTests {
    let stage = ParticlePreselection()

    /// Cones around the seeds: a seed within R of a harder one adds no jet, a particle within R of
    /// two seeds goes to the harder, |η| ≥ 5, muons and neutrinos are in neither jets nor MET.
    @Test func jetsAndMissingPtAreConeSums() {
        let seeds = [
            Parton(pt: 50, eta: 0.3, phi: 0.1), // within R = 0.5 of the 100 GeV seed
            Parton(pt: 100, eta: 0, phi: 0),
            Parton(pt: 60, eta: 0.7, phi: 0), // ΔR = 0.7 from it: its own jet
            Parton(pt: 40, eta: 6, phi: 1),
        ] // beyond the calorimeter
        let particles = [
            Particle(pt: 80, eta: 0.1, phi: 0.05, pid: 211),
            Particle(pt: 30, eta: 0.4, phi: 0, pid: 22), // ΔR 0.4 and 0.3: the harder seed's
            Particle(pt: 50, eta: 0.8, phi: 0.1, pid: 211),
            Particle(pt: 20, eta: 0, phi: 2, pid: 13),
            Particle(pt: 10, eta: 5.5, phi: 0, pid: 211),
            Particle(pt: 25, eta: -2, phi: 3, pid: 130),
            Particle(pt: 15, eta: 0.05, phi: 0, pid: 12),
        ]
        let (jets, metX, metY) = stage.jetsAndMissingPt(particles, seeds: seeds)
        #expect(jets.count == 2)
        let ax = 80 * cos(0.05) + 30.0, ay = 80 * sin(0.05)
        #expect(abs(jets[0].pt - (ax * ax + ay * ay).squareRoot()) < 1e-4)
        #expect(abs(jets[0].eta - (80 * 0.1 + 30 * 0.4) / 110) < 1e-6)
        #expect(abs(jets[0].phi - atan2(ay, ax)) < 1e-6)
        #expect(abs(jets[1].pt - 50) < 1e-4 && abs(jets[1].eta - 0.8) < 1e-6 && abs(jets[1].phi - 0.1) < 1e-6)
        let mx = -(ax + 50 * cos(0.1) + 25 * cos(3.0)), my = -(ay + 50 * sin(0.1) + 25 * sin(3.0))
        #expect(abs(metX - mx) < 1e-3 && abs(metY - my) < 1e-3)
    }

    /// An event of single-particle jets at the given (p_T, η, φ), seeded at the particles.
    func accepts(_ jets: [(Double, Double, Double)], floor: Double = 160) -> Bool {
        let seeds = jets.map { Parton(pt: $0.0, eta: $0.1, phi: $0.2) }
        let particles = jets.map { Particle(pt: Float($0.0), eta: Float($0.1), phi: Float($0.2), pid: 211) }
        return stage.accepts(particles, seeds: seeds, minMissingPt: floor)
    }

    /// The azimuth of −(p⃗_T(a) + p⃗_T(b)).
    func metPhi(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
        atan2(-(a.0 * sin(a.2) + b.0 * sin(b.2)), -(a.0 * cos(a.2) + b.0 * cos(b.2)))
    }

    @Test func cutsOnBothSides() {
        let j1 = (150.0, 1.5, 0.0), j2 = (100.0, -1.5, 0.5) // MET ≈ 245 GeV
        #expect(accepts([j1, j2]))
        // MET floor.
        #expect(!accepts([j1, j2], floor: 250))
        // A pair needs two jets above 15 GeV (one beyond |η| = 5 is not a jet).
        #expect(!accepts([j1, (14, -1.5, 0.5), (60, 5.5, 2)]))
        #expect(accepts([j1, (16, -1.5, 0.5), (60, 5.5, 2)]))
        // Hemispheres with a 0.1 margin, |Δη| > 0.9, |Δφ| < 1.6.
        #expect(!accepts([j1, (100, 0.5, 0.5)]))
        #expect(accepts([j1, (100, 0.05, 0.5)]))
        #expect(!accepts([j1, (100, 0.15, 0.5)]))
        #expect(!accepts([(150, 0.5, 0), (100, -0.35, 0.5)]))
        #expect(accepts([(150, 0.5, 0), (100, -0.45, 0.5)]))
        #expect(!accepts([j1, (100, -1.5, 1.65)]))
        #expect(accepts([j1, (100, -1.5, 1.55)]))
        // A jet cannot pair as a leading jet when two others exceed 1.5 × its p_T + 5 GeV.
        let same = [(150.0, 1.5, 0.0), (140.0, 1.0, 0.3)]
        #expect(!accepts(same + [(60, -1.5, 0.2)]))
        #expect(accepts(same + [(95, -1.5, 0.2)]))
        // MET alignment: a sure top-4 jet of p_T ≥ 45 GeV within Δφ < 0.3 of the MET.
        let phi = metPhi(j1, j2)
        #expect(!accepts([j1, j2, (50, 0, phi)]))
        #expect(accepts([j1, j2, (40, 0, phi)]))
        #expect(accepts([j1, j2, (50, 0, phi + 0.35)]))
        #expect(accepts([j1, j2, (50, 4.6, phi)]))
    }

    @Test func disabledStageAcceptsEverything() {
        var open = stage
        open.enabled = false
        #expect(open.accepts([], seeds: [], minMissingPt: 160))
    }
}
