import Evaluation
import Foundation
import Metrics

/// Limits from network outputs (`vbfgrid evaluate` folders, one per seed of one network):
/// per seed, the output binning of the paper (edge bins with < 15% relative statistical error
/// for each class, `Metrics.OutputBinning`, unit weights) and, with as many bins, bins at
/// quantiles of the background output (`Metrics.QuantileBinning`); histograms of the score per
/// channel with weights N_c(L)/n_c, and the band at every luminosity for both rules; over the
/// seeds, the mean and spread of the AUC and of the median limit.
public struct NetworkLimits {
    public var setup: LimitsSetup
    public var analysis: String
    public var evaluations: [String]
    public var bins: Int

    public init(setup: LimitsSetup, analysis: String, evaluations: [String], bins: Int = 10) {
        self.setup = setup
        self.analysis = analysis
        self.evaluations = evaluations
        self.bins = bins
    }

    public static let binningRule = """
        OutputBinning (docs/statistics.md): N equal bins between e1 and e_{N-1}; e1 the smallest multiple of 0.001 ≥ 1/N \
        and e_{N-1} the largest ≤ 1 − 1/N such that both classes have < 15% relative statistical error \
        (≥ 45 validation events) in [0, e1) and [e_{N-1}, 1], with unit weights
        """

    public static let quantileRule = """
        background_quantiles (docs/statistics.md): as many bins as the equal-width rule, inner edges at the \
        quantiles k/N of the validation background outputs weighted by σ_c·ε_c/n_c (QuantileBinning)
        """

    /// The inner edges at quantiles of the background outputs (`Metrics.QuantileBinning`),
    /// weighted as the expected yields (σ_c·ε_c/n_c, the same at every luminosity), at most `bins`
    /// bins; the outer edges are the lowest and highest score.
    public static func quantileEdges(
        scores: [Double], channel: [UInt8], isSignal: [Bool], bins: Int, sigmaEfficiencyFb: [String: Double],
        validationCounts: [String: Int]
    ) throws -> [Double] {
        let names = PhysicsTable.channels
        let weights = channel.map { c in
            Int(c) < names.count ? sigmaEfficiencyFb[names[Int(c)]]! / Double(validationCounts[names[Int(c)]]!) : 0
        }
        return try QuantileBinning.edges(
            scores: scores, isBackground: isSignal.map { !$0 }, weights: weights, bins: bins)
    }

