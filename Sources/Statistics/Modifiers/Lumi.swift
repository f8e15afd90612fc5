/// `lumi`: one factor λ on every sample that carries it, with the Gaussian constraint
/// G(aux | λ, σ); σ (`sigmas`) and aux (`auxdata`, default 1) come from the measurement.
extension ModelBuilder {
    mutating func addLumi(_ name: String, to slot: SampleSlot) {
        // σ is NaN until the measurement supplies it; `StatisticalModel` rejects a missing σ.
        let p = parameter(name) {
            Self.scalar(name, initial: 1, bounds: 0...10, constraint: .gaussian(sigma: .nan), aux: 1)
        }
        multiply(slot, parameter: p)
    }
}
