import Datasets
import Foundation
import Grid

// The run directory is the grid runner's (`Grid.RunDirectory`: graph.json, tasks/<stage>/<id>/
// with task.json and a `done` marker written last). Stage outputs, as `Grid.StageTasks`
// places them: preprocess → <task>/dataset (the data set), train → <task>/run/history.json or
// <task>/runs/seed-<S>/history.json, evaluate → <task>/evaluation/, limits → <task>/limits/.
// Task parameters used: "mean" (⟨N⟩ of the pileup), "network", "seeds" (train), "seed" and
// "jes" (evaluate), "analysis" (limits: a network or "cut-<observable>-<met cut>").
//
// EVALUATE AND LIMITS FILES. `MetricsFile`, `LimitsFile` and `OutputsSchema` below decode the
// fields the report needs of the formats documented in docs/evaluation-and-limits.md of the
// evaluation module (written by `Scoring.EvaluationMetrics` and `Limits.LimitsReport`, not yet on
// main when this was written). If those formats change, adapt these three types (and the file
// names in `loadEvaluation`/`loadLimits`) — nothing else in the report depends on them.
//
// evaluation/metrics.json (snake_case):
//   {"network": "PJ-LR-CNN", "auc": 0.912,
//    "roc": [{"signal_efficiency": …, "background_rejection": 1/ε_B or null at ε_B = 0, "threshold": …}, …],
//    "output_histograms": {"edges": [0, 0.02, …, 1], "counts": {"S_EW": […], …}, "density": {…}}}
//   Without metrics.json, ROC, AUC and histograms are computed from outputs.h5.
//   JES evaluations (task parameter jes = true) are not plotted.
// evaluation/outputs.h5: score float32 [n] (P(signal)), label uint8 [n], channel uint8 [n],
//   weight float32 [n], event_id int64 [n, 2].
// limits/limits.json (snake_case):
//   {"analysis": …, "systematics": {"jes": false, …},
//    "luminosities": [{"luminosity_fb": 36, "band": {"-2": …, "-1": …, "0": …, "1": …, "2": …}, …}, …],
//    "seeds": [{"evaluation": "<run>/tasks/evaluate/<id>/evaluation", "luminosities": [{"luminosity_fb": …, "band": {…}}, …]}, …]}
//   Network analyses list every seed in "seeds" (the seed is the evaluate task's "seed"
//   parameter); cut-based analyses have the top-level "luminosities" only. The row's name is the
//   task's "analysis" parameter (the file's for runs made by hand); ⟨N⟩ is the task's "mean".

/// `metrics.json` of an evaluate task (the fields the report uses).
struct MetricsFile: Decodable {
    var network: String?
    var auc: Double
    var roc: [Point]
    var outputHistograms: Histograms?

    struct Point: Decodable { var signalEfficiency: Double; var backgroundRejection: Double? }
    struct Histograms: Decodable { var edges: [Double]; var counts: [String: [Double]] }
}

/// `limits.json` of a limits task (the fields the report uses).
struct LimitsFile: Decodable {
    var analysis: String?
    var systematics: Systematics?
    var luminosities: [Luminosity]
    var seeds: [Seed]?

    struct Systematics: Decodable { var jes: Bool? }
    struct Seed: Decodable { var evaluation: String; var luminosities: [Luminosity] }
    struct Luminosity: Decodable { var luminosityFb: Double; var band: Band }
    struct Band: Decodable {
        var minus2: Double, minus1: Double, median: Double, plus1: Double, plus2: Double
        enum CodingKeys: String, CodingKey { case minus2 = "-2", minus1 = "-1", median = "0", plus1 = "1", plus2 = "2" }
    }
}

/// Dataset names in `outputs.h5`.
enum OutputsSchema {
    static let file = "outputs.h5"
    static let score = "score", label = "label", channel = "channel", weight = "weight", eventID = "event_id"
}

