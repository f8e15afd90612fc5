/// A compiled HistFactory likelihood: the expected count of global bin b is
/// ν_b = Σ_s (n_sb + Σ_h Δ_sbh(α_h)) · Π_k f_sbk(θ), with the factors f (normfactor, lumi,
/// normsys, staterror, shapesys) and additive variations Δ (histosys) of `Modifiers/`.
/// Stored flat (one entry per (sample, bin) term) for fast evaluation.
public struct StatisticalModel: Sendable {
    public let parameters: [Parameter]
    /// Index of the parameter of interest in `parameters`.
    public let poi: Int
    /// Number of main-measurement bins (all channels).
    public let binCount: Int
    /// The observed data of the workspace.
    public let observed: Dataset

    let termBin: [Int]
    let termNominal: [Double]
    let factorOffsets: [Int]
    let factorParameter: [Int]
    /// Index into `code4s`, or −1 for a linear factor θ.
    let factorCode: [Int]
    let additiveOffsets: [Int]
    let additiveParameter: [Int]
    let additiveCode: [Code4p]
    let code4s: [Code4]
    /// The largest number of multiplicative factors on one term.
    let maxFactorsPerTerm: Int

    /// The parameters of additive (histosys) variations, in which the NLL may be non-convex.
    public let shapeParameters: [Int]

    /// The initial parameter values.
    public var initial: [Double] { parameters.map(\.initial) }

    /// The model of a plain-form (simple) description.
    public init(_ model: HistFactoryModel, source: String = "model") throws {
        try model.validate(source: source)
        try self.init(workspace: model.workspace(), source: source)
    }

    /// Compiles `workspace` with measurement `measurement` (default: the first one).
    public init(workspace: Workspace, measurement: String? = nil, source: String = "workspace") throws {
        var builder = ModelBuilder(source: source)
        let ws = workspace
        guard !ws.channels.isEmpty else { throw builder.invalid("channels", "the workspace has no channels") }
        let chosen: Workspace.Measurement
        if let measurement {
            guard let m = ws.measurements.first(where: { $0.name == measurement }) else {
                throw builder.invalid("measurements", "no measurement named '\(measurement)'")
            }
            chosen = m
        } else {
            guard let m = ws.measurements.first else {
                throw builder.invalid("measurements", "the workspace has no measurement")
            }
            chosen = m
        }

        // Lay out the bins and terms.
        var slots: [[ModelBuilder.SampleSlot]] = []
        var observedMain: [Double] = []
        var bin = 0
        for (c, channel) in ws.channels.enumerated() {
            let field = "channels[\(c)]"
            guard !channel.samples.isEmpty else {
                throw builder.invalid("\(field).samples", "channel '\(channel.name)' has no samples")
            }
            let bins = channel.samples[0].data.count
            guard bins > 0 else {
                throw builder.invalid("\(field).samples[0].data", "channel '\(channel.name)' has no bins")
            }
            var channelSlots: [ModelBuilder.SampleSlot] = []
            for (s, sample) in channel.samples.enumerated() {
                let sf = "\(field).samples[\(s)]"
                try builder.checkBins(sample.data, count: bins, field: "\(sf).data", nonNegative: false)
                let start = builder.terms.count
                for b in 0..<bins { builder.terms.append(.init(bin: bin + b, nominal: sample.data[b])) }
                channelSlots.append(
                    .init(
                        terms: start..<builder.terms.count, nominal: sample.data,
                        channelBins: bin..<(bin + bins), field: sf))
            }
            guard let obs = ws.observations.firstIndex(where: { $0.name == channel.name }) else {
                throw builder.invalid("observations", "no observation for channel '\(channel.name)'")
            }
            try builder.checkBins(ws.observations[obs].data, count: bins, field: "observations[\(obs)].data")
            observedMain += ws.observations[obs].data
            slots.append(channelSlots)
            bin += bins
        }

        // The POI first, then the modifiers (staterror sums need a pass of their own).
        let poiName = chosen.config.poi
        for (c, channel) in ws.channels.enumerated() {
            for (s, sample) in channel.samples.enumerated() {
                for (m, modifier) in sample.modifiers.enumerated() {
                    if case let .staterror(name, u) = modifier {
                        try builder.collectStatError(
                            name, uncertainties: u, slot: slots[c][s],
                            field: "\(slots[c][s].field).modifiers[\(m)]")
                    }
                    if case let .normfactor(name) = modifier, name == poiName {
                        _ = builder.parameter(name) {
                            ModelBuilder.scalar(name, initial: 1, bounds: 0...10, constraint: .none, aux: 0)
                        }
                    }
                }
            }
        }
        guard let poi = builder.index[poiName] else {
            throw builder.invalid("measurements[].config.poi", "the POI '\(poiName)' is not a normfactor of any sample")
        }
        for (c, channel) in ws.channels.enumerated() {
            for (s, sample) in channel.samples.enumerated() {
                for (m, modifier) in sample.modifiers.enumerated() {
                    try builder.apply(modifier, to: slots[c][s], field: "\(slots[c][s].field).modifiers[\(m)]")
                }
            }
        }
        try Self.applySettings(chosen.config.parameters, to: &builder)

        parameters = builder.parameters
        self.poi = poi
        binCount = bin
        observed = Dataset(main: observedMain, aux: builder.parameters.map(\.auxNominal))
        termBin = builder.terms.map(\.bin)
        termNominal = builder.terms.map(\.nominal)
        var fo = [0], fp: [Int] = [], fc: [Int] = [], ao = [0], ap: [Int] = [], ac: [Code4p] = []
        for t in builder.terms {
            for f in t.factors {
                fp.append(f.parameter)
                fc.append(f.code4)
            }
            fo.append(fp.count)
            for a in t.additives {
                ap.append(a.parameter)
                ac.append(a.code4p)
            }
            ao.append(ap.count)
        }
        factorOffsets = fo
        factorParameter = fp
        factorCode = fc
        additiveOffsets = ao
        additiveParameter = ap
        additiveCode = ac
        code4s = builder.code4s
        maxFactorsPerTerm = builder.terms.map(\.factors.count).max() ?? 0
        shapeParameters = Array(Set(ap)).sorted().filter { !builder.parameters[$0].fixed }

        let nominal = expected(initial)
        if let bad = nominal.firstIndex(where: { !($0 >= 0) }) {
            throw builder.invalid(
                "channels", "the nominal expected count of bin \(bad) is \(nominal[bad]) (must be ≥ 0)")
        }
    }

