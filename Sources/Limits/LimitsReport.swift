import Datasets
import Foundation
import Metrics
import Statistics

/// `limits.json`: the expected limits of one analysis at every luminosity.
public struct LimitsReport: Codable, Sendable {
    public static let fileName = "limits.json"
    public var analysis: String
    /// "network" (evaluate outputs) or "cut-based".
    public var kind: String
    /// The histogrammed variable: "score", "m_jj" or "|deta_jj|".
    public var variable: String
    public var dataset: String
    public var evaluations: [String]?
    /// The analysis cut on met (GeV) for the cut-based analyses.
    public var metCut: Double?
    /// How the bin edges were chosen.
    public var binningRule: String
    public var physicsTable: PhysicsTable
    /// σ_c·ε_c (fb) used for N_c(L) = σ_c·ε_c·L.
    public var sigmaEfficiencyFb: [String: Double]
    /// n_c: validation events per channel.
    public var validationEvents: [String: Int]
    public var systematics: SystematicsSettings
    public var luminosities: [LuminositySummary]
    /// One entry per evaluation (seed), network analyses only.
    public var seeds: [SeedResult]?
    public var aucMean: Double?
    public var aucStd: Double?

    public func write(to path: String) throws {
        try JSONEncoder.snakeCasePretty.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

/// The rule of a network limit's bins: the paper's (`Metrics.OutputBinning`, equal inner bins
/// on the output) or bins at quantiles of the background output (`Metrics.QuantileBinning`).
public enum LimitBinning: String, Codable, Sendable, CaseIterable {
    case equalWidth = "equal_width"
    case backgroundQuantiles = "background_quantiles"
}

/// The limit at one luminosity: with one evaluation (or a cut-based analysis) its band, edges,
/// yields and Σw² per sample; with several the mean of each band edge over the seeds and the
/// mean and sample standard deviation of the median.
public struct LuminositySummary: Codable, Sendable {
    public var luminosityFb: Double
    /// The bin rule of a network limit; absent for the cut-based analyses and in files written
    /// before the quantile rule existed (those are equal-width).
    public var binning: LimitBinning?
    public var band: Band
    public var medianMean: Double
    public var medianStd: Double?
    public var seeds: Int
    public var edges: [Double]?
    public var yields: [String: [Double]]?
    public var sumw2: [String: [Double]]?
    public var workspace: String?
}

/// The limits of one evaluation (seed).
public struct SeedResult: Codable, Sendable {
    public var evaluation: String
    public var auc: Double
    public var binning: OutputBinning
    public var luminosities: [LuminosityResult]
}

/// A band with the model it came from.
public struct LuminosityResult: Codable, Sendable {
    public var luminosityFb: Double
    /// As `LuminositySummary.binning`.
    public var binning: LimitBinning?
    public var band: Band
    public var edges: [Double]
    public var yields: [String: [Double]]
    public var sumw2: [String: [Double]]
    /// The pyhf workspace file (relative to the output folder).
    public var workspace: String
}

/// Mean and sample standard deviation (nil for fewer than two values).
func meanAndSpread(_ values: [Double]) -> (mean: Double, std: Double?) {
    let mean = values.reduce(0, +) / Double(values.count)
    guard values.count > 1 else { return (mean, nil) }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return (mean, variance.squareRoot())
}
