import Datasets
import Evaluation
import Foundation
import Grid
import HDF5
import Physics
import Random
import Report
import Statistics
import TestSupport
import Training

@testable import Limits
@testable import Metrics

/// A grid run made by the real grid runner from jobs/demo.yaml (graph.json, task folders),
/// with some tasks finished: their outputs written with the stages' own writers (data set,
/// training history, evaluation outputs and metrics, limits), and their done markers.
struct RunFixture {
    let run: URL
    let graph: TaskGraph
    /// Limits written per "analysis|mean": one luminosity → band map per seed.
    var limits: [String: [[Double: Band]]] = [:]
    static let channels = Channel.physics.map(\.name)

    /// The run of jobs/demo.yaml, with each line of `edits` replaced (e.g. `train` as a list).
    init(_ label: String, edits: [String: String] = [:]) throws {
        run = TestPaths.temporaryDirectory(label).appendingPathComponent("runs/fixture")
        let specPath = TestPaths.repositoryRoot.appendingPathComponent("jobs/demo.yaml").path
        var text = try String(contentsOfFile: specPath, encoding: .utf8)
        for (line, replacement) in edits {
            precondition(text.contains(line + "\n"), "jobs/demo.yaml has no line '\(line)'")
            text = text.replacingOccurrences(of: line + "\n", with: replacement + "\n")
        }
        graph = TaskGraph(spec: try GridSpec.parse(text, file: specPath))
        try RunDirectory(path: run.path).materialize(graph: graph, specText: text)
    }

    /// The tasks of `stage` whose parameters include `parameters`, in graph order.
    func tasks(_ stage: String, _ parameters: [String: String]) -> [GridTask] {
        graph.tasks.filter { t in t.stage == stage && parameters.allSatisfy { t.parameters[$0.key] == $0.value } }
    }

