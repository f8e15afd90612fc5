import Datasets
import Evaluation
import Foundation
import Grid
import Limits
import Statistics
import Training

// The run directory is the grid runner's (`Grid.RunDirectory`: graph.json, tasks/<stage>/<id>/
// with task.json and a `done` marker written last). Stage outputs, as `Grid.StageTasks`
// places them: preprocess → <task>/dataset (the data set), train → <task>/run/history.json or
// <task>/runs/seed-<S>/history.json, evaluate → <task>/evaluation/, limits → <task>/limits/.
// Task parameters used: "mean" (⟨N⟩ of the pileup), "network", "seeds" (train), "seed" and
// "jes" (evaluate), "analysis" (limits: a network or "cut-<observable>-<met cut>").
//
// Every file is read with the type that writes it: `Training.TrainingHistoryFile` (history.json),
// `Evaluation.EvaluationMetrics` (metrics.json), `Evaluation.EvaluationOutputs` (outputs.h5),
// `Limits.LimitsReport` (limits.json), `Datasets.DatasetManifest` (the data set),
// `Fidelity.FidelityReport` (fidelity → <task>/fidelity/fidelity.json).

/// Fills `ReportData` from a grid run directory.
public enum RunLoader {
    /// One finished task and its folder.
    struct Task {
        var task: GridTask
        var directory: URL
        func parameter(_ key: String) -> String? { task.parameters[key] }
        /// ⟨N⟩, nil without pileup.
        var pileupMean: Double? { parameter("mean").flatMap(Double.init).flatMap { $0 > 0 ? $0 : nil } }
        /// The overlay mode, set only when the run has both modes.
        var keepHardObjects: Bool? { parameter("keep_hard_objects").flatMap(Bool.init) }
        /// The training size of a learning-curve task (its data set's `train`); nil otherwise.
        var trainEvents: Int? { parameter("train").flatMap { Int($0) } }
    }

    /// What to do with an output that cannot be read: leave it out with a note in the report,
    /// or (strict) fail. A run directory without a readable graph.json always fails.
    struct Problems {
        var strict: Bool
        var notes: [String] = []

        mutating func leaveOut(_ what: String, _ body: () throws -> Void) throws {
            do { try body() } catch {
                if strict { throw ReportError("\(what): \(error)") }
                notes.append("\(what): \(error)")
            }
        }
    }

    /// The stages whose outputs the report reads.
    static let stages = ["fidelity", "preprocess", "train", "evaluate", "limits"]

