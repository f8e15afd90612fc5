/// `shapesys`: an uncorrelated per-bin factor γ_b on one sample with the Poisson constraint
/// Pois(τ_b | γ_b τ_b), τ_b = (n_b/σ_b)², as pyhf. Bins with σ_b = 0 or n_b = 0 have γ_b fixed
/// to 1. Bounds [1e-10, 10].
extension ModelBuilder {
    mutating func addShapeSys(_ name: String, uncertainties: [Double], to slot: SampleSlot, field: String) throws {
        try checkBins(uncertainties, count: slot.nominal.count, field: "\(field).data")
        for (b, bin) in slot.channelBins.enumerated() {
            let n = slot.nominal[b], sigma = uncertainties[b]
            let tau = n > 0 && sigma > 0 ? (n / sigma) * (n / sigma) : 0
            let p = parameter("\(name)[\(bin)]") {
                Parameter(
                    name: "\(name)[\(bin)]", initial: 1, lower: 1e-10, upper: 10, fixed: !(tau > 0),
                    constraint: .poisson(tau: tau > 0 ? tau : 1), auxNominal: tau > 0 ? tau : 1,
                    setName: name, component: bin)
            }
            terms[slot.terms.lowerBound + b].factors.append(Factor(parameter: p, code4: -1))
        }
    }
}
