/// `staterror` (Barlow–Beeston lite): one γ_b per bin shared by all samples carrying the same
/// name, factor γ_b, constraint G(1 | γ_b, δ_b) with δ_b = √(Σσ²)/Σn over those samples
/// (σ is the modifier's data, √Σw²). Bins with δ_b = 0, or with Σn = 0, have γ_b fixed to 1.
/// Bounds [1e-10, 10]. No pruning threshold.
extension ModelBuilder {
    /// First pass: accumulates Σσ² and Σn per bin for every staterror set.
    mutating func collectStatError(_ name: String, uncertainties: [Double], slot: SampleSlot, field: String) throws {
        try checkBins(uncertainties, count: slot.nominal.count, field: "\(field).data")
        var sums = statErrorSums[name] ?? [:]
        for (b, bin) in slot.channelBins.enumerated() {
            let old = sums[bin] ?? (0, 0)
            sums[bin] = (old.sigma2 + uncertainties[b] * uncertainties[b], old.nominal + slot.nominal[b])
        }
        statErrorSums[name] = sums
    }

    /// Second pass: factor γ_b on each bin of the sample.
    mutating func addStatError(_ name: String, to slot: SampleSlot) {
        let sums = statErrorSums[name] ?? [:]
        for (b, bin) in slot.channelBins.enumerated() {
            let (sigma2, nominal) = sums[bin] ?? (0, 0)
            let delta = nominal > 0 ? sigma2.squareRoot() / nominal : 0
            let p = parameter("\(name)[\(bin)]") {
                Parameter(
                    name: "\(name)[\(bin)]", initial: 1, lower: 1e-10, upper: 10, fixed: !(delta > 0),
                    constraint: .gaussian(sigma: delta > 0 ? delta : 1), auxNominal: 1, setName: name, component: bin)
            }
            terms[slot.terms.lowerBound + b].factors.append(Factor(parameter: p, code4: -1))
        }
    }
}
