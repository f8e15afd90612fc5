/// The one-channel model the analysis builds from histograms (the reference cases' `simple`
/// form): samples, a luminosity uncertainty, and the data (by default the background-only
/// Asimov counts). `workspace()` encodes it exactly as the reference workspaces do:
/// μ (`normfactor` "mu") on signal samples, `lumi` on every sample, `normsys`
/// "alpha_xsec_<sample>", one shared `staterror` "mcstat" with data √Σw², one shared `histosys`
/// "alpha_JES".
public struct HistFactoryModel: Codable, Sendable, Equatable {
    public var samples: [Sample]
    /// Relative luminosity uncertainty; nil means no lumi modifier.
    public var lumiUncertainty: Double?
    /// Observed counts per bin; nil means the background-only Asimov counts Σ_bkg n.
    public var data: [Double]?
    /// Bounds of μ (the lower bound is 0 for q̃_μ).
    public var muBounds: ClosedRange<Double>
    public var channelName: String

    public init(
        samples: [Sample], lumiUncertainty: Double?, data: [Double]? = nil,
        muBounds: ClosedRange<Double> = 0...10, channelName: String = "vbf_sr"
    ) {
        self.samples = samples
        self.lumiUncertainty = lumiUncertainty
        self.data = data
        self.muBounds = muBounds
        self.channelName = channelName
    }

    enum CodingKeys: String, CodingKey {
        case samples, data
        case lumiUncertainty = "lumi_unc"
        case muBounds = "mu_bounds"
        case channelName = "channel"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        samples = try c.decode([Sample].self, forKey: .samples)
        lumiUncertainty = try c.decodeIfPresent(Double.self, forKey: .lumiUncertainty)
        data = try c.decodeIfPresent([Double].self, forKey: .data)
        let bounds = try c.decodeIfPresent([Double].self, forKey: .muBounds) ?? [0, 10]
        guard bounds.count == 2, bounds[0] <= bounds[1] else {
            throw DecodingError.dataCorruptedError(
                forKey: .muBounds, in: c, debugDescription: "expected [lo, hi] with lo ≤ hi")
        }
        muBounds = bounds[0]...bounds[1]
        channelName = try c.decodeIfPresent(String.self, forKey: .channelName) ?? "vbf_sr"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(samples, forKey: .samples)
        try c.encode(lumiUncertainty, forKey: .lumiUncertainty)
        try c.encodeIfPresent(data, forKey: .data)
        try c.encode([muBounds.lowerBound, muBounds.upperBound], forKey: .muBounds)
        try c.encode(channelName, forKey: .channelName)
    }

    /// Names used in the workspace encoding.
    public static let poiName = "mu"
    public static let lumiName = "lumi"
    public static let statErrorName = "mcstat"
    public static let shapeName = "alpha_JES"

    /// The background-only Asimov counts Σ_bkg n per bin.
    public var backgroundOnlyCounts: [Double] {
        var total = [Double](repeating: 0, count: samples.first?.counts.count ?? 0)
        for s in samples where !s.isSignal {
            for (b, n) in s.counts.enumerated() where b < total.count { total[b] += n }
        }
        return total
    }

    /// The model as a pyhf workspace with one channel and one measurement.
    public func workspace() -> Workspace {
        let source = samples.map { s -> Workspace.SampleData in
            var modifiers: [Modifier] = []
            if let up = s.shapeUp, let down = s.shapeDown {
                modifiers.append(.histosys(name: Self.shapeName, lo: down, hi: up))
            }
            if let sumw2 = s.sumw2 {
                modifiers.append(.staterror(name: Self.statErrorName, uncertainties: sumw2.map { $0.squareRoot() }))
            }
            if let u = s.xsecUncertainty {
                modifiers.append(.normsys(name: "alpha_xsec_\(s.name)", lo: 1 - u, hi: 1 + u))
            }
            if lumiUncertainty != nil { modifiers.append(.lumi(name: Self.lumiName)) }
            if s.isSignal { modifiers.append(.normfactor(name: Self.poiName)) }
            return Workspace.SampleData(name: s.name, data: s.counts, modifiers: modifiers)
        }
        var parameters = [
            Workspace.ParameterSetting(
                name: Self.poiName, bounds: [[muBounds.lowerBound, muBounds.upperBound]],
                inits: [1])
        ]
        if let u = lumiUncertainty {
            parameters.append(
                .init(name: Self.lumiName, bounds: [[1 - 5 * u, 1 + 5 * u]], inits: [1], auxdata: [1], sigmas: [u]))
        }
        return Workspace(
            channels: [.init(name: channelName, samples: source)],
            observations: [.init(name: channelName, data: data ?? backgroundOnlyCounts)],
            measurements: [.init(name: "expected_limit", config: .init(poi: Self.poiName, parameters: parameters))])
    }
}
