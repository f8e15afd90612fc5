import Events
import Foundation
import Selection
import Testing

/// Every cut on events built to sit just inside and just outside it.
@Suite struct BaselineSelectionTests {
    let selection = BaselineSelection(metCut: 200)

    /// Passes every cut: j1 (100, η 2), j2 (p2, η −1), same φ = 0; MET 300 at φ = π.
    static func base(p2: Float = 80) -> Event {
        Event(
            towers: [], jets: [Jet(pt: 100, eta: 2, phi: 0, mass: 0), Jet(pt: p2, eta: -1, phi: 0, mass: 0)],
            leptons: [], met: MissingET(value: 300, phi: .pi - 0.001), channel: .sEW)
    }

    func failure(_ e: Event) -> BaselineSelection.Cut? { selection.firstFailure(e) }

    @Test func baseEventPasses() { #expect(failure(Self.base()) == nil) }

    @Test func jetMultiplicityAndPt() {
        var e = Self.base()
        e.jets[0].pt = 80.01
        #expect(failure(e) == nil)
        e.jets[0].pt = 79.99
        e.jets[1].pt = 79.98
        #expect(failure(e) == .jets)
        e = Self.base(p2: 40.01)
        e.jets[1].eta = -3
        #expect(failure(e) == nil)
        e.jets[1].pt = 39.99
        #expect(failure(e) == .jets)
        e = Self.base()
        e.jets.removeLast()
        #expect(failure(e) == .jets)
    }

    @Test func leptonAndPhotonVetoes() {
        func with(_ o: RecoObject) -> Event {
            var e = Self.base()
            e.leptons = [o]
            return e
        }
        #expect(failure(with(RecoObject(pt: 10.01, eta: 2.49, phi: 0, pid: 11))) == .leptonVeto)
        #expect(failure(with(RecoObject(pt: 9.99, eta: 0, phi: 0, pid: 11))) == nil)
        #expect(failure(with(RecoObject(pt: 50, eta: 2.51, phi: 0, pid: 11))) == nil)
        #expect(failure(with(RecoObject(pt: 10.01, eta: -2.39, phi: 0, pid: 13))) == .leptonVeto)
        #expect(failure(with(RecoObject(pt: 50, eta: 2.41, phi: 0, pid: 13))) == nil)
        #expect(failure(with(RecoObject(pt: 15.01, eta: 2.49, phi: 0, pid: 22))) == .photonVeto)
        #expect(failure(with(RecoObject(pt: 14.99, eta: 0, phi: 0, pid: 22))) == nil)
        #expect(failure(with(RecoObject(pt: 50, eta: 2.51, phi: 0, pid: 22))) == nil)
    }

    @Test func metThreshold() {
        var e = Self.base()
        e.met.value = 200.01
        #expect(failure(e) == nil)
        e.met.value = 199.99
        #expect(failure(e) == .met)
        e.met.value = 249.99
        #expect(BaselineSelection(metCut: 250).firstFailure(e) == .met)
        e.met.value = 250.01
        #expect(BaselineSelection(metCut: 250).firstFailure(e) == nil)
    }

    @Test func minDeltaPhiOverUpToFourJets() {
        let metPhi = Float.pi - 0.001
        func with(_ extra: [Jet]) -> Event {
            var e = Self.base()
            e.jets += extra
            return e
        }
        // A third jet with pT > 30 at Δφ just below / above 0.5 from the MET (across ±π).
        #expect(failure(with([Jet(pt: 31, eta: 0.5, phi: metPhi + 0.49 - 2 * .pi, mass: 0)])) == .minDeltaPhi)
        #expect(failure(with([Jet(pt: 31, eta: 0.5, phi: metPhi + 0.51 - 2 * .pi, mass: 0)])) == nil)
        // Not counted: pT ≤ 30, |η| ≥ 4.7, or fifth leading jet.
        #expect(failure(with([Jet(pt: 29.9, eta: 0.5, phi: metPhi, mass: 0)])) == nil)
        #expect(failure(with([Jet(pt: 35, eta: 4.75, phi: metPhi, mass: 0)])) == nil)
        let far = Jet(pt: 35, eta: 0, phi: 0, mass: 0)
        #expect(failure(with([far, far, Jet(pt: 31, eta: 0, phi: metPhi, mass: 0)])) == nil)
        #expect(failure(with([far, Jet(pt: 31, eta: 0, phi: metPhi, mass: 0)])) == .minDeltaPhi)
    }

    @Test func jetRapidities() {
        var e = Self.base()
        e.jets[0].eta = 4.69
        #expect(failure(e) == nil)
        e.jets[0].eta = 4.71
        #expect(failure(e) == .jetEta)
        e = Self.base()
        e.jets[0].eta = 3.01
        e.jets[1].eta = -3.01
        #expect(failure(e) == .jetEta)
        e.jets[1].eta = -2.99
        #expect(failure(e) == nil)
        e = Self.base()
        e.jets[1].eta = 0.01
        e.jets[0].eta = 4.0
        #expect(failure(e) == .oppositeHemispheres)
        e.jets[1].eta = -0.01
        #expect(failure(e) == nil)
    }

    @Test func dijetCuts() {
        var e = Self.base()
        e.jets[1].phi = 1.49
        e.met.phi = 0.745 + .pi
        #expect(failure(e) == nil)
        e.jets[1].phi = 1.51
        e.met.phi = 0.755 + .pi
        #expect(failure(e) == .deltaPhiJJ)
        e = Self.base(p2: 250)
        e.jets[0].pt = 300
        e.jets[0].eta = 0.52
        e.jets[1].eta = -0.49
        #expect(failure(e) == nil)
        e.jets[0].eta = 0.5
        e.jets[1].eta = -0.48
        #expect(failure(e) == .deltaEtaJJ)
        // m_jj = 200 for p2 = 200² / (2 · 100 · (cosh 3 − 1)) at Δη = 3, Δφ = 0.
        let p2 = Float(40_000 / (2 * 100 * (cosh(3.0) - 1)))
        #expect(p2 < 40) // below the j2 threshold: use Δη = 2 instead
        let q2 = Float(40_000 / (2 * 100 * (cosh(2.0) - 1)))
        e = Self.base(p2: q2 * 1.001)
        e.jets[0].eta = 1
        e.jets[1].eta = -1
        #expect(failure(e) == nil)
        e.jets[1].pt = q2 * 0.999
        #expect(failure(e) == .mjj)
    }

    @Test func cutflowCountsCumulatively() {
        var flow = Cutflow()
        var failing = Self.base()
        failing.met.value = 100
        for e in [Self.base(), Self.base(), failing] { flow.record(e, selection) }
        #expect(flow.total(.sEW) == 3 && flow.selected(.sEW) == 2)
        #expect(flow.counts[0][BaselineSelection.Cut.met.rawValue] == 3)
        #expect(flow.counts[0][BaselineSelection.Cut.met.rawValue + 1] == 2)
    }

    @Test func summaryCountsTheJetsOfSelectedEventsOnly() {
        var summary = SampleSummary(selection: selection)
        var three = Self.base()
        // Counted: p_T > 30 and |η| < 4.7; not counted: 25 GeV, |η| = 4.8. Far in φ from the MET.
        three.jets += [
            Jet(pt: 50, eta: 4.8, phi: 0.1, mass: 0), Jet(pt: 35, eta: 4.5, phi: 0.1, mass: 0),
            Jet(pt: 25, eta: 0, phi: 0.1, mass: 0),
        ]
        var failing = three
        failing.met.value = 100
        for e in [Self.base(), three, three, failing] { summary.add(e) }
        #expect(summary.jetCounts == [2, 3, 3])
        let st = summary.jetStatistics(channel: .sEW)
        #expect(st?.median == 3 && abs((st?.mean ?? 0) - 8.0 / 3) < 1e-12)
        #expect(summary.jetStatistics(channel: .zQCD) == nil)
        #expect(summary.report().contains("n_jets(pT>30)      S_EW=3/2.67/0.471"), "\(summary.report())")
    }
}
