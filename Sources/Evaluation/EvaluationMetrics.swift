import Foundation
import Metrics
import Physics

/// `metrics.json` of `vbfgrid evaluate`: how well the network separates the classes on the
/// validation split (unit event weights, as the paper's ROC curves and AUCs).
public struct EvaluationMetrics: Codable, Sendable, Equatable {
    public var network: String
    public var events: Int
    public var eventsPerChannel: [String: Int]
    /// Area under the ROC curve (scikit-learn's roc_auc_score; ties count ½).
    public var auc: Double
    /// Fraction of events on the right side of score 0.5.
    public var accuracy: Double
    /// ⟨S²⟩ of the output (eq. 3.2, 100 bins on [0, 1]).
    public var separation: Double
    /// The ROC curve thinned to at most `rocMaxPoints` points, always keeping both end points.
    public var roc: [RocPoint]
    /// Output histograms per channel (paper figs. 11–12): `edges` on [0, 1] and, per channel
    /// name, the event counts and the unit-area densities.
    public var outputHistograms: OutputHistograms
    /// AUCs of the JES-varied outputs, with --jes.
    public var aucJESUp: Double?
    public var aucJESDown: Double?
    /// ⟨S²⟩ of every high-level feature (K and R, raw values; `Separation.ofFeature`).
    public var featureSeparation: [String: Double]?
    /// Class-wise Pearson correlations of the highest-separation features and the output (fig. 14).
    public var correlation: CorrelationMatrices?

    public struct CorrelationMatrices: Codable, Sendable, Equatable {
        /// The features in decreasing separation, then "score".
        public var columns: [String]
        public var signal: [[Double]]
        public var background: [[Double]]
    }

    /// Named feature columns, one value per event.
    public typealias FeatureColumns = [(name: String, values: [Double])]
    /// How many of the best-separating features enter the correlation matrices.
    public static let correlatedFeatures = 5

    public struct RocPoint: Codable, Sendable, Equatable {
        /// ε_S.
        public var signalEfficiency: Double
        /// 1/ε_B (null where ε_B = 0).
        public var backgroundRejection: Double?
        public var threshold: Double?
    }

    public struct OutputHistograms: Codable, Sendable, Equatable {
        public var edges: [Double]
        public var counts: [String: [Int]]
        public var density: [String: [Double]]
    }

    enum CodingKeys: String, CodingKey {
        case network, events, eventsPerChannel, auc, accuracy, separation, roc, outputHistograms
        // Spelled so that the snake_case strategies map them to auc_jes_up/auc_jes_down and back.
        case aucJESUp = "aucJesUp"
        case aucJESDown = "aucJesDown"
        case featureSeparation, correlation
    }

    public static let fileName = "metrics.json"
    public static let rocMaxPoints = 300
    public static let histogramBins = 50
    public static let channelNames = Channel.physics.map(\.name)

    /// Name of channel id `c` (0…5), or "channel_<c>".
    public static func channelName(_ c: UInt8) -> String {
        Int(c) < channelNames.count ? channelNames[Int(c)] : "channel_\(c)"
    }

    /// The metrics of a whole outputs file; with the events' features also their separations
    /// and the correlation matrices.
    public static func compute(_ outputs: EvaluationOutputs, features: FeatureColumns? = nil) throws
        -> EvaluationMetrics
    {
        let scores = outputs.score.map(Double.init)
        let isSignal = outputs.label.map { $0 == 1 }
        let curve = try ROC.curve(scores: scores, isSignal: isSignal)
        var correct = 0
        for (s, y) in zip(scores, isSignal) where (s >= 0.5) == y { correct += 1 }
        let signal = zip(scores, isSignal).filter(\.1).map(\.0),
            background = zip(scores, isSignal).filter { !$0.1 }.map(\.0)
        let edges = (0...histogramBins).map { Double($0) / Double(histogramBins) }
        var counts: [String: [Int]] = [:], density: [String: [Double]] = [:], perChannel: [String: Int] = [:]
        for c in Set(outputs.channel).sorted() {
            var h = try WeightedHistogram(edges: edges)
            try h.fill(zip(scores, outputs.channel).filter { $0.1 == c }.map(\.0))
            let name = channelName(c)
            counts[name] = h.entries
            let n = Double(h.entries.reduce(0, +)), width = 1 / Double(histogramBins)
            density[name] = h.entries.map { Double($0) / (n * width) }
            perChannel[name] = Int(n)
        }
        func jesAUC(_ values: [Float]?) throws -> Double? {
            try values.map { try ROC.auc(scores: $0.map(Double.init), isSignal: isSignal) }
        }
        var separations: [String: Double]? = nil, correlation: CorrelationMatrices? = nil
        if let features {
            let ranked = try features.map { f in
                (
                    f,
                    try Separation.ofFeature(
                        signal: zip(f.values, isSignal).filter(\.1).map(\.0),
                        background: zip(f.values, isSignal).filter { !$0.1 }.map(\.0))
                )
            }
            separations = Dictionary(uniqueKeysWithValues: ranked.map { ($0.0.name, $0.1) })
            let top = ranked.sorted { $0.1 > $1.1 }.prefix(correlatedFeatures).map(\.0)
            let matrices = try Correlation.classWise(top.map(\.values) + [scores], isSignal: isSignal)
            correlation = CorrelationMatrices(
                columns: top.map(\.name) + ["score"], signal: matrices.signal,
                background: matrices.background)
        }
        return EvaluationMetrics(
            network: outputs.network, events: outputs.count, eventsPerChannel: perChannel, auc: ROC.auc(curve),
            accuracy: Double(correct) / Double(outputs.count),
            separation: try Separation.compute(signal: signal, background: background, bins: 100, range: 0...1),
            roc: thin(curve, to: rocMaxPoints),
            outputHistograms: OutputHistograms(edges: edges, counts: counts, density: density),
            aucJESUp: try jesAUC(outputs.scoreJESUp), aucJESDown: try jesAUC(outputs.scoreJESDown),
            featureSeparation: separations, correlation: correlation)
    }

    /// At most `maxPoints` points evenly spaced in curve index, first and last kept.
    static func thin(_ curve: [ROCPoint], to maxPoints: Int) -> [RocPoint] {
        let picked: [ROCPoint]
        if curve.count <= maxPoints {
            picked = curve
        } else {
            picked = (0..<maxPoints).map {
                curve[Int((Double($0) * Double(curve.count - 1) / Double(maxPoints - 1)).rounded())]
            }
        }
        return picked.map { p in
            RocPoint(
                signalEfficiency: p.signalEfficiency,
                backgroundRejection: p.backgroundEfficiency > 0 ? 1 / p.backgroundEfficiency : nil,
                threshold: p.threshold.isFinite ? p.threshold : nil)
        }
    }

    /// Writes the metrics as sorted, indented snake_case JSON, atomically.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
