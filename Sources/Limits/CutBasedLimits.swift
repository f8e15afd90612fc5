import Datasets
import Foundation
import Scoring

/// The cut-based shape analyses of the paper's Table 1, rows 1–4: validation events with
/// met > cut (met > 250 is the reproduced CMS analysis), histograms of m_jj or |Δη_jj| per
/// channel with weights N_c(L)/n_c (n_c counts all validation events of the channel, so the
/// cut's efficiency enters the yields), the same model as the network analyses.
public struct CutBasedLimits {
    /// The histogrammed K feature.
    public enum Variable: String, Sendable, CaseIterable {
        case mjj, deta

        /// Index in the K features.
        public var featureIndex: Int { self == .mjj ? 2 : 0 }
        public var name: String { self == .mjj ? "m_jj" : "|deta_jj|" }
        /// Six bins, as the paper's reproduced shape analysis; the last bin takes the overflow.
        /// m_jj in GeV from the baseline's 200 GeV; |Δη_jj| from the baseline's 1.
        public var edges: [Double] {
            switch self {
            case .mjj: [200, 500, 1000, 1500, 2000, 3000, 5000]
            case .deta: [1, 2, 3, 4, 5, 6, 10]
            }
        }
        /// Whether a JES variation scales it (m_jj does; |Δη_jj| does not).
        public var isEnergyLike: Bool { self == .mjj }
    }

    public static let metIndex = 3

    public var setup: LimitsSetup
    public var analysis: String
    public var variable: Variable
    public var metCut: Double

    public init(setup: LimitsSetup, analysis: String, variable: Variable, metCut: Double) {
        self.setup = setup; self.analysis = analysis; self.variable = variable; self.metCut = metCut
    }

    public var binningRule: String {
        "fixed edges \(variable.edges.map { String(format: "%g", $0) }.joined(separator: ", ")) (\(variable.name)); "
            + "overflow in the last bin; events with met > \(String(format: "%g", metCut)) GeV"
    }

    public func run() throws -> LimitsReport {
        guard metCut >= setup.manifest.metCut else {
            throw LimitsError("--met-cut \(metCut): below the data set's baseline met cut \(setup.manifest.metCut)")
        }
        let columns = try SplitColumns(directory: setup.dataset, manifest: setup.manifest)
        let all = 0..<columns.count
        let k = try columns.features(.K, all), channel = try columns.channels(all)
        let w = FeatureSet.K.width
        /// The variable of events passing the met cut, with inputs scaled by `factor` (JES).
        func values(_ factor: Double) -> [Double?] {
            (0..<columns.count).map { e in
                let met = Double(k[e * w + Self.metIndex]) * factor
                let x = Double(k[e * w + variable.featureIndex]) * (variable.isEnergyLike ? factor : 1)
                return met > metCut ? x : nil
            }
        }
        let jes = setup.systematics.jes
        let results = try setup.luminosities.map { luminosity in
            let histograms = try ChannelHistograms(
                edges: variable.edges, values: values(1), up: jes ? values(JESVariation.upFactor) : nil,
                down: jes ? values(JESVariation.downFactor) : nil, channel: channel,
                expected: setup.expected(luminosity: luminosity), validationCounts: setup.validationCounts)
            return try setup.limit(histograms, luminosity: luminosity)
        }
        return LimitsReport(
            analysis: analysis, kind: "cut-based", variable: variable.name, dataset: setup.dataset, evaluations: nil,
            metCut: metCut, binningRule: binningRule, physicsTable: setup.table, sigmaEfficiencyFb: setup.sigmaEfficiencyFb,
            validationEvents: setup.validationCounts, systematics: setup.systematics,
            luminosities: results.map {
                LuminositySummary(luminosityFb: $0.luminosityFb, band: $0.band, medianMean: $0.band.median, medianStd: nil, seeds: 1,
                                  edges: $0.edges, yields: $0.yields, sumw2: $0.sumw2, workspace: $0.workspace)
            },
            seeds: nil, aucMean: nil, aucStd: nil)
    }
}
