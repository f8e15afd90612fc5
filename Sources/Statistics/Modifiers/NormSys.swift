/// `normsys`: a normalisation factor κ(α) interpolated with code 4 between lo and hi, with
/// α constrained by G(0 | α, 1), bounds [−5, 5].
extension ModelBuilder {
    mutating func addNormSys(_ name: String, lo: Double, hi: Double, to slot: SampleSlot, field: String) throws {
        let code: Code4
        do { code = try Code4(lo: lo, hi: hi) } catch {
            throw invalid("\(field).data", "normsys needs lo > 0 and hi > 0, got lo = \(lo), hi = \(hi)")
        }
        let p = parameter(name) {
            Self.scalar(name, initial: 0, bounds: -5...5, constraint: .gaussian(sigma: 1), aux: 0)
        }
        multiply(slot, parameter: p, code4: code)
    }
}
