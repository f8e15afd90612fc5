import Events
import Foundation
import Testing

@Suite struct KinematicsTests {
    @Test func wrapsPhiIntoHalfOpenInterval() {
        #expect(Kinematics.wrapPhi(Double.pi) == -Double.pi)
        #expect(Kinematics.wrapPhi(-Double.pi) == -Double.pi)
        #expect(abs(Kinematics.wrapPhi(3.5) - (3.5 - 2 * .pi)) < 1e-15)
        #expect(abs(Kinematics.wrapPhi(-7.0) - (-7.0 + 2 * .pi)) < 1e-15)
        #expect(abs(Kinematics.wrapPhi(13.0) - (13.0 - 4 * .pi)) < 1e-14)
    }

    @Test func deltaPhiAcrossPlusMinusPi() {
        // 3.1 and −3.1 are 2π − 6.2 apart, not 6.2.
        #expect(abs(Kinematics.absDeltaPhi(3.1, -3.1) - (2 * .pi - 6.2)) < 1e-12)
        #expect(abs(Kinematics.deltaPhi(3.1, -3.1) - (6.2 - 2 * .pi)) < 1e-12)
        #expect(abs(Kinematics.deltaPhi(-3.1, 3.1) - (2 * .pi - 6.2)) < 1e-12)
        #expect(abs(Kinematics.absDeltaPhi(0.25, -0.5) - 0.75) < 1e-12)
        #expect(abs(Kinematics.absDeltaPhi(0, .pi) - .pi) < 1e-12)
    }

    @Test func dijetMassByHand() {
        // Massless, η = ±1, same φ: m² = 2·p1·p2·(cosh 2 − 1).
        let a = Jet(pt: 100, eta: 1, phi: 0.3, mass: 0), b = Jet(pt: 100, eta: -1, phi: 0.3, mass: 0)
        #expect(abs(Kinematics.invariantMass(a, b) - (2 * 100 * 100 * (cosh(2.0) - 1)).squareRoot()) < 1e-3)
        // Back to back at η = 0: m = p1 + p2.
        let c = Jet(pt: 50, eta: 0, phi: 3.0, mass: 0), d = Jet(pt: 50, eta: 0, phi: 3.0 - .pi, mass: 0)
        #expect(abs(Kinematics.invariantMass(c, d) - 100) < 1e-3)
        // Two massive jets at rest in the transverse plane sum their masses: (pT ≈ 0 limit avoided) —
        // equal p_T, η = 0, opposite φ, mass 10 each: m = 2·√(p² + 10²).
        let e = Jet(pt: 30, eta: 0, phi: 0, mass: 10), f = Jet(pt: 30, eta: 0, phi: .pi, mass: 10)
        #expect(abs(Kinematics.invariantMass(e, f) - 2 * (900.0 + 100).squareRoot()) < 1e-3)
    }

    @Test func missingETFromTowers() {
        let towers = [Tower(et: 10, eta: 0.5, phi: 0), Tower(et: 10, eta: -2, phi: Float.pi / 2)]
        let met = Kinematics.missingET(towers)
        #expect(abs(Double(met.value) - 10 * 2.0.squareRoot()) < 1e-4)
        #expect(abs(Double(met.phi) - (-3 * Double.pi / 4)) < 1e-6)
        // Balanced towers give no MET.
        #expect(
            Kinematics.missingET([Tower(et: 5, eta: 1, phi: 1), Tower(et: 5, eta: -3, phi: Float(1 - Double.pi))]).value
                < 1e-5)
    }
}

@Suite struct RandomStreamTests {
    @Test func streamsAreReproducibleAndDistinct() {
        var a = RandomStream(seed: 1, stage: 1, unit: 2, index: 3),
            b = RandomStream(seed: 1, stage: 1, unit: 2, index: 3)
        var c = RandomStream(seed: 1, stage: 1, unit: 2, index: 4),
            d = RandomStream(seed: 2, stage: 1, unit: 2, index: 3)
        let xa = (0..<8).map { _ in a.next() }, xb = (0..<8).map { _ in b.next() }
        #expect(xa == xb)
        #expect(xa != (0..<8).map { _ in c.next() })
        #expect(xa != (0..<8).map { _ in d.next() })
    }

    /// Output k is the SplitMix64 finaliser of key + k·γ, the key hashed from (seed, stage, unit,
    /// index) (docs/physics.md); the values are those of a Python implementation of the formula.
    @Test func streamFollowsTheDocumentedFormula() {
        var r = RandomStream(seed: 1, stage: 1, unit: 2, index: 3)
        #expect((0..<3).map { _ in r.next() } == [0x076C_5262_9FA7_DC1C, 0x2667_A009_AB08_D316, 0x1AEE_1964_6F2E_B11E])
    }

    @Test func distributionsHaveTheirMeans() {
        var r = RandomStream(seed: 42)
        let n = 200_000
        var u = 0.0, g = 0.0, p = 0.0, nb = 0.0, z = 0.0, z2 = 0.0
        for _ in 0..<n {
            u += r.uniform()
            g += r.gamma(shape: 1.6, scale: 0.5)
            p += Double(r.poisson(mean: 4.5))
            nb += Double(r.negativeBinomial(mean: 140, k: 2))
            let x = r.normal()
            z += x
            z2 += x * x
        }
        let m = Double(n)
        #expect(abs(u / m - 0.5) < 0.005)
        #expect(abs(g / m - 0.8) < 0.01)
        #expect(abs(p / m - 4.5) < 0.03)
        #expect(abs(nb / m - 140) < 1.5)
        #expect(abs(z / m) < 0.01 && abs(z2 / m - 1) < 0.01)
    }
}