    /// Reads every finished task of the run. Outputs that cannot be read become notes, or with
    /// `strict` an error; a folder that is not a readable grid run is always an error.
    public static func load(runDirectory: String, strict: Bool = false) throws -> ReportData {
        let run = RunDirectory(path: runDirectory)
        let graph: TaskGraph
        do { graph = try run.loadGraph() } catch {
            throw ReportError("\(runDirectory) is not a readable grid run: \(error)")
        }
        var data = ReportData(runName: URL(fileURLWithPath: run.path).standardizedFileURL.lastPathComponent)
        var problems = Problems(strict: strict)
        let tasks = finishedTasks(run: run, graph: graph, notes: &problems.notes)
        let byStage = Dictionary(grouping: tasks, by: \.task.stage)

        // A learning curve: the figures other than the limits show its largest training size.
        let datasets = (byStage["preprocess"] ?? []).sorted { ($0.trainEvents ?? 0) > ($1.trainEvents ?? 0) }
        let largest = datasets.first?.trainEvents
        let atLargest = { (t: Task) in t.task.stage == "preprocess" || t.trainEvents == nil || t.trainEvents == largest
        }
        let nominal = datasets.first { $0.pileupMean == nil } ?? datasets.first
        let datasetFolder = nominal.map { $0.directory.appendingPathComponent("dataset").path }
        if let datasetFolder {
            try problems.leaveOut("Data-set figures left out") {
                try DatasetLoader.load(directory: datasetFolder, into: &data)
            }
        } else {
            problems.notes.append("No data-set figures: the run has no finished preprocess task.")
        }

        for task in byStage["train"] ?? [] where task.pileupMean == nil && atLargest(task) {
            try problems.leaveOut("Training curve left out") { try loadHistories(task, into: &data) }
        }
        data.trainingHistories.sort { ($0.network, $0.seed ?? 0) < ($1.network, $1.seed ?? 0) }

        var outputs: [(network: String, seed: Int?, path: String)] = []
        for task in byStage["evaluate"] ?? []
        where task.pileupMean == nil && task.parameter("jes") != "true" && atLargest(task) {
            try problems.leaveOut("Evaluation left out") { outputs.append(try loadEvaluation(task, into: &data)) }
        }
        let evaluationSeeds = Dictionary(
            uniqueKeysWithValues: (byStage["evaluate"] ?? []).compactMap { t in
                t.parameter("seed").flatMap(Int.init).map { (t.task.id, $0) }
            })
        for task in byStage["limits"] ?? [] {
            try problems.leaveOut("Limits left out") { try loadLimits(task, seeds: evaluationSeeds, into: &data) }
        }
        data.analyses.sort {
            $0.precedes($1)
        }
        if let datasetFolder, !outputs.isEmpty {
            try problems.leaveOut("No correlation matrices") {
                data.correlations = try CorrelationBuilder.build(
                    dataset: datasetFolder, outputs: outputs, separation: data.separation)
            }
        }
        for task in byStage["fidelity"] ?? [] {
            try problems.leaveOut("fastsim fidelity left out") {
                data.fidelity = try FidelityResult.load(folder: task.directory.appendingPathComponent("fidelity").path)
            }
        }
        (data.stageTimings, data.runWallSeconds) = StageTiming.collect(run: run, graph: graph)
        data.notes += problems.notes
        return data
    }

    static func finishedTasks(run: RunDirectory, graph: TaskGraph, notes: inout [String]) -> [Task] {
        var unfinished: [String: Int] = [:]
        var tasks: [Task] = []
        for task in graph.tasks where stages.contains(task.stage) {
            if run.isDone(task) {
                tasks.append(Task(task: task, directory: URL(fileURLWithPath: run.folder(of: task))))
            } else {
                unfinished[task.stage, default: 0] += 1
            }
        }
        for stage in stages where unfinished[stage] != nil {
            notes.append("\(unfinished[stage]!) \(stage) task(s) not finished; left out.")
        }
        return tasks
    }

    /// history.json of every seed of a train task (`run/` for one seed, `runs/seed-S/` for several).
    static func loadHistories(_ task: Task, into data: inout ReportData) throws {
        let network = task.parameter("network") ?? task.task.label
        let seeds = (task.parameter("seeds") ?? "").split(separator: ",").compactMap { Int($0) }
        let runs: [(seed: Int?, folder: String)] =
            seeds.count > 1 ? seeds.map { ($0, "runs/seed-\($0)") } : [(seeds.first, "run")]
        for (seed, folder) in runs {
            let path = task.directory.appendingPathComponent("\(folder)/\(TrainingHistoryFile.name)").path
            data.trainingHistories.append(
                TrainingHistory(network: network, seed: seed, epochs: try TrainingHistoryFile.read(from: path)))
        }
    }

