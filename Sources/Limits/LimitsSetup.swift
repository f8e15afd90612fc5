import Datasets
import Foundation
import Statistics

/// What every limits analysis shares: the data set's channel counts, the physics table, the
/// luminosities, the systematics and the output folder; computes and exports the band of a
/// set of histograms at each luminosity.
public struct LimitsSetup: Sendable {
    public var dataset: String
    public var manifest: DatasetManifest
    public var table: PhysicsTable
    public var luminosities: [Double]
    public var systematics: SystematicsSettings
    public var outputDirectory: String
    /// σ_c·ε_c (fb) by channel name.
    public let sigmaEfficiencyFb: [String: Double]
    /// n_c by channel name.
    public let validationCounts: [String: Int]

    public init(
        dataset: String, table: PhysicsTable, luminosities: [Double], systematics: SystematicsSettings,
        outputDirectory: String
    ) throws {
        self.dataset = dataset
        manifest = try DatasetManifest.load(from: dataset)
        self.table = table
        self.luminosities = luminosities
        self.systematics = systematics
        self.outputDirectory = outputDirectory
        guard !luminosities.isEmpty, luminosities.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw LimitsError("--luminosities: expected positive numbers, got \(luminosities)")
        }
        sigmaEfficiencyFb = try table.sigmaEfficiencyFb(manifest: manifest, source: dataset)
        guard let validation = manifest.splits["validation"] else {
            throw LimitsError("\(dataset)/manifest.json: field 'splits.validation': missing")
        }
        var counts: [String: Int] = [:]
        for name in PhysicsTable.channels {
            let n = validation.eventsPerChannel[name] ?? 0
            guard n > 0 else {
                throw LimitsError(
                    "\(dataset): channel \(name) has no validation events (splits.validation.events_per_channel); "
                        + "its expected yield cannot be represented")
            }
            counts[name] = n
        }
        validationCounts = counts
    }

    /// N_c(L) by channel name.
    public func expected(luminosity: Double) -> [String: Double] { sigmaEfficiencyFb.mapValues { $0 * luminosity } }

    /// "36" for 36.0, "36.5" otherwise.
    static func label(_ luminosity: Double) -> String {
        luminosity == luminosity.rounded() ? String(Int(luminosity)) : String(luminosity)
    }

    /// The band of `histograms` (filled at luminosity L), its pyhf workspace written to
    /// OUT/workspace-<L><suffix>.json; `binning` is recorded for network limits.
    public func limit(
        _ histograms: ChannelHistograms, luminosity: Double, suffix: String = "", binning: LimitBinning? = nil
    ) throws -> LuminosityResult {
        let model = histograms.model(systematics)
        guard PhysicsTable.signalChannels.contains(where: { histograms.nominal[$0]!.total > 0 }) else {
            throw LimitsError("no signal event in any bin at \(Self.label(luminosity)) fb⁻¹: no limit can be set")
        }
        let file = "workspace-\(Self.label(luminosity))\(suffix).json"
        try model.workspace().write(to: URL(fileURLWithPath: outputDirectory).appendingPathComponent(file))
        let band = try ExpectedLimits.compute(model)
        return LuminosityResult(
            luminosityFb: luminosity, binning: binning, band: band, edges: histograms.edges,
            yields: histograms.nominal.mapValues(\.sumw), sumw2: histograms.nominal.mapValues(\.sumw2),
            workspace: file)
    }
}
