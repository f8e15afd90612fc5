import Grid
import Limits
import Statistics
import Training

/// Everything a report shows, independent of where it was read from. The loaders
/// (`DatasetLoader`, `RunLoader`) fill it from a run directory; tests and
/// other tools can build it directly.
public struct ReportData: Codable, Sendable, Equatable {
    public var runName: String
    /// Integrated luminosities of the limit columns, in fb⁻¹.
    public var luminosities: [Double] = [36, 140, 300]
    /// Training/validation sizes of the (no-pileup) data set, when known.
    public var sizes: DatasetSizes?
    public var analyses: [AnalysisLimits] = []
    /// Per-channel distributions of the K features (paper figs. 5, 6, 19).
    public var distributions: [FeatureDistribution] = []
    /// ⟨S²⟩ per feature, highest first (paper fig. 7).
    public var separation: [SeparationEntry] = []
    /// Average image per class and variant (paper fig. 9).
    public var averageImages: [AverageImage] = []
    /// Network-output histograms per channel (paper figs. 11, 12).
    public var outputHistograms: [OutputHistograms] = []
    /// ROC curves, one per network and seed (paper fig. 13).
    public var rocCurves: [ROCCurve] = []
    /// Class-wise correlation matrices (paper fig. 14).
    public var correlations: [CorrelationMatrix] = []
    public var trainingHistories: [TrainingHistory] = []
    /// Time per stage of the run's done tasks, and the run's wall time (from the task markers).
    public var stageTimings: [StageTiming] = []
    public var runWallSeconds: Double?
    /// The run's fastsim fidelity (its fidelity task), nil when it has none.
    public var fidelity: FidelityResult?
    /// What the loaders could not find or read (shown in the report, never fatal).
    public var notes: [String] = []

    public init(runName: String) { self.runName = runName }

    /// The rows of Table 1 and the limit figures: on a learning curve only its largest training
    /// size (the other sizes are in the learning-curve figure and table).
    public var tableAnalyses: [AnalysisLimits] {
        let largest = analyses.compactMap(\.trainEvents).max()
        return analyses.filter { $0.trainEvents == nil || $0.trainEvents == largest }
    }
}

/// The data set's sizes; below the paper's 200,000 + 50,000 the report says "demo sizes".
public struct DatasetSizes: Codable, Sendable, Equatable {
    public var train: Int
    public var validation: Int
    public static let paper = DatasetSizes(train: 200_000, validation: 50_000)
    public init(train: Int, validation: Int) {
        self.train = train
        self.validation = validation
    }
    public var isBelowPaper: Bool { train < Self.paper.train || validation < Self.paper.validation }
}

/// The limits of one analysis (one Table 1 row): per seed, per luminosity.
public struct AnalysisLimits: Codable, Sendable, Equatable {
    /// Canonical analysis id: a network name ("PJ-LR-CNN") or a cut-based id ("cut-mjj-250").
    public var analysis: String
    /// ⟨N⟩ of the pileup overlay, nil without pileup.
    public var pileupMean: Double?
    /// Whether the jet-energy-scale shape systematic is included.
    public var jes: Bool
    /// The bin rule of a network row (nil for the cut-based rows, whose bins are fixed).
    public var binning: LimitBinning?
    /// The pileup overlay mode when the run has both (true: `keep_hard_objects`, min-bias in the
    /// tower image only; false: reclustered); nil otherwise.
    public var keepHardObjects: Bool?
    /// Training events of a learning-curve point; nil outside a learning curve.
    public var trainEvents: Int?
    public var seeds: [SeedLimits]

    public init(
        analysis: String, pileupMean: Double? = nil, jes: Bool = false, binning: LimitBinning? = nil,
        keepHardObjects: Bool? = nil, trainEvents: Int? = nil, seeds: [SeedLimits]
    ) {
        self.analysis = analysis
        self.pileupMean = pileupMean
        self.jes = jes
        self.binning = binning
        self.keepHardObjects = keepHardObjects
        self.trainEvents = trainEvents
        self.seeds = seeds
    }

    /// Table order: the paper's row (then the name), ⟨N⟩, overlay mode, JES, bin rule, training size.
    func precedes(_ other: AnalysisLimits) -> Bool {
        func key(_ a: AnalysisLimits) -> [Double] {
            [
                a.pileupMean ?? 0, a.keepHardObjects.map { $0 ? 2 : 1 } ?? 0, a.jes ? 1 : 0,
                a.binning == .backgroundQuantiles ? 1 : 0, Double(a.trainEvents ?? 0),
            ]
        }
        let (x, y) = ((PaperTable1.order(analysis), analysis), (PaperTable1.order(other.analysis), other.analysis))
        return x != y ? x < y : key(self).lexicographicallyPrecedes(key(other))
    }

    /// Whether two rows are the same analysis in the same configuration (seeds aside).
    func sameRow(as other: AnalysisLimits) -> Bool {
        (analysis, pileupMean, jes, binning, keepHardObjects, trainEvents)
            == (other.analysis, other.pileupMean, other.jes, other.binning, other.keepHardObjects, other.trainEvents)
    }

    public struct SeedLimits: Codable, Sendable, Equatable {
        /// Training seed (nil for the cut-based analyses).
        public var seed: Int?
        /// Band per luminosity in fb⁻¹ (as "36", "140", … keys).
        public var limits: [LuminosityBand]
        public init(seed: Int?, limits: [LuminosityBand]) {
            self.seed = seed
            self.limits = limits
        }
    }

