import Events
import Foundation
import Selection

/// The event observables the fidelity harness compares, for an event that passed the baseline
/// selection: the paper's K (8) and R (16, Σ E_T of the towers with |η| < η_C) features from
/// `Selection.Features`, then the tagging jets, the jet multiplicities, the third jet, the tower
/// count and the activity in the rapidity gap. An observable that does not exist in an event
/// (the third jet's when there is none) is NaN.
public enum Observables {
    /// Names of the observables that are not K or R features, in order.
    public static let extraNames = [
        "pT_j1", "eta_j1", "pT_j2", "eta_j2", "n_jets(pT>20)", "n_jets(pT>30)",
        "pT_j3", "eta_j3", "z_j3", "n_towers(ET>1)", "ET_gap",
    ]
    /// Names of every observable, in order (K, R, extras).
    public static let names = FeatureNames.k + FeatureNames.r + extraNames
    /// The number of observables.
    public static var count: Int { names.count }

    /// Third-jet and multiplicity thresholds (GeV): jets above `softJetPt` count as the third
    /// jet and in `n_jets(pT>20)`; `hardJetPt` is the threshold of the selection's min Δφ jets.
    public static let softJetPt: Float = 20, hardJetPt: Float = 30
    /// Towers above this E_T (GeV) are counted in `n_towers(ET>1)`.
    public static let towerThreshold: Float = 1
    /// Towers within this ΔR of a tagging jet's axis are not in the gap (the jets' anti-kt radius).
    public static let gapExclusionRadius = 0.5

    /// Whether an observable is a count (histogrammed with unit bins).
    public static func isCount(_ index: Int) -> Bool { names[index].hasPrefix("n_") }

    /// The observables of a selected event (it has at least two jets).
    public static func compute(_ event: Event) -> [Float] {
        var values = Features.h(event)
        let jets = event.jets
        let j1 = jets[0], j2 = jets[1]
        let central = jets.filter { abs($0.eta) < 4.7 }
        values += [
            j1.pt, j1.eta, j2.pt, j2.eta,
            Float(central.filter { $0.pt > softJetPt }.count), Float(central.filter { $0.pt > hardJetPt }.count),
        ]
        if jets.count > 2, jets[2].pt > softJetPt {
            let j3 = jets[2]
            let z = (j3.eta - 0.5 * (j1.eta + j2.eta)) / max(abs(j1.eta - j2.eta), 1e-3)
            values += [j3.pt, j3.eta, z]
        } else {
            values += [.nan, .nan, .nan]
        }
        let lo = min(j1.eta, j2.eta), hi = max(j1.eta, j2.eta)
        let r2 = gapExclusionRadius * gapExclusionRadius
        var towers = 0, gap = 0.0
        for t in event.towers {
            if t.et > towerThreshold { towers += 1 }
            guard t.eta > lo, t.eta < hi else { continue }
            let e = Double(t.eta), p = Double(t.phi)
            if Kinematics.deltaR2(e, p, Double(j1.eta), Double(j1.phi)) < r2
                || Kinematics.deltaR2(e, p, Double(j2.eta), Double(j2.phi)) < r2
            {
                continue
            }
            gap += Double(t.et)
        }
        values += [Float(towers), Float(gap)]
        return values
    }

    /// The classifier's input for one event: NaN (a missing third jet) becomes `missingValue`
    /// of that observable, so that the network sees "no third jet" as a value of its own.
    public static func classifierInput(_ values: [Float]) -> [Float] {
        values.enumerated().map { i, v in v.isNaN ? missingValue(i) : v }
    }

    /// The stand-in for a missing value: p_T 0, η and z far outside the detector (±10 → 10).
    static func missingValue(_ index: Int) -> Float { names[index].hasPrefix("pT") ? 0 : 10 }
}
