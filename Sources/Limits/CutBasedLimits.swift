import Datasets
import Evaluation
import Foundation
import Metrics
import Physics

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
    /// Fewest background validation events a bin may hold (MC relative error ≤ 1/√10 ≈ 32%): a bin
    /// with signal and no background event would give an arbitrarily strong, meaningless limit.
    public static let minimumBackgroundEvents = 10

    /// The fixed `edges` with adjacent bins merged, from the top down, until every bin holds at least
    /// `minimum` of `background` (values of the background events passing the cut; outside the
    /// edges they count in the first or last bin, as `ChannelHistograms` fills them). A remainder at
    /// the bottom joins the bin above it.
    public static func mergedEdges(_ edges: [Double], background: [Double], minimum: Int = minimumBackgroundEvents)
        throws -> [Double]
    {
        var histogram = try WeightedHistogram(edges: edges)
        for x in background { histogram.fill(min(max(x, edges[0]), edges[edges.count - 1])) }
        var kept = [edges[edges.count - 1]], running = 0
        for bin in histogram.entries.indices.reversed() {
            running += histogram.entries[bin]
            if running >= minimum && bin > 0 {
                kept.append(edges[bin])
                running = 0
            }
        }
        if running < minimum && kept.count > 1 { kept.removeLast() } // the bottom remainder joins the bin above
        kept.append(edges[0])
        return kept.reversed()
    }

    public var setup: LimitsSetup
    public var analysis: String
    public var variable: Variable
    public var metCut: Double

    public init(setup: LimitsSetup, analysis: String, variable: Variable, metCut: Double) {
        self.setup = setup
        self.analysis = analysis
        self.variable = variable
        self.metCut = metCut
    }

    public var binningRule: String {
        "fixed edges \(variable.edges.map { String(format: "%g", $0) }.joined(separator: ", ")) (\(variable.name)), "
            + "adjacent bins merged from the top until each holds ≥ \(Self.minimumBackgroundEvents) background validation events "
            + "(the used edges are listed per luminosity); overflow in the last bin; events with met > \(String(format: "%g", metCut)) GeV"
    }

    public func run() throws -> LimitsReport {
        guard metCut >= setup.manifest.metCut else {
            throw LimitsError("--met-cut \(metCut): below the data set's baseline met cut \(setup.manifest.metCut)")
        }
        let columns = try SplitColumns(directory: setup.dataset, manifest: setup.manifest)
        let all = 0..<columns.count
        let k = try columns.features(.K, all), channel = try columns.channels(all)
        let w = FeatureSet.K.width
        for e in all {
            for index in [Self.metIndex, variable.featureIndex] where !k[e * w + index].isFinite {
                throw LimitsError(
                    "\(setup.dataset): validation event \(e): K feature '\(FeatureNames.k[index])' is \(k[e * w + index]); "
                        + "the data set is damaged (rerun preprocess)")
            }
        }
        /// The variable of events passing the met cut, with inputs scaled by `factor` (JES).
        func values(_ factor: Double) -> [Double?] {
            (0..<columns.count).map { e in
                let met = Double(k[e * w + Self.metIndex]) * factor
                let x = Double(k[e * w + variable.featureIndex]) * (variable.isEnergyLike ? factor : 1)
                return met > metCut ? x : nil
            }
        }
        let jes = setup.systematics.jes
        let nominal = values(1)
        let background = zip(nominal, channel).compactMap { x, c in
            Int(c) < PhysicsTable.channels.count
                && PhysicsTable.backgroundChannels.contains(PhysicsTable.channels[Int(c)]) ? x : nil
        }
        let edges = try Self.mergedEdges(variable.edges, background: background)
        let results = try setup.luminosities.map { luminosity in
            let histograms = try ChannelHistograms(
                edges: edges, values: nominal, up: jes ? values(JESVariation.upFactor) : nil,
                down: jes ? values(JESVariation.downFactor) : nil, channel: channel,
                expected: setup.expected(luminosity: luminosity), validationCounts: setup.validationCounts)
            return try setup.limit(histograms, luminosity: luminosity)
        }
        return LimitsReport(
            analysis: analysis, kind: "cut-based", variable: variable.name, dataset: setup.dataset, evaluations: nil,
            metCut: metCut, binningRule: binningRule, physicsTable: setup.table,
            sigmaEfficiencyFb: setup.sigmaEfficiencyFb,
            validationEvents: setup.validationCounts, systematics: setup.systematics,
            luminosities: results.map {
                LuminositySummary(
                    luminosityFb: $0.luminosityFb, band: $0.band, medianMean: $0.band.median, medianStd: nil, seeds: 1,
                    edges: $0.edges, yields: $0.yields, sumw2: $0.sumw2, workspace: $0.workspace)
            },
            seeds: nil, aucMean: nil, aucStd: nil)
    }
}