    /// Applies a measurement's parameter settings (bounds, inits, fixed, auxdata, sigmas).
    private static func applySettings(_ settings: [Workspace.ParameterSetting], to builder: inout ModelBuilder) throws {
        for (k, setting) in settings.enumerated() {
            let field = "measurements[].config.parameters[\(k)]"
            let members = builder.parameters.indices.filter { builder.parameters[$0].setName == setting.name }
            guard !members.isEmpty else { continue }
            for (j, p) in members.enumerated() {
                func pick<T>(_ list: [T]?, _ name: String) throws -> T? {
                    guard let list else { return nil }
                    if list.count == 1 { return list[0] }
                    guard j < list.count else {
                        throw builder.invalid(
                            "\(field).\(name)", "has \(list.count) entries, expected \(members.count)")
                    }
                    return list[j]
                }
                if let b = try pick(setting.bounds, "bounds") {
                    guard b.count == 2, b[0] <= b[1] else {
                        throw builder.invalid("\(field).bounds", "expected [lo, hi] with lo ≤ hi")
                    }
                    builder.parameters[p].lower = b[0]
                    builder.parameters[p].upper = b[1]
                }
                if let v = try pick(setting.inits, "inits") { builder.parameters[p].initial = v }
                if let fixed = setting.fixed { builder.parameters[p].fixed = fixed }
                if let a = try pick(setting.auxdata, "auxdata") { builder.parameters[p].auxNominal = a }
                if let sigma = try pick(setting.sigmas, "sigmas") {
                    guard sigma > 0 else { throw builder.invalid("\(field).sigmas", "must be > 0") }
                    builder.parameters[p].constraint = .gaussian(sigma: sigma)
                }
            }
        }
        for p in builder.parameters {
            if case let .gaussian(sigma) = p.constraint, sigma.isNaN {
                throw builder.invalid(
                    "measurements[].config.parameters",
                    "lumi parameter '\(p.name)' needs 'sigmas' (and 'auxdata') in the measurement")
            }
        }
    }
}
