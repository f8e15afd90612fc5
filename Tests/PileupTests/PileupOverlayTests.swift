import Events
import Pileup
import Testing

/// The overlay of one event: N ~ Poisson(⟨N⟩) library events whose E_T is added, an event left
/// alone when N = 0, draws that depend only on (seed, channel, event index), and the hard
/// event's jets and MET kept on request.
@Suite struct PileupOverlayTests {
    /// Fifty one-tower min-bias events of 1 GeV, spread over the central calorimeter.
    static let library = MinimumBiasLibrary(
        towers: (0..<50).map { i in
            [Tower(et: 1, eta: Float(i % 10) * 0.3 - 1.5, phi: 0.4 * Float(i % 7) - 1.2)]
        })

    static func hardEvent() -> Event {
        Event(
            towers: [Tower(et: 30, eta: 0.2, phi: 1.0), Tower(et: 12, eta: -2.1, phi: -2.5)],
            jets: [Jet(pt: 100, eta: 0.2, phi: 1.0, mass: 5)], met: MissingET(value: 80, phi: -2.0), channel: .zQCD)
    }

    @Test func theMeanNIsTheRequestedMeanAndEveryLibraryGeVIsAdded() {
        var overlay = PileupOverlay(mean: 20, seed: 5)
        overlay.keepHardObjects = true
        let events = 2000
        var total = 0
        for index in 0..<events {
            var event = Self.hardEvent()
            var rng = overlay.stream(channel: .zQCD, eventIndex: index)
            let n = overlay.overlay(&event, library: Self.library, rng: &rng)
            total += n
            let sumET = event.towers.reduce(0.0) { $0 + Double($1.et) }
            #expect(abs(sumET - (42 + Double(n))) < 1e-3, "event \(index): Σ E_T \(sumET) with N = \(n)")
        }
        let meanN = Double(total) / Double(events)
        #expect(abs(meanN - 20) < 5 * (20 / Double(events)).squareRoot(), "⟨N⟩ = \(meanN)")
    }

    @Test func zeroMeanLeavesTheEventExactlyAsItWas() {
        let overlay = PileupOverlay(mean: 0, seed: 5)
        var event = Self.hardEvent()
        var rng = overlay.stream(channel: .zQCD, eventIndex: 3)
        #expect(overlay.overlay(&event, library: Self.library, rng: &rng) == 0)
        #expect(event == Self.hardEvent())
    }

    @Test func drawsDependOnlyOnSeedChannelAndEventIndex() {
        func overlaid(seed: UInt64, index: Int) -> Event {
            let overlay = PileupOverlay(mean: 20, seed: seed)
            var event = Self.hardEvent()
            var rng = overlay.stream(channel: .zQCD, eventIndex: index)
            _ = overlay.overlay(&event, library: Self.library, rng: &rng)
            return event
        }
        #expect(overlaid(seed: 5, index: 9) == overlaid(seed: 5, index: 9))
        #expect(overlaid(seed: 5, index: 9) != overlaid(seed: 5, index: 10))
        #expect(overlaid(seed: 5, index: 9) != overlaid(seed: 6, index: 9))
    }

    @Test func hardObjectsAreKeptOnRequestAndReclusteredOtherwise() {
        var keep = PileupOverlay(mean: 20, seed: 5)
        keep.keepHardObjects = true
        let recluster = PileupOverlay(mean: 20, seed: 5)
        var kept = Self.hardEvent(), reclustered = Self.hardEvent()
        var rngA = keep.stream(channel: .zQCD, eventIndex: 1), rngB = recluster.stream(channel: .zQCD, eventIndex: 1)
        #expect(keep.overlay(&kept, library: Self.library, rng: &rngA) > 0)
        _ = recluster.overlay(&reclustered, library: Self.library, rng: &rngB)
        #expect(kept.jets == Self.hardEvent().jets && kept.met == Self.hardEvent().met)
        #expect(kept.towers == reclustered.towers, "the same draws merge the same towers")
        #expect(reclustered.jets != Self.hardEvent().jets, "jets are rebuilt from the merged towers")
    }
}
