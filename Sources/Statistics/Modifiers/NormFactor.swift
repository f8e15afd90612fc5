/// `normfactor`: a free factor θ on the whole sample (unconstrained, default bounds [0, 10],
/// initial value 1). The parameter of interest μ is one.
extension ModelBuilder {
    mutating func addNormFactor(_ name: String, to slot: SampleSlot) {
        let p = parameter(name) { Self.scalar(name, initial: 1, bounds: 0...10, constraint: .none, aux: 0) }
        multiply(slot, parameter: p)
    }
}
