import Datasets
import Foundation
import Physics

/// The expected number of events of each channel after the baseline selection (met > 200 GeV):
/// N_c(L) = σ_c·ε_c·L. Two ways to set σ_c·ε_c:
///
/// - `class_yields` (the default): the paper's class proportions (signal 44.8% S_EW / 55.2%
///   S_QCD; background 51.221% Z_QCD / 44.896% W_QCD / 2.295% Z_EW / 1.587% W_EW) times an
///   overall signal and background yield at `reference_luminosity_fb`, so σ_c·ε_c =
///   yield_class · fraction_c / L_ref. The two yields are calibrated (docs/physics.md, "Limits
///   normalisation") so that the cut-based m_jj shape analysis with met > 200 on fastsim samples
///   gives the paper's 0.19 at 36 fb⁻¹.
/// - `manifest`: σ_c·ε_c = cross_section_fb × selection_efficiency of the data set's manifest,
///   times `manifest_scale`.
///
/// A file given with `--physics-table` holds this struct as snake_case JSON.
public struct PhysicsTable: Codable, Sendable, Equatable {
    public enum Source: String, Codable, Sendable {
        case classYields = "class_yields"
        case manifest
    }

    public var source: Source
    public var referenceLuminosityFb: Double
    /// Expected signal (S_EW + S_QCD) and background events at the reference luminosity.
    public var signalYield: Double
    public var backgroundYield: Double
    /// Fraction of its class of every channel.
    public var fractions: [String: Double]
    /// Factor on the manifest's σ·ε (source `manifest`).
    public var manifestScale: Double

    public static let signalChannels = Channel.physics.filter(\.isSignal).map(\.name)
    public static let backgroundChannels = Channel.physics.filter { !$0.isSignal }.map(\.name)
    public static let channels = signalChannels + backgroundChannels

    /// The calibrated default (docs/physics.md, "Limits normalisation").
    public static let `default` = PhysicsTable(
        source: .classYields, referenceLuminosityFb: 36, signalYield: 1480, backgroundYield: 4844,
        fractions: [
            "S_EW": 0.448, "S_QCD": 0.552, "Z_QCD": 0.51221, "W_QCD": 0.44896, "Z_EW": 0.02295, "W_EW": 0.01587,
        ],
        manifestScale: 1)

    public init(
        source: Source, referenceLuminosityFb: Double, signalYield: Double, backgroundYield: Double,
        fractions: [String: Double], manifestScale: Double
    ) {
        self.source = source
        self.referenceLuminosityFb = referenceLuminosityFb
        self.signalYield = signalYield
        self.backgroundYield = backgroundYield
        self.fractions = fractions
        self.manifestScale = manifestScale
    }

    /// Reads a table file; fields left out keep their default values.
    public static func load(from path: String) throws -> PhysicsTable {
        guard let data = FileManager.default.contents(atPath: path) else { throw LimitsError("\(path): no such file") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LimitsError("\(path): not a JSON object")
        }
        var merged =
            try JSONSerialization.jsonObject(with: JSONEncoder.snakeCasePretty.encode(PhysicsTable.default))
            as! [String: Any]
        for (key, value) in object { merged[key] = value }
        let table: PhysicsTable
        do {
            table = try JSONDecoder.snakeCase.decode(
                PhysicsTable.self, from: JSONSerialization.data(withJSONObject: merged))
        } catch let error as DecodingError {
            throw LimitsError("\(path): \(error.readable)")
        }
        try table.validate(source: path)
        return table
    }

    /// The table with numbers replaced by name: `signal_yield`, `background_yield`,
    /// `reference_luminosity_fb`, `manifest_scale`, or `fractions.<channel>` (a grid spec's
    /// physics overrides).
    public func overriding(_ values: [String: Double], source: String = "--physics") throws -> PhysicsTable {
        var copy = self
        for (name, value) in values.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "signal_yield": copy.signalYield = value
            case "background_yield": copy.backgroundYield = value
            case "reference_luminosity_fb": copy.referenceLuminosityFb = value
            case "manifest_scale": copy.manifestScale = value
            case let f
            where f.hasPrefix("fractions.") && Self.channels.contains(String(f.dropFirst("fractions.".count))):
                copy.fractions[String(f.dropFirst("fractions.".count))] = value
            default:
                throw LimitsError(
                    "\(source): unknown physics-table number '\(name)' (signal_yield, background_yield, "
                        + "reference_luminosity_fb, manifest_scale, fractions.<channel>)")
            }
        }
        try copy.validate(source: source)
        return copy
    }

    func validate(source: String) throws {
        for name in Self.channels where self.source == .classYields {
            guard let f = fractions[name], f.isFinite, f >= 0 else {
                throw LimitsError("\(source): field 'fractions.\(name)': missing or not a number ≥ 0")
            }
        }
        for (field, value) in [
            ("reference_luminosity_fb", referenceLuminosityFb), ("signal_yield", signalYield),
            ("background_yield", backgroundYield), ("manifest_scale", manifestScale),
        ]
        where !(value.isFinite && value > 0) {
            throw LimitsError("\(source): field '\(field)': \(value) is not a positive number")
        }
    }

    /// σ_c·ε_c in fb for every channel of the analysis.
    public func sigmaEfficiencyFb(manifest: DatasetManifest, source: String) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for name in Self.channels {
            switch self.source {
            case .classYields:
                let yield = Self.signalChannels.contains(name) ? signalYield : backgroundYield
                out[name] = yield * fractions[name]! / referenceLuminosityFb
            case .manifest:
                guard let c = manifest.channels.first(where: { $0.name == name }) else {
                    throw LimitsError("\(source)/manifest.json: field 'channels': no channel \(name)")
                }
                out[name] = c.crossSectionFb * c.selectionEfficiency * manifestScale
            }
        }
        return out
    }
}

/// A limits input that cannot be used (missing file, empty channel, mismatched data sets).
public struct LimitsError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
