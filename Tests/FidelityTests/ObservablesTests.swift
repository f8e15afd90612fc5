import Events
import Foundation
import HDF5
import Selection
import TestSupport
import Testing

@testable import Fidelity

/// The observables of a hand-made event against values worked out by hand, and the
/// one-dimensional statistics against direct computations.
@Suite struct ObservablesTests {
    /// Three jets, MET back to back with the tagging jets, towers inside and outside the gap.
    static let event = Event(
        towers: [
            Tower(et: 50, eta: -1.8, phi: 0.1), // in j2's cone: not gap
            Tower(et: 3, eta: 0.5, phi: 2.0), // gap
            Tower(et: 0.8, eta: 1.0, phi: -2.0), // gap, below the count threshold
            Tower(et: 7, eta: 4.5, phi: 1.0),
        ], // outside the gap
        jets: [
            Jet(pt: 120, eta: 2.5, phi: 0, mass: 10), Jet(pt: 60, eta: -2, phi: 0.2, mass: 8),
            Jet(pt: 25, eta: 1.0, phi: 2.5, mass: 3), Jet(pt: 21, eta: 4.8, phi: 1, mass: 2),
        ],
        met: MissingET(value: 250, phi: 3.0), channel: .sEW)

    @Test func handMadeEvent() {
        let v = Observables.compute(Self.event)
        #expect(v.count == Observables.count)
        func value(_ name: String) -> Float { v[Observables.names.firstIndex(of: name)!] }
        #expect(Array(v[0..<8]) == Features.k(Self.event))
        #expect(Array(v[8..<24]) == Features.r(Self.event))
        #expect(value("pT_j1") == 120 && value("eta_j1") == 2.5 && value("pT_j2") == 60 && value("eta_j2") == -2)
        #expect(value("n_jets(pT>20)") == 3) // the 4.8 jet is outside |η| < 4.7
        #expect(value("n_jets(pT>30)") == 2)
        #expect(value("pT_j3") == 25 && value("eta_j3") == 1)
        #expect(abs(value("z_j3") - (1 - 0.25) / 4.5) < 1e-6)
        #expect(value("n_towers(ET>1)") == 3)
        #expect(abs(value("ET_gap") - 3.8) < 1e-5)
    }

    @Test func missingThirdJetIsNaNAndItsStandIn() {
        var e = Self.event
        e.jets = Array(e.jets.prefix(2))
        let v = Observables.compute(e)
        let j3 = ["pT_j3", "eta_j3", "z_j3"].map { Observables.names.firstIndex(of: $0)! }
        #expect(j3.allSatisfy { v[$0].isNaN })
        let input = Observables.classifierInput(v)
        #expect(input[j3[0]] == 0 && input[j3[1]] == 10 && input[j3[2]] == 10)
        #expect(!input.contains { $0.isNaN })
    }

    @Test func mediansAndKSAgainstDirectComputation() throws {
        #expect(TwoSampleStatistics.median([3, 1, 2]) == 2)
        #expect(TwoSampleStatistics.median([4, 1, 3, 2]) == 2.5)
        #expect(TwoSampleStatistics.median([]) == nil)
        // KS: the sup over every sample point of |F_a − F_b|, computed directly (O(n²)), with ties.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let a = (0..<57).map { _ in Float(Int.random(in: 0..<30, using: &rng)) / 3 }
            let b = (0..<41).map { _ in Float(Int.random(in: 5..<40, using: &rng)) / 3 }
            var direct = 0.0
            for x in a + b {
                let fa = Double(a.filter { $0 <= x }.count) / Double(a.count)
                let fb = Double(b.filter { $0 <= x }.count) / Double(b.count)
                direct = max(direct, abs(fa - fb))
            }
            #expect(abs(TwoSampleStatistics.ksDistance(a, b) - direct) < 1e-12)
        }
        #expect(TwoSampleStatistics.ksDistance([1, 2], [3, 4]) == 1)
        // Single-value AUC: disjoint samples 1 either way round, identical samples ½.
        #expect(try TwoSampleStatistics.singleValueAUC([1, 2], [3, 4]) == 1)
        #expect(try TwoSampleStatistics.singleValueAUC([3, 4], [1, 2]) == 1)
        #expect(try TwoSampleStatistics.singleValueAUC([1, 2, 3], [1, 2, 3]) == 0.5)
    }

    @Test func observablesFileRoundTripAndErrors() throws {
        let dir = TestPaths.temporaryDirectory("fidelity")
        let path = dir.appendingPathComponent("obs.h5").path
        let sample = FidelitySample(
            channel: .zQCD, observables: [Observables.compute(Self.event), Observables.compute(Self.event)],
            offered: 17)
        try ObservablesFile.write([sample], generator: "hand made", to: path)
        let (generator, samples) = try ObservablesFile.read(path)
        #expect(generator == "hand made")
        #expect(samples.count == 1 && samples[0].channel == .zQCD && samples[0].offered == 17)
        for (x, y) in zip(samples[0].observables[0], sample.observables[0]) {
            #expect(x == y || abs(x - y) <= abs(y) * 0.0003, "stored \(x) for \(y)")
        }
        let wrong = dir.appendingPathComponent("wrong.h5").path
        try HDF5File.writeAtomically(to: wrong) { try $0.setAttribute("format", "vbfgrid.events") }
        do {
            _ = try ObservablesFile.read(wrong)
            Issue.record("a file of another format must fail")
        } catch {
            #expect("\(error)".contains("wrong.h5") && "\(error)".contains("/@format"))
        }
        do {
            _ = try SampleLoader.load(dir.appendingPathComponent("nothing").path, channels: [.zQCD], keepImages: false)
            Issue.record("a missing reference must fail")
        } catch {
            #expect("\(error)".contains("nothing"))
        }
    }
}
