import Events
import Foundation
import TestSupport
import Testing

@testable import Fidelity

/// The classifier two-sample test on real fastsim events: samples of the same generator must
/// look alike (AUC ≈ 0.5), a distorted sample must not.
///
/// The spread bound: with n = 600 events per sample, a held-out fold has 120 + 120 events, and
/// under the null hypothesis (same distribution) its AUC is the Mann–Whitney statistic with
/// standard deviation √((n₁ + n₂ + 1) / (12 n₁ n₂)) = 0.037; the mean of 5 folds has about
/// 0.017. The tests allow |mean − 0.5| ≤ 0.06 (3.5 σ) and every fold within 0.5 ± 0.15 (4 σ).
@Suite struct ClassifierTestTests {
    static let n = 600
    static let reference = FastSimSamples.sample(.sEW, seed: 11, selected: n)
    static let settings = FidelitySettings(folds: 5, eventEpochs: 30, seed: 3, images: false)

    @Test func sameGeneratorGivesHalf() throws {
        let other = FastSimSamples.sample(.sEW, seed: 12, selected: Self.n)
        let result = try ChannelFidelity.compare(fastsim: other, reference: Self.reference, settings: Self.settings)
        let auc = result.eventAUC
        #expect(auc.folds.count == 5 && auc.eventsPerSample == Self.n)
        #expect(abs(auc.mean - 0.5) <= 0.06, "same-generator AUC \(auc.mean) ± \(auc.spread)")
        #expect(auc.folds.allSatisfy { abs($0 - 0.5) <= 0.15 }, "fold AUCs \(auc.folds)")
        // Every observable alike too: KS below the 0.1% critical value 1.95·√(2/n) = 0.11.
        for o in result.observables { #expect(o.ks < 0.11, "\(o.name) KS \(o.ks)") }
    }

    @Test func distortedMETIsFound() throws {
        let distorted = FastSimSamples.sample(.sEW, seed: 12, selected: Self.n) { $0.met.value *= 1.2 }
        let result = try ChannelFidelity.compare(fastsim: distorted, reference: Self.reference, settings: Self.settings)
        #expect(result.eventAUC.mean >= 0.65, "MET × 1.2 gives AUC \(result.eventAUC.mean)")
        #expect(result.worst.first == "met", "worst observables \(result.worst)")
        let met = try #require(result.observables.first { $0.name == "met" })
        let ratio = try #require(met.fastsimMedian) / #require(met.referenceMedian)
        #expect(ratio > 1.1 && ratio < 1.3, "median met ratio \(ratio)")
    }

    @Test func determinism() throws {
        let a = FastSimSamples.sample(.zQCD, seed: 5, selected: 100),
            b = FastSimSamples.sample(.zQCD, seed: 6, selected: 100)
        let settings = FidelitySettings(folds: 2, eventEpochs: 3, seed: 9, images: false)
        #expect(
            try ChannelFidelity.compare(fastsim: a, reference: b, settings: settings)
                == ChannelFidelity.compare(fastsim: a, reference: b, settings: settings))
    }

    @Test func tooFewEventsIsAnError() {
        let a = FastSimSamples.sample(.sEW, seed: 5, selected: 10)
        #expect(throws: FidelityError.self) {
            try ChannelFidelity.compare(fastsim: a, reference: a, settings: FidelitySettings(images: false))
        }
    }
}
