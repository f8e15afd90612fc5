/// `histosys`: an additive per-bin shape variation Δ(α) interpolated with code 4p between the
/// sample's −1σ (`lo_data`) and +1σ (`hi_data`) yields; α is shared by every sample carrying
/// the same name and constrained by G(0 | α, 1), bounds [−5, 5].
extension ModelBuilder {
    mutating func addHistoSys(_ name: String, lo: [Double], hi: [Double], to slot: SampleSlot, field: String) throws {
        try checkBins(lo, count: slot.nominal.count, field: "\(field).data.lo_data", nonNegative: false)
        try checkBins(hi, count: slot.nominal.count, field: "\(field).data.hi_data", nonNegative: false)
        let p = parameter(name) {
            Self.scalar(name, initial: 0, bounds: -5...5, constraint: .gaussian(sigma: 1), aux: 0)
        }
        for (b, t) in slot.terms.enumerated() {
            terms[t].additives.append(
                Additive(parameter: p, code4p: Code4p(nominal: slot.nominal[b], up: hi[b], down: lo[b])))
        }
    }
}
