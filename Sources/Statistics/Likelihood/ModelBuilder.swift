/// Compiles a workspace into a `StatisticalModel`: global bins, parameters, and for every
/// (sample, bin) the nominal yield with its multiplicative factors and additive variations.
/// The modifier kinds add themselves in `Modifiers/` (one file each).
struct ModelBuilder {
    /// A multiplicative factor on one term: θ itself, or code 4 of θ.
    struct Factor {
        var parameter: Int
        var code4: Int
    }
    /// An additive variation on one term (code 4p of θ).
    struct Additive {
        var parameter: Int
        var code4p: Code4p
    }
    /// One (sample, bin) contribution to a global bin.
    struct Term {
        var bin: Int
        var nominal: Double
        var factors: [Factor] = []
        var additives: [Additive] = []
    }
    /// A sample being compiled: its terms and where it is in the workspace (for errors).
    struct SampleSlot {
        var terms: Range<Int>
        var nominal: [Double]
        var channelBins: Range<Int>
        var field: String
    }

    let source: String
    var parameters: [Parameter] = []
    var index: [String: Int] = [:]
    var terms: [Term] = []
    var code4s: [Code4] = []
    /// Per staterror set name and global bin: (Σσ², Σn) over the samples that carry it.
    var statErrorSums: [String: [Int: (sigma2: Double, nominal: Double)]] = [:]

    init(source: String) { self.source = source }

    func invalid(_ field: String, _ reason: String) -> StatisticsError {
        .invalidModel(source: source, field: field, reason: reason)
    }

    /// The index of parameter `name`, created by `make` on first use.
    mutating func parameter(_ name: String, make: () -> Parameter) -> Int {
        if let i = index[name] { return i }
        parameters.append(make())
        index[name] = parameters.count - 1
        return parameters.count - 1
    }

    /// A scalar parameter with the given defaults.
    static func scalar(
        _ name: String, initial: Double, bounds: ClosedRange<Double>, constraint: Constraint,
        aux: Double
    ) -> Parameter {
        Parameter(
            name: name, initial: initial, lower: bounds.lowerBound, upper: bounds.upperBound, fixed: false,
            constraint: constraint, auxNominal: aux, setName: name, component: 0)
    }

    /// Adds factor θ (or code 4 of θ) to every term of a sample.
    mutating func multiply(_ slot: SampleSlot, parameter: Int, code4: Code4? = nil) {
        var code = -1
        if let code4 {
            code4s.append(code4)
            code = code4s.count - 1
        }
        for t in slot.terms { terms[t].factors.append(Factor(parameter: parameter, code4: code)) }
    }

    /// Applies one modifier to a sample.
    mutating func apply(_ modifier: Modifier, to slot: SampleSlot, field: String) throws {
        switch modifier {
        case let .normfactor(name): addNormFactor(name, to: slot)
        case let .lumi(name): addLumi(name, to: slot)
        case let .normsys(name, lo, hi): try addNormSys(name, lo: lo, hi: hi, to: slot, field: field)
        case let .histosys(name, lo, hi): try addHistoSys(name, lo: lo, hi: hi, to: slot, field: field)
        case let .staterror(name, _): addStatError(name, to: slot)
        case let .shapesys(name, u): try addShapeSys(name, uncertainties: u, to: slot, field: field)
        }
    }

    /// Checks a per-bin array of a modifier.
    func checkBins(_ values: [Double], count: Int, field: String, nonNegative: Bool = true) throws {
        guard values.count == count else { throw invalid(field, "has \(values.count) bins, expected \(count)") }
        if let bad = values.firstIndex(where: { !$0.isFinite || (nonNegative && $0 < 0) }) {
            throw invalid("\(field)[\(bad)]", "value \(values[bad]) is not a finite number\(nonNegative ? " ≥ 0" : "")")
        }
    }
}