/// Fills `ReportData` from a grid run directory.
public enum RunLoader {
    /// One finished task and its folder.
    struct Task {
        var task: GridTask
        var directory: URL
        func parameter(_ key: String) -> String? { task.parameters[key] }
        /// ⟨N⟩, nil without pileup.
        var pileupMean: Double? { parameter("mean").flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } }
    }

    /// The stages whose outputs the report reads.
    static let stages = ["preprocess", "train", "evaluate", "limits"]

    /// Reads every finished task of the run; what is missing or unreadable becomes a note.
    public static func load(runDirectory: String) -> ReportData {
        let run = RunDirectory(path: runDirectory)
        var data = ReportData(runName: URL(fileURLWithPath: run.path).standardizedFileURL.lastPathComponent)
        let tasks = finishedTasks(run: run, notes: &data.notes)
        let byStage = Dictionary(grouping: tasks, by: \.task.stage)

        let datasets = byStage["preprocess"] ?? []
        let nominal = datasets.first { $0.pileupMean == nil } ?? datasets.first
        let datasetFolder = nominal.map { $0.directory.appendingPathComponent("dataset").path }
        if let datasetFolder { DatasetLoader.load(directory: datasetFolder, into: &data) }
        else { data.notes.append("No data-set figures: the run has no finished preprocess task.") }

        for task in byStage["train"] ?? [] where task.pileupMean == nil { loadHistories(task, into: &data) }
        data.trainingHistories.sort { ($0.network, $0.seed ?? 0) < ($1.network, $1.seed ?? 0) }

        var outputs: [(network: String, seed: Int?, path: String)] = []
        for task in byStage["evaluate"] ?? [] where task.pileupMean == nil && task.parameter("jes") != "true" {
            do {
                if let o = try loadEvaluation(task, into: &data) { outputs.append(o) }
            } catch { data.notes.append("Evaluation left out: \(error)") }
        }
        let evaluationSeeds = Dictionary(uniqueKeysWithValues: (byStage["evaluate"] ?? []).compactMap { t in
            t.parameter("seed").flatMap(Int.init).map { (t.task.id, $0) }
        })
        for task in byStage["limits"] ?? [] {
            do { try loadLimits(task, seeds: evaluationSeeds, into: &data) } catch { data.notes.append("Limits left out: \(error)") }
        }
        data.analyses.sort { (PaperTable1.order($0.analysis), $0.analysis, $0.pileupMean ?? 0, $0.jes ? 1 : 0)
            < (PaperTable1.order($1.analysis), $1.analysis, $1.pileupMean ?? 0, $1.jes ? 1 : 0) }
        if let datasetFolder, !outputs.isEmpty {
            do { data.correlations = try CorrelationBuilder.build(dataset: datasetFolder, outputs: outputs, separation: data.separation) }
            catch { data.notes.append("No correlation matrices: \(error)") }
        }
        if let graph = try? run.loadGraph() {
            (data.stageTimings, data.runWallSeconds) = StageTiming.collect(run: run, graph: graph)
        }
        return data
    }

    static func finishedTasks(run: RunDirectory, notes: inout [String]) -> [Task] {
        let graph: TaskGraph
        do { graph = try run.loadGraph() } catch {
            notes.append("Nothing to report from this run: \(error)")
            return []
        }
        var unfinished: [String: Int] = [:]
        var tasks: [Task] = []
        for task in graph.tasks where stages.contains(task.stage) {
            if run.isDone(task) { tasks.append(Task(task: task, directory: URL(fileURLWithPath: run.folder(of: task)))) }
            else { unfinished[task.stage, default: 0] += 1 }
        }
        for stage in stages where unfinished[stage] != nil {
            notes.append("\(unfinished[stage]!) \(stage) task(s) not finished; left out.")
        }
        return tasks
    }

    /// history.json of every seed of a train task (`run/` for one seed, `runs/seed-S/` for several).
    static func loadHistories(_ task: Task, into data: inout ReportData) {
        let network = task.parameter("network") ?? task.task.label
        let seeds = (task.parameter("seeds") ?? "").split(separator: ",").compactMap { Int($0) }
        let runs: [(seed: Int?, folder: String)] = seeds.count > 1 ? seeds.map { ($0, "runs/seed-\($0)") } : [(seeds.first, "run")]
        for (seed, folder) in runs {
            let path = task.directory.appendingPathComponent("\(folder)/history.json").path
            do { data.trainingHistories.append(try HistoryLoader.load(path: path, network: network, seed: seed)) }
            catch { data.notes.append("Training curve left out: \(error)") }
        }
    }

    /// Adds the ROC curve and output histograms of an evaluate task and returns its outputs file
    /// for the correlations.
    static func loadEvaluation(_ task: Task, into data: inout ReportData) throws -> (network: String, seed: Int?, path: String)? {
        let folder = task.directory.appendingPathComponent("evaluation")
        let metricsPath = folder.appendingPathComponent("metrics.json")
        let metrics = FileManager.default.fileExists(atPath: metricsPath.path) ? try decode(MetricsFile.self, metricsPath) : nil
        let network = metrics?.network ?? task.parameter("network") ?? task.task.label
        let seed = task.parameter("seed").flatMap { Int($0) }
        let outputsPath = folder.appendingPathComponent(OutputsSchema.file).path
        let hasOutputs = FileManager.default.fileExists(atPath: outputsPath)
        if let metrics {
            data.rocCurves.append(ROCCurve(network: network, seed: seed, auc: metrics.auc,
                                           signalEfficiency: metrics.roc.map(\.signalEfficiency),
                                           backgroundEfficiency: metrics.roc.map { $0.backgroundRejection.map { 1 / $0 } ?? 0 }))
            if let h = metrics.outputHistograms {
                data.outputHistograms.append(OutputHistograms(network: network, seed: seed, edges: h.edges,
                    channels: h.counts.sorted { channelOrder($0.key) < channelOrder($1.key) }.map { ChannelCounts(channel: $0.key, values: $0.value) }))
            }
        } else if hasOutputs {
            let computed = try OutputsLoader.load(path: outputsPath, network: network, seed: seed)
            data.rocCurves.append(computed.roc)
            data.outputHistograms.append(computed.histograms)
        } else {
            throw ReportError("\(folder.path): neither metrics.json nor \(OutputsSchema.file)")
        }
        return hasOutputs ? (network, seed, outputsPath) : nil
    }

    static func loadLimits(_ task: Task, seeds evaluationSeeds: [String: Int], into data: inout ReportData) throws {
        let path = task.directory.appendingPathComponent("limits/limits.json")
        let file = try decode(LimitsFile.self, path)
        guard let analysis = task.parameter("analysis") ?? file.analysis else {
            throw ReportError("\(path.path): missing field 'analysis' (and no analysis parameter in task.json)")
        }
        func bands(_ entries: [LimitsFile.Luminosity]) -> [AnalysisLimits.LuminosityBand] {
            entries.map {
                AnalysisLimits.LuminosityBand(luminosity: $0.luminosityFb, band: LimitBand(
                    minus2: $0.band.minus2, minus1: $0.band.minus1, median: $0.band.median, plus1: $0.band.plus1, plus2: $0.band.plus2))
            }
        }
        // Seeds by their evaluate task (…/tasks/evaluate/<id>/evaluation); the order given otherwise.
        let perSeed: [(seed: Int?, limits: [AnalysisLimits.LuminosityBand])] = file.seeds.map { seeds in
            seeds.enumerated().map { i, s in
                let id = URL(fileURLWithPath: s.evaluation).deletingLastPathComponent().lastPathComponent
                return (evaluationSeeds[id] ?? i + 1, bands(s.luminosities))
            }
        } ?? [(nil, bands(file.luminosities))]
        for entry in perSeed {
            data.addLimits(analysis: analysis, pileupMean: task.pileupMean, jes: file.systematics?.jes ?? false,
                           seed: entry.seed, limits: entry.limits)
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
        guard let bytes = FileManager.default.contents(atPath: url.path) else { throw ReportError("\(url.path): missing") }
        do { return try JSONDecoder.snakeCase.decode(T.self, from: bytes) } catch let error as DecodingError {
            throw ReportError("\(url.path): \(error.readable)")
        }
    }

    /// Channel ids of the `channel` columns (DESIGN §4).
    static let channels = ["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"]

    static func channelOrder(_ name: String) -> Int { channels.firstIndex(of: name) ?? 99 }
}

extension ReportData {
    /// Adds one seed's limits to the matching analysis row (same analysis, pileup and JES),
    /// merging luminosities of the same seed that arrive from separate tasks.
    public mutating func addLimits(analysis: String, pileupMean: Double?, jes: Bool, seed: Int?,
                                   limits: [AnalysisLimits.LuminosityBand]) {
        if let i = analyses.firstIndex(where: { $0.analysis == analysis && $0.pileupMean == pileupMean && $0.jes == jes }) {
            if let j = analyses[i].seeds.firstIndex(where: { $0.seed == seed }) {
                analyses[i].seeds[j].limits = (analyses[i].seeds[j].limits + limits).sorted { $0.luminosity < $1.luminosity }
            } else {
                analyses[i].seeds.append(.init(seed: seed, limits: limits))
            }
        } else {
            analyses.append(AnalysisLimits(analysis: analysis, pileupMean: pileupMean, jes: jes, seeds: [.init(seed: seed, limits: limits)]))
        }
    }
}