    /// The requested output binning, or the largest number of bins (at least 3) whose edge bins
    /// meet the statistical-error rule when the requested one cannot (a weakly trained network
    /// puts most events near one score); the bins used are recorded in limits.json.
    static func binning(scores: [Double], isSignal: [Bool], bins: Int, evaluation: String) throws -> OutputBinning {
        var lastError: Error?
        for n in stride(from: bins, through: 3, by: -1) {
            do {
                let binning = try OutputBinning.compute(scores: scores, isSignal: isSignal, bins: n)
                if n < bins {
                    FileHandle.standardError.write(
                        Data("limits: \(evaluation): \(bins) output bins are not possible, using \(n)\n".utf8))
                }
                return binning
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    public func run() throws -> LimitsReport {
        guard !evaluations.isEmpty else { throw LimitsError("--evaluations: give at least one evaluate output folder") }
        let outputs = try evaluations.map(load)
        if let other = outputs.first(where: { $0.network != outputs[0].network }) {
            throw LimitsError(
                "--evaluations: the folders hold different networks (\(outputs[0].network), \(other.network)); "
                    + "give the seeds of one network")
        }
        let several = outputs.count > 1
        var seeds: [SeedResult] = []
        for (i, (directory, out)) in zip(evaluations, outputs).enumerated() {
            // Binning on the score itself; when a weakly trained network puts every score near
            // 0.5 and no binning meets the rule, on the score rescaled to [0, 1) over its observed
            // range instead — a monotonic change that leaves the classification alone.
            let raw = out.score.map(Double.init)
            let isSignal = out.label.map { $0 == 1 }
            var transform: (Double) -> Double = { $0 }
            var binning: OutputBinning
            var edges: [Double]
            do {
                binning = try Self.binning(scores: raw, isSignal: isSignal, bins: bins, evaluation: directory)
                edges = binning.edges
            } catch {
                let low = raw.min() ?? 0, span = max((raw.max() ?? 1) - low, 1e-12)
                transform = { min(max(($0 - low) / span, 0), 1 - 1e-9) }
                binning = try Self.binning(
                    scores: raw.map(transform), isSignal: isSignal, bins: bins, evaluation: directory)
                edges = binning.edges
                FileHandle.standardError.write(
                    Data(
                        "limits: \(directory): binning on the score rescaled to its range [\(low), \(low + span)]\n"
                            .utf8))
                binning.edges = binning.edges.map { low + $0 * span } // recorded in score units
            }
            let scores = raw.map(transform)
            func transformed(_ values: [Float]) -> [Double] { values.map { transform(Double($0)) } }
            let suffix = several ? "-seed\(i)" : ""
            // The same number of bins at quantiles of the background output, on the raw score.
            let quantileEdges = try Self.quantileEdges(
                scores: raw, channel: out.channel, isSignal: isSignal, bins: edges.count - 1,
                sigmaEfficiencyFb: setup.sigmaEfficiencyFb, validationCounts: setup.validationCounts)
            let jes = setup.systematics.jes
            let results =
                try limits(
                    .equalWidth, edges: edges, values: scores, up: jes ? transformed(out.scoreJESUp!) : nil,
                    down: jes ? transformed(out.scoreJESDown!) : nil, channel: out.channel, suffix: suffix)
                + limits(
                    .backgroundQuantiles, edges: quantileEdges, values: raw,
                    up: jes ? out.scoreJESUp!.map(Double.init) : nil,
                    down: jes ? out.scoreJESDown!.map(Double.init) : nil, channel: out.channel,
                    suffix: suffix + "-quantiles")
            seeds.append(
                SeedResult(
                    evaluation: directory, auc: try ROC.auc(scores: scores, isSignal: isSignal),
                    binning: binning, luminosities: results))
        }
        let summaries = LimitBinning.allCases.flatMap { rule in
            setup.luminosities.map { luminosity in
                let picked = seeds.map { seed in
                    seed.luminosities.first { $0.binning == rule && $0.luminosityFb == luminosity }!
                }
                let bands = picked.map(\.band)
                let median = meanAndSpread(bands.map(\.median))
                let single = several ? nil : picked[0]
                return LuminositySummary(
                    luminosityFb: luminosity, binning: rule,
                    band: .init(
                        minus2: meanAndSpread(bands.map(\.minus2)).mean,
                        minus1: meanAndSpread(bands.map(\.minus1)).mean,
                        median: median.mean, plus1: meanAndSpread(bands.map(\.plus1)).mean,
                        plus2: meanAndSpread(bands.map(\.plus2)).mean),
                    medianMean: median.mean, medianStd: median.std, seeds: seeds.count, edges: single?.edges,
                    yields: single?.yields, sumw2: single?.sumw2, workspace: single?.workspace)
            }
        }
        let auc = meanAndSpread(seeds.map(\.auc))
        return LimitsReport(
            analysis: analysis, kind: "network", variable: "score", dataset: setup.dataset, evaluations: evaluations,
            metCut: nil, binningRule: Self.binningRule + "; " + Self.quantileRule, physicsTable: setup.table,
            sigmaEfficiencyFb: setup.sigmaEfficiencyFb,
            validationEvents: setup.validationCounts, systematics: setup.systematics, luminosities: summaries,
            seeds: seeds, aucMean: auc.mean, aucStd: auc.std)
    }

    /// The band at every luminosity of one seed's scores in bins of one rule; the workspaces are
    /// OUT/workspace-<L><suffix>.json.
    func limits(
        _ rule: LimitBinning, edges: [Double], values: [Double], up: [Double]?, down: [Double]?, channel: [UInt8],
        suffix: String
    ) throws -> [LuminosityResult] {
        try setup.luminosities.map { luminosity in
            let histograms = try ChannelHistograms(
                edges: edges, values: values, up: up, down: down, channel: channel,
                expected: setup.expected(luminosity: luminosity), validationCounts: setup.validationCounts)
            return try setup.limit(histograms, luminosity: luminosity, suffix: suffix, binning: rule)
        }
    }

    /// Reads DIR/outputs.h5 and checks it belongs to the data set (same events in the same order).
    func load(_ directory: String) throws -> EvaluationOutputs {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(EvaluationOutputs.fileName).path
        let out = try EvaluationOutputs.read(from: path)
        let validation = setup.manifest.splits["validation"]!
        guard out.count == validation.events else {
            throw LimitsError(
                "\(path): \(out.count) events, but the validation split of \(setup.dataset) has \(validation.events): "
                    + "evaluated on another data set?")
        }
        let ids = try SplitColumns(directory: setup.dataset, manifest: setup.manifest).eventIDs(0..<validation.events)
        if let bad = ids.indices.first(where: { ids[$0] != out.eventID[$0] }) {
            throw LimitsError(
                "\(path): event_id of event \(bad / 2) differs from the validation split of \(setup.dataset): "
                    + "evaluated on another data set?")
        }
        if setup.systematics.jes && !out.hasJES {
            throw LimitsError("\(path): no score_jes_up/score_jes_down: run vbfgrid evaluate with --jes, or drop --jes")
        }
        return out
    }
}
