import Events
import Foundation
import Selection
import TestSupport
import Testing

@Suite struct FeaturesTests {
    static func randomEvent(_ r: inout RandomStream, jets: Int) -> Event {
        Event(
            towers: (0..<300).map { _ in
                Tower(et: Float(r.uniform(0, 20)), eta: Float(r.uniform(-5, 5)), phi: Float(r.uniform(-3.14, 3.14)))
            },
            jets: (0..<jets).map { _ in
                Jet(
                    pt: Float(r.uniform(20, 400)), eta: Float(r.uniform(-4.7, 4.7)), phi: Float(r.uniform(-3.14, 3.14)),
                    mass: Float(r.uniform(0, 30)))
            }
            .sorted { $0.pt > $1.pt },
            met: MissingET(value: Float(r.uniform(0, 600)), phi: Float(r.uniform(-3.14, 3.14))), channel: .zQCD)
    }

    @Test func rFeaturesAreDirectSums() {
        var r = RandomStream(seed: 11)
        for _ in 0..<50 {
            let e = Self.randomEvent(&r, jets: 2)
            let features = Features.r(e)
            for (k, c) in FeatureNames.etaCuts.enumerated() {
                let direct = e.towers.filter { abs($0.eta) < c }.reduce(0.0) { $0 + Double($1.et) }
                #expect(abs(Double(features[k]) - direct) <= 1e-5 * max(1, direct))
            }
        }
        #expect(
            Features.r(Event(towers: [Tower(et: 3, eta: 1.0, phi: 0), Tower(et: 4, eta: -4.9, phi: 0)], channel: .sEW))
                == [0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 7])
    }

    @Test func kFeaturesByHand() {
        let e = Event(
            jets: [Jet(pt: 100, eta: 2, phi: 3.0, mass: 0), Jet(pt: 100, eta: -1, phi: -3.0, mass: 0)],
            met: MissingET(value: 250, phi: 0.1), channel: .sEW)
        let k = Features.k(e)
        #expect(abs(k[0] - 3) < 1e-6)
        #expect(abs(Double(k[1]) - (2 * .pi - 6)) < 1e-5)
        #expect(abs(Double(k[2]) - (2 * 100 * 100 * (cosh(3.0) - cos(2 * .pi - 6))).squareRoot()) < 0.05)
        #expect(k[3] == 250 && abs(k[4] - 0.1) < 1e-7)
        #expect(abs(Double(k[5]) - (3.0 - 0.1)) < 1e-5)
        #expect(abs(Double(k[6]) - (3.0 + 0.1)) < 1e-5)
        #expect(abs(Double(k[7]) - (.pi - 0.1)) < 1e-5) // j1 + j2 points at φ = π
    }
}
