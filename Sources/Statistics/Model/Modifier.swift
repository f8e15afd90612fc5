/// One HistFactory modifier of a sample, as in pyhf's JSON (`{"type", "name", "data"}`).
/// How each kind enters the likelihood is in `Modifiers/` (one file per kind).
public enum Modifier: Sendable, Equatable {
    /// A free normalisation factor (the signal strength μ is one).
    case normfactor(name: String)
    /// The luminosity factor λ, Gaussian-constrained with the width given in the measurement.
    case lumi(name: String)
    /// A normalisation uncertainty interpolated with code 4 between `lo` and `hi`.
    case normsys(name: String, lo: Double, hi: Double)
    /// A shape uncertainty: the sample's yields at −1σ (`lo`) and +1σ (`hi`), code 4p.
    case histosys(name: String, lo: [Double], hi: [Double])
    /// Barlow–Beeston-lite MC statistical uncertainty: absolute uncertainties per bin (√Σw²).
    case staterror(name: String, uncertainties: [Double])
    /// An uncorrelated per-bin shape uncertainty with a Poisson constraint, τ = (n/σ)².
    case shapesys(name: String, uncertainties: [Double])

    /// The modifier's name (its parameter or parameter set).
    public var name: String {
        switch self {
        case let .normfactor(name), let .lumi(name), let .normsys(name, _, _), let .histosys(name, _, _),
            let .staterror(name, _), let .shapesys(name, _):
            return name
        }
    }

    /// pyhf's `type` string.
    public var type: String {
        switch self {
        case .normfactor: "normfactor"
        case .lumi: "lumi"
        case .normsys: "normsys"
        case .histosys: "histosys"
        case .staterror: "staterror"
        case .shapesys: "shapesys"
        }
    }
}

extension Modifier: Codable {
    private enum Keys: String, CodingKey { case type, name, data }
    private enum NormsysKeys: String, CodingKey { case lo, hi }
    private enum HistosysKeys: String, CodingKey { case lo_data, hi_data }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let type = try c.decode(String.self, forKey: .type)
        let name = try c.decode(String.self, forKey: .name)
        switch type {
        case "normfactor": self = .normfactor(name: name)
        case "lumi": self = .lumi(name: name)
        case "normsys":
            let d = try c.nestedContainer(keyedBy: NormsysKeys.self, forKey: .data)
            self = .normsys(
                name: name, lo: try d.decode(Double.self, forKey: .lo), hi: try d.decode(Double.self, forKey: .hi))
        case "histosys":
            let d = try c.nestedContainer(keyedBy: HistosysKeys.self, forKey: .data)
            self = .histosys(
                name: name, lo: try d.decode([Double].self, forKey: .lo_data),
                hi: try d.decode([Double].self, forKey: .hi_data))
        case "staterror": self = .staterror(name: name, uncertainties: try c.decode([Double].self, forKey: .data))
        case "shapesys": self = .shapesys(name: name, uncertainties: try c.decode([Double].self, forKey: .data))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: c,
                debugDescription:
                    "unsupported modifier type '\(type)' (supported: normfactor, lumi, normsys, histosys, staterror, shapesys)"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(type, forKey: .type)
        try c.encode(name, forKey: .name)
        switch self {
        case .normfactor, .lumi: try c.encodeNil(forKey: .data)
        case let .normsys(_, lo, hi):
            var d = c.nestedContainer(keyedBy: NormsysKeys.self, forKey: .data)
            try d.encode(lo, forKey: .lo)
            try d.encode(hi, forKey: .hi)
        case let .histosys(_, lo, hi):
            var d = c.nestedContainer(keyedBy: HistosysKeys.self, forKey: .data)
            try d.encode(lo, forKey: .lo_data)
            try d.encode(hi, forKey: .hi_data)
        case let .staterror(_, u), let .shapesys(_, u): try c.encode(u, forKey: .data)
        }
    }
}