    public struct LuminosityBand: Codable, Sendable, Equatable {
        public var luminosity: Double
        public var band: Band
        public init(luminosity: Double, band: Band) {
            self.luminosity = luminosity
            self.band = band
        }
    }

    /// The row's band at `luminosity`: the mean over seeds of each band edge (one seed: its band).
    public func band(at luminosity: Double) -> Band? {
        let bands = seeds.compactMap { $0.limits.first { $0.luminosity == luminosity }?.band }
        guard !bands.isEmpty else { return nil }
        func mean(_ f: (Band) -> Double) -> Double { bands.map(f).reduce(0, +) / Double(bands.count) }
        return Band(
            minus2: mean(\.minus2), minus1: mean(\.minus1), median: mean(\.median), plus1: mean(\.plus1),
            plus2: mean(\.plus2))
    }

    /// Sample standard deviation of the seeds' medians at `luminosity` (nil with fewer than two seeds).
    public func seedSpread(at luminosity: Double) -> Double? {
        let medians = seeds.compactMap { $0.limits.first { $0.luminosity == luminosity }?.band.median }
        guard medians.count > 1 else { return nil }
        let mean = medians.reduce(0, +) / Double(medians.count)
        return (medians.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(medians.count - 1)).squareRoot()
    }

    /// The row label: the analysis' display name plus pileup, overlay-mode, JES and quantile-binning tags.
    public var label: String { PaperTable1.displayName(analysis) + tags(binning: true) }

    /// " ⟨N⟩=20", the overlay mode, " +JES" and, with `binning`, " (quantile bins)".
    func tags(binning showBinning: Bool) -> String {
        var s = ""
        if let pileupMean {
            s += " ⟨N⟩=\(pileupMean == pileupMean.rounded() ? String(Int(pileupMean)) : String(pileupMean))"
        }
        if let keepHardObjects { s += keepHardObjects ? " keep-hard-objects" : " reclustered" }
        if jes { s += " +JES" }
        if showBinning && binning == .backgroundQuantiles { s += " (quantile bins)" }
        return s
    }
}

/// Weighted counts of one feature per channel on common bin edges.
public struct FeatureDistribution: Codable, Sendable, Equatable {
    public var feature: String
    /// Axis label with unit, e.g. "m_jj [GeV]".
    public var axisLabel: String
    public var edges: [Double]
    public var channels: [ChannelCounts]
    public init(feature: String, axisLabel: String, edges: [Double], channels: [ChannelCounts]) {
        self.feature = feature
        self.axisLabel = axisLabel
        self.edges = edges
        self.channels = channels
    }
}

/// Histogram contents of one channel (same edges as the owner).
public struct ChannelCounts: Codable, Sendable, Equatable {
    public var channel: String
    public var values: [Double]
    public init(channel: String, values: [Double]) {
        self.channel = channel
        self.values = values
    }
}

public struct SeparationEntry: Codable, Sendable, Equatable {
    public var feature: String
    public var separation: Double
    public init(feature: String, separation: Double) {
        self.feature = feature
        self.separation = separation
    }
}

/// The mean tower image of one class for one variant, [η][φ] row-major, in GeV.
public struct AverageImage: Codable, Sendable, Equatable {
    public var variant: String
    /// "signal" or "background".
    public var className: String
    public var events: Int
    public var height: Int
    public var width: Int
    public var binSize: Double
    public var pixels: [Double]
    public init(
        variant: String, className: String, events: Int, height: Int, width: Int, binSize: Double, pixels: [Double]
    ) {
        self.variant = variant
        self.className = className
        self.events = events
        self.height = height
        self.width = width
        self.binSize = binSize
        self.pixels = pixels
    }
}

/// A network's output (P(signal)) histograms per channel.
public struct OutputHistograms: Codable, Sendable, Equatable {
    public var network: String
    public var seed: Int?
    public var edges: [Double]
    public var channels: [ChannelCounts]
    public init(network: String, seed: Int?, edges: [Double], channels: [ChannelCounts]) {
        self.network = network
        self.seed = seed
        self.edges = edges
        self.channels = channels
    }
}

/// One ROC curve: ε_S and 1/ε_B per threshold, and the AUC.
public struct ROCCurve: Codable, Sendable, Equatable {
    public var network: String
    public var seed: Int?
    public var auc: Double
    public var signalEfficiency: [Double]
    public var backgroundEfficiency: [Double]
    public init(network: String, seed: Int?, auc: Double, signalEfficiency: [Double], backgroundEfficiency: [Double]) {
        self.network = network
        self.seed = seed
        self.auc = auc
        self.signalEfficiency = signalEfficiency
        self.backgroundEfficiency = backgroundEfficiency
    }
}

/// Pearson correlations between features and network outputs for one class.
public struct CorrelationMatrix: Codable, Sendable, Equatable {
    /// "signal" or "background".
    public var className: String
    public var labels: [String]
    public var values: [[Double]]
    public init(className: String, labels: [String], values: [[Double]]) {
        self.className = className
        self.labels = labels
        self.values = values
    }
}

/// `history.json` of one training run.
public struct TrainingHistory: Codable, Sendable, Equatable {
    public var network: String
    public var seed: Int?
    public var epochs: [EpochRecord]
    public init(network: String, seed: Int?, epochs: [EpochRecord]) {
        self.network = network
        self.seed = seed
        self.epochs = epochs
    }
}
