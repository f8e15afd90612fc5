/// Changing the luminosity of a plain-form model: yields (counts, shape variations, data) scale
/// with L; the MC statistical relative errors do not (Σw² scales with L², so √Σw²/n is kept).
extension HistFactoryModel {
    /// The model at `factor` times its luminosity (e.g. 140/36).
    public func scaled(luminosityFactor factor: Double) -> HistFactoryModel {
        var copy = self
        copy.samples = samples.map { s in
            var t = s
            t.counts = s.counts.map { $0 * factor }
            t.sumw2 = s.sumw2?.map { $0 * factor * factor }
            t.shapeUp = s.shapeUp?.map { $0 * factor }
            t.shapeDown = s.shapeDown?.map { $0 * factor }
            return t
        }
        copy.data = data?.map { $0 * factor }
        return copy
    }
}