    /// The task's output folder `sub` (created).
    func folder(_ task: GridTask, _ sub: String) throws -> URL {
        let url = run.appendingPathComponent(task.relativePath).appendingPathComponent(sub)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Started and done markers as `vbfgrid task run` writes them: every task takes 2 s.
    func finish(_ task: GridTask) {
        let folder = run.appendingPathComponent(task.relativePath)
        _ = FileManager.default.createFile(
            atPath: folder.appendingPathComponent("started").path,
            contents: Data("host=h pid=1 time=\(Self.started)\n".utf8))
        _ = FileManager.default.createFile(
            atPath: folder.appendingPathComponent("done").path,
            contents: Data("time=\(Self.done)\n".utf8))
    }
    static let started = "2026-01-01T10:00:00Z", done = "2026-01-01T10:00:02Z"

    /// Events: the channel cycles over the six channels; signal has larger m_jj and |Δη_jj|.
    static func rows(count: Int, offset: Int, numbers: inout SplitMix64) -> DatasetRows {
        var rows = DatasetRows()
        let g = ImageVariant.pjLR.geometry
        var image = [Float](), k = [Float](), r = [Float]()
        for i in 0..<count {
            let channel = UInt8((i + offset) % 6), signal = channel < 2
            rows.channel.append(channel)
            rows.label.append(signal ? 1 : 0)
            rows.weight.append(1)
            rows.eventID += [Int64(channel), Int64(i + offset)]
            let u = numbers.nextUnitDouble()
            k += [
                Float((signal ? 4 : 1.5) + 3 * u), Float(numbers.nextUnitDouble() * 1.5),
                Float((signal ? 1500 : 600) + 1200 * numbers.nextUnitDouble()),
                Float(200 + 300 * numbers.nextUnitDouble()),
                Float(numbers.nextUnitDouble() * 6.28 - 3.14), Float(numbers.nextUnitDouble() * 3),
                Float(numbers.nextUnitDouble() * 3), Float(numbers.nextUnitDouble() * 3),
            ]
            r += (0..<16).map { Float(Double($0 + 1) * 20 * (signal ? 0.7 : 1) * (1 + numbers.nextUnitDouble())) }
            var pixels = [Float](repeating: 0.01, count: g.pixels)
            pixels[(g.height / 2) * g.width + g.width / 2] = Float(100 + 50 * u)
            image += pixels
        }
        rows.images[.pjLR] = image
        rows.features[.K] = k
        rows.features[.R] = r
        return rows
    }

    /// The no-pileup preprocess task's data set: train/validation shards, average images, manifest.
    func writeDataset(train: Int = 120, validation: Int = 60) throws {
        let task = tasks("preprocess", ["mean": "0"])[0]
        let dir = try folder(task, "dataset")
        var numbers = SplitMix64(state: 7)
        for (split, n, offset) in [("train", train, 0), ("validation", validation, 10_000)] {
            try FileManager.default.createDirectory(
                at: dir.appendingPathComponent(split), withIntermediateDirectories: true)
            let writer = try DatasetShardWriter(
                path: dir.appendingPathComponent("\(split)/shard-00000.h5").path, split: split, variants: [.pjLR])
            try writer.append(Self.rows(count: n, offset: offset, numbers: &numbers))
            try writer.finish()
        }
        let g = ImageVariant.pjLR.geometry
        try HDF5File.writeAtomically(to: dir.appendingPathComponent("average-images.h5").path) { file in
            try file.setAttribute("events_per_class", [Int(train + validation) / 3 * 2, Int(train + validation) / 3])
            for (name, scale) in [("background", Float(1)), ("signal", Float(2))] {
                let pixels = (0..<g.pixels).map { Float($0 % g.width) * 0.01 * scale + 0.001 }
                try file.write("\(name)/PJ-LR", pixels, shape: [g.height, g.width])
            }
        }
        let perChannel = { (n: Int) in Dictionary(uniqueKeysWithValues: Self.channels.map { ($0, n / 6) }) }
        let manifest = DatasetManifest(
            variants: [.pjLR], metCut: 200, pileupMean: nil,
            splits: [
                "train": .init(
                    events: train, eventsPerChannel: perChannel(train),
                    shards: [.init(file: "train/shard-00000.h5", events: train)]),
                "validation": .init(
                    events: validation, eventsPerChannel: perChannel(validation),
                    shards: [.init(file: "validation/shard-00000.h5", events: validation)]),
            ],
            channels: Self.channels.enumerated().map {
                .init(name: $1, id: $0, generated: 100, selected: 50, selectionEfficiency: 0.5, crossSectionFb: 10)
            },
            features: [
                "K": .init(
                    names: [
                        "|deta_jj|", "|dphi_jj|", "m_jj", "met", "phi_met", "dphi(j1,met)", "dphi(j2,met)",
                        "dphi(j1+j2,met)",
                    ],
                    mean: Array(repeating: 0, count: 8), std: Array(repeating: 1, count: 8)),
                "R": .init(
                    names: (0..<16).map { "HT_\(String(format: "%.2f", 1 + Double($0) * 0.27))" },
                    mean: Array(repeating: 0, count: 16), std: Array(repeating: 1, count: 16)),
            ],
            seeds: ["mixing": 1], sources: [], averageImages: "average-images.h5")
        try manifest.save(to: dir.path)
        finish(task)
    }

    /// history.json of the no-pileup train task `index` of `network` (one seed: `run/`), written by Training.
    func writeHistory(network: String, index: Int, epochs: Int = 5) throws {
        let task = tasks("train", ["network": network, "mean": "0"])[index]
        let records = (1...epochs).map { e -> EpochRecord in
            let t = Double(e) + Double(index + 1) * 0.1
            return EpochRecord(
                epoch: e, loss: 0.7 / t, accuracy: 0.6 + 0.05 * t, validationLoss: 0.75 / t,
                validationAccuracy: 0.58 + 0.05 * t, seconds: 1.5, samplesPerSecond: 800)
        }
        try TrainingHistoryFile.write(records, toRun: folder(task, "run"))
        finish(task)
    }

    /// evaluation/outputs.h5 for the validation events (scores separate the classes by
    /// `strength`) and its metrics.json, both written by the evaluate stage's writers; returns the metrics.
    @discardableResult
    func writeEvaluation(network: String, index: Int, strength: Double, validation: Int = 60) throws
        -> EvaluationMetrics
    {
        let task = tasks("evaluate", ["network": network, "mean": "0", "jes": "false"])[index]
        let dir = try folder(task, "evaluation")
        var numbers = SplitMix64(state: UInt64(index * 1000 + network.count))
        var score = [Float](), label = [UInt8](), channel = [UInt8](), ids = [Int64]()
        for i in 0..<validation {
            let c = UInt8((i + 10_000) % 6)
            let s = c < 2
            let spread = (s ? strength : -strength) * numbers.nextUnitDouble()
            score.append(Float(min(max(0.5 + spread + 0.3 * (numbers.nextUnitDouble() - 0.5), 0), 1)))
            label.append(s ? 1 : 0)
            channel.append(c)
            ids += [Int64(c), Int64(i + 10_000)]
        }
        let outputs = EvaluationOutputs(
            score: score, label: label, channel: channel, weight: [Float](repeating: 1, count: validation),
            eventID: ids, network: network, run: "run", dataset: "dataset")
        try outputs.write(to: dir.appendingPathComponent(EvaluationOutputs.fileName).path)
        let metrics = try EvaluationMetrics.compute(outputs)
        try metrics.write(to: dir.appendingPathComponent(EvaluationMetrics.fileName).path)
        finish(task)
        return metrics
    }

    /// limits/limits.json of the limits task of `analysis` at ⟨N⟩ = `mean`, all three
    /// luminosities, one band per entry of `medians`: per seed (the evaluate tasks' seeds, in
    /// graph order) for networks, the top-level band only for cut-based analyses. Written by
    /// the limits stage's `LimitsReport`. Network files carry no bin rule (as files written before
    /// the quantile rule) unless `quantileFactor` is given: then each band is recorded as
    /// equal-width, and a background-quantile band with the medians times the factor follows.
    mutating func writeLimits(
        analysis: String, mean: String = "0", medians: [Double], quantileFactor: Double? = nil,
        only: [String: String] = [:]
    ) throws {
        let task = tasks("limits", ["analysis": analysis, "mean": mean].merging(only) { a, _ in a })[0]
        let evaluations = tasks("evaluate", ["network": analysis, "mean": mean].merging(only) { a, _ in a })
        let luminosities = [(36.0, 1.0), (140.0, 0.66), (300.0, 0.55)]
        func bands(_ median: Double) -> [Double: Band] {
            Dictionary(
                uniqueKeysWithValues: luminosities.map { lumi, factor in
                    let m = median * factor
                    return (lumi, Band(minus2: m * 0.52, minus1: m * 0.71, median: m, plus1: m * 1.39, plus2: m * 1.93))
                })
        }
        let binning = OutputBinning(
            edges: [0, 0.5, 1], maxRelativeError: 0.15, firstBinErrors: [0.1, 0.1], lastBinErrors: [0.1, 0.1])
        let rules: [(LimitBinning?, Double)] =
            quantileFactor.map { [(.equalWidth, 1), (.backgroundQuantiles, $0)] } ?? [(nil, 1)]
        var seeds: [SeedResult] = []
        for (k, median) in medians.enumerated() {
            let b = bands(median)
            limits["\(analysis)|\(mean)", default: []].append(b)
            if !evaluations.isEmpty {
                seeds.append(
                    SeedResult(
                        evaluation: run.appendingPathComponent(evaluations[k].relativePath + "/evaluation").path,
                        auc: 0.8, binning: binning,
                        luminosities: rules.flatMap { rule, factor in
                            luminosities.map { lumi, _ in
                                LuminosityResult(
                                    luminosityFb: lumi, binning: rule, band: bands(median * factor)[lumi]!,
                                    edges: binning.edges, yields: [:], sumw2: [:],
                                    workspace: "workspace-\(Int(lumi)).json")
                            }
                        }))
            }
        }
        // The top-level band: the mean over seeds of each edge (the fixture's tests check the report's own mean).
        let mean = medians.reduce(0, +) / Double(medians.count)
        let report = LimitsReport(
            analysis: analysis, kind: evaluations.isEmpty ? "cut-based" : "network",
            variable: evaluations.isEmpty ? "m_jj" : "score",
            dataset: "dataset", evaluations: seeds.isEmpty ? nil : seeds.map(\.evaluation),
            metCut: evaluations.isEmpty ? 250 : nil,
            binningRule: "fixture", physicsTable: .default, sigmaEfficiencyFb: [:], validationEvents: [:],
            systematics: SystematicsSettings(),
            luminosities: (evaluations.isEmpty ? [(nil, 1)] : rules).flatMap { rule, factor in
                let top = bands(mean * factor)
                return luminosities.map { lumi, _ in
                    LuminositySummary(
                        luminosityFb: lumi, binning: rule, band: top[lumi]!, medianMean: top[lumi]!.median,
                        seeds: medians.count)
                }
            },
            seeds: seeds.isEmpty ? nil : seeds)
        try report.write(to: folder(task, "limits").appendingPathComponent(LimitsReport.fileName).path)
        finish(task)
    }

    /// Data set, two K-ANN seeds and one PJ-LR-CNN trained and evaluated, limits of row 1,
    /// K-ANN (two seeds), PJ-LR-CNN without and with pileup; everything else unfinished.
    static func complete(_ label: String) throws -> RunFixture {
        var f = try RunFixture(label)
        try f.writeDataset()
        for index in [0, 1] { try f.writeHistory(network: "K-ANN", index: index) }
        try f.writeHistory(network: "PJ-LR-CNN", index: 0)
        try f.writeEvaluation(network: "K-ANN", index: 0, strength: 0.3)
        try f.writeEvaluation(network: "K-ANN", index: 1, strength: 0.35)
        try f.writeEvaluation(network: "PJ-LR-CNN", index: 0, strength: 0.45)
        try f.writeLimits(analysis: "cut-mjj-250", medians: [0.21])
        try f.writeLimits(analysis: "K-ANN", medians: [0.11, 0.12])
        try f.writeLimits(analysis: "PJ-LR-CNN", medians: [0.081])
        try f.writeLimits(analysis: "PJ-LR-CNN", mean: "20", medians: [0.09])
        return f
    }
}