    /// Adds the ROC curve and output histograms of an evaluate task (its metrics.json) and
    /// returns its outputs file for the correlations.
    static func loadEvaluation(_ task: Task, into data: inout ReportData) throws -> (
        network: String, seed: Int?, path: String
    ) {
        let folder = task.directory.appendingPathComponent("evaluation")
        let metrics = try decode(EvaluationMetrics.self, folder.appendingPathComponent(EvaluationMetrics.fileName))
        let seed = task.parameter("seed").flatMap { Int($0) }
        let outputsPath = folder.appendingPathComponent(EvaluationOutputs.fileName).path
        guard FileManager.default.fileExists(atPath: outputsPath) else { throw ReportError("\(outputsPath): missing") }
        data.rocCurves.append(
            ROCCurve(
                network: metrics.network, seed: seed, auc: metrics.auc,
                signalEfficiency: metrics.roc.map(\.signalEfficiency),
                backgroundEfficiency: metrics.roc.map { $0.backgroundRejection.map { 1 / $0 } ?? 0 }))
        let h = metrics.outputHistograms
        data.outputHistograms.append(
            OutputHistograms(
                network: metrics.network, seed: seed, edges: h.edges,
                channels: h.counts.sorted { channelOrder($0.key) < channelOrder($1.key) }
                    .map { ChannelCounts(channel: $0.key, values: $0.value.map(Double.init)) }))
        return (metrics.network, seed, outputsPath)
    }

    static func loadLimits(_ task: Task, seeds evaluationSeeds: [String: Int], into data: inout ReportData) throws {
        let file = try decode(
            LimitsReport.self, task.directory.appendingPathComponent("limits/\(LimitsReport.fileName)"))
        let analysis = task.parameter("analysis") ?? file.analysis
        // Network rows per bin rule (files without one are equal-width); cut-based rows have none.
        let rule = { (b: LimitBinning?) -> LimitBinning? in file.kind == "network" ? b ?? .equalWidth : nil }
        // Seeds by their evaluate task (…/tasks/evaluate/<id>/evaluation); the order given otherwise.
        let perSeed: [(seed: Int?, results: [(LimitBinning?, Double, Band)])] =
            file.seeds.map { seeds in
                seeds.enumerated().map { i, s in
                    let id = URL(fileURLWithPath: s.evaluation).deletingLastPathComponent().lastPathComponent
                    return (evaluationSeeds[id] ?? i + 1, s.luminosities.map { ($0.binning, $0.luminosityFb, $0.band) })
                }
            } ?? [(nil, file.luminosities.map { ($0.binning, $0.luminosityFb, $0.band) })]
        for entry in perSeed {
            for binning in [nil] + LimitBinning.allCases.map(Optional.some) {
                let limits = entry.results.filter { rule($0.0) == binning }.map {
                    AnalysisLimits.LuminosityBand(luminosity: $0.1, band: $0.2)
                }
                guard !limits.isEmpty else { continue }
                data.addLimits(
                    AnalysisLimits(
                        analysis: analysis, pileupMean: task.pileupMean, jes: file.systematics.jes, binning: binning,
                        keepHardObjects: task.keepHardObjects, trainEvents: task.trainEvents, seeds: []),
                    seed: entry.seed, limits: limits)
            }
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ url: URL) throws -> T {
        guard let bytes = FileManager.default.contents(atPath: url.path) else {
            throw ReportError("\(url.path): missing")
        }
        do { return try JSONDecoder.snakeCase.decode(T.self, from: bytes) } catch let error as DecodingError {
            throw ReportError("\(url.path): \(error.readable)")
        }
    }

    static func channelOrder(_ name: String) -> Int { EvaluationMetrics.channelNames.firstIndex(of: name) ?? 99 }
}

extension ReportData {
    /// Adds one seed's limits to the row of the same analysis and configuration (`row`, whose
    /// seeds are ignored), merging luminosities of the same seed that arrive from separate tasks.
    public mutating func addLimits(_ row: AnalysisLimits, seed: Int?, limits: [AnalysisLimits.LuminosityBand]) {
        if let i = analyses.firstIndex(where: { $0.sameRow(as: row) }) {
            if let j = analyses[i].seeds.firstIndex(where: { $0.seed == seed }) {
                analyses[i].seeds[j].limits = (analyses[i].seeds[j].limits + limits).sorted {
                    $0.luminosity < $1.luminosity
                }
            } else {
                analyses[i].seeds.append(.init(seed: seed, limits: limits))
            }
        } else {
            var new = row
            new.seeds = [.init(seed: seed, limits: limits)]
            analyses.append(new)
        }
    }
}
