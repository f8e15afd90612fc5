/// Checks of the plain model form, with errors naming the field (e.g. `samples[2].sumw2`).
extension HistFactoryModel {
    /// Throws `StatisticsError.invalidModel` for the first problem found; `source` names the file
    /// and `prefix` the enclosing field (e.g. "simple").
    public func validate(source: String = "model", prefix: String = "") throws {
        func field(_ f: String) -> String { prefix.isEmpty ? f : "\(prefix).\(f)" }
        func fail(_ f: String, _ reason: String) -> StatisticsError {
            .invalidModel(source: source, field: field(f), reason: reason)
        }
        guard !samples.isEmpty else { throw fail("samples", "the channel has no samples") }
        guard samples.contains(where: \.isSignal) else { throw fail("samples", "no sample has is_signal = true") }
        guard samples.contains(where: { !$0.isSignal }) else { throw fail("samples", "no background sample") }
        let bins = samples[0].counts.count
        guard bins > 0 else { throw fail("samples[0].counts", "the sample has no bins") }
        func checkCounts(_ values: [Double], _ f: String) throws {
            guard values.count == bins else { throw fail(f, "has \(values.count) bins, expected \(bins)") }
            if let bad = values.firstIndex(where: { !$0.isFinite || $0 < 0 }) {
                throw fail("\(f)[\(bad)]", "value \(values[bad]) is not a finite number ≥ 0")
            }
        }
        for (i, s) in samples.enumerated() {
            let base = "samples[\(i)]"
            try checkCounts(s.counts, "\(base).counts")
            if let w = s.sumw2 { try checkCounts(w, "\(base).sumw2") }
            if let u = s.xsecUncertainty, !(u >= 0 && u < 1) {
                throw fail("\(base).xsec_unc", "\(u) is not in [0, 1)")
            }
            switch (s.shapeUp, s.shapeDown) {
            case (nil, nil): break
            case let (up?, down?):
                try checkCounts(up, "\(base).shape_up")
                try checkCounts(down, "\(base).shape_down")
            case (nil, _): throw fail("\(base).shape_up", "missing while shape_down is given")
            case (_, nil): throw fail("\(base).shape_down", "missing while shape_up is given")
            }
        }
        if let u = lumiUncertainty, !(u > 0 && u < 0.2) { throw fail("lumi_unc", "\(u) is not in (0, 0.2)") }
        if let d = data { try checkCounts(d, "data") }
        guard muBounds.lowerBound == 0, muBounds.upperBound > 0 else {
            throw fail(
                "mu_bounds", "expected [0, hi] with hi > 0, got [\(muBounds.lowerBound), \(muBounds.upperBound)]")
        }
    }
}
