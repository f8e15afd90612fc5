import Datasets
import Foundation

// ASSUMED SCHEMAS. The grid run directory, `metrics.json` and `limits.json` are being defined
// by other modules; this file is the one place that reads them. When their formats land,
// adapt `TaskRecord`, `MetricsFile`, `LimitsFile` and `OutputsSchema` below — nothing else in
// the report depends on the file layouts.
//
// Run directory (grid runner):
//   RUN/tasks/<stage>/<id>/task.json   {"stage": "train", "parameters": {"network": "PJ-LR-CNN", "seed": 1, "pileup_mean": 20, …}}
//   RUN/tasks/<stage>/<id>/done        written last; tasks without it are skipped
// Stages read: preprocess (the task folder is the data set: manifest.json, shards,
// average-images.h5), train (history.json), evaluate (metrics.json, outputs.h5),
// limits (limits.json, workspace-<lumi>.json).
//
// metrics.json (evaluate):
//   {"network": "PJ-LR-CNN", "seed": 1, "pileup_mean": null, "jes": "nominal", "auc": 0.912,
//    "roc": [{"threshold": …, "signal_efficiency": …, "background_efficiency": …}, …],
//    "histograms": {"edges": [0, 0.05, …, 1], "channels": {"S_EW": […], "Z_QCD": […], …}}}
//   Every field but "auc"/"roc" may be missing; network/seed/pileup_mean/jes fall back to
//   the task's parameters. Without metrics.json (or without "roc"), ROC, AUC and histograms
//   are computed from outputs.h5.
// outputs.h5 (evaluate): score float32 [n] (P(signal)), label uint8 [n], channel uint8 [n],
//   weight float32 [n], event_id int64 [n, 2].
// limits.json (limits):
//   {"analysis": "PJ-LR-CNN" | "mjj-met250" | …, "seed": 1 | null, "pileup_mean": 20 | null, "jes": false,
//    "limits": [{"luminosity": 36, "expected": {"minus2": …, "minus1": …, "median": …, "plus1": …, "plus2": …},
//                "workspace": "workspace-36.json"}, …]}
//   A task may hold one luminosity or all; analysis/seed/pileup_mean/jes fall back to the
//   task's parameters ("network" is accepted for "analysis").

/// `task.json` of a grid task.
struct TaskRecord: Decodable {
    var stage: String
    var parameters: [String: ParameterValue] = [:]

    enum CodingKeys: String, CodingKey { case stage, parameters }
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        stage = try c.decode(String.self, forKey: .stage)
        parameters = try c.decodeIfPresent([String: ParameterValue].self, forKey: .parameters) ?? [:]
    }

    func string(_ key: String) -> String? { parameters[key]?.string }
    func number(_ key: String) -> Double? { parameters[key]?.number }
}

/// A task parameter: string, number, bool or null.
enum ParameterValue: Decodable {
    case string(String), number(Double), bool(Bool), null

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) } else if let s = try? c.decode(String.self) { self = .string(s) }
        else { self = .null }
    }

    var string: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n == n.rounded() ? String(Int(n)) : String(n)
        case .bool(let b): String(b)
        case .null: nil
        }
    }
    var number: Double? {
        switch self {
        case .number(let n): n
        case .string(let s): Double(s)
        default: nil
        }
    }
    var bool: Bool? {
        switch self {
        case .bool(let b): b
        case .string(let s): ["true", "up", "down", "yes"].contains(s.lowercased())
        default: nil
        }
    }
}

/// `metrics.json` of an evaluate task.
struct MetricsFile: Decodable {
    var network: String?
    var seed: Int?
    var pileupMean: Double?
    var jes: String?
    var auc: Double?
    var roc: [Point]?
    var histograms: Histograms?

    struct Point: Decodable { var threshold: Double?; var signalEfficiency: Double; var backgroundEfficiency: Double }
    struct Histograms: Decodable { var edges: [Double]; var channels: [String: [Double]] }
}

/// `limits.json` of a limits task.
struct LimitsFile: Decodable {
    var analysis: String?
    var seed: Int?
    var pileupMean: Double?
    var jes: Bool?
    var limits: [Entry]

    struct Entry: Decodable { var luminosity: Double; var expected: Expected; var workspace: String? }
    struct Expected: Decodable { var minus2: Double?; var minus1: Double; var median: Double; var plus1: Double; var plus2: Double? }
}

/// Dataset names in `outputs.h5`.
enum OutputsSchema {
    static let file = "outputs.h5"
    static let score = "score", label = "label", channel = "channel", weight = "weight", eventID = "event_id"
}

/// Fills `ReportData` from a grid run directory.
public enum RunLoader {
    /// One finished task: its folder and record.
    struct Task { var directory: URL; var record: TaskRecord }

    /// Reads every finished task of the run; what is missing or unreadable becomes a note.
    public static func load(runDirectory: String) -> ReportData {
        let run = URL(fileURLWithPath: runDirectory)
        var data = ReportData(runName: run.standardizedFileURL.lastPathComponent)
        let tasks = finishedTasks(run: run, notes: &data.notes)
        let byStage = Dictionary(grouping: tasks, by: \.record.stage)

        let datasets = byStage["preprocess"] ?? []
        let nominal = datasets.first { ($0.record.number("pileup_mean") ?? 0) == 0 } ?? datasets.first
        if let nominal { DatasetLoader.load(directory: nominal.directory.path, into: &data) }
        else { data.notes.append("No data-set figures: the run has no finished preprocess task.") }

        for task in byStage["train"] ?? [] {
            let path = task.directory.appendingPathComponent("history.json").path
            do {
                data.trainingHistories.append(try HistoryLoader.load(
                    path: path, network: task.record.string("network") ?? task.directory.lastPathComponent,
                    seed: task.record.number("seed").map { Int($0) }))
            } catch { data.notes.append("Training curve left out: \(error)") }
        }
        data.trainingHistories.sort { ($0.network, $0.seed ?? 0) < ($1.network, $1.seed ?? 0) }

        var outputs: [(network: String, seed: Int?, path: String)] = []
        for task in byStage["evaluate"] ?? [] {
            do {
                if let o = try loadEvaluation(task, into: &data) { outputs.append(o) }
            } catch { data.notes.append("Evaluation left out: \(error)") }
        }
        for task in byStage["limits"] ?? [] {
            do { try loadLimits(task, into: &data) } catch { data.notes.append("Limits left out: \(error)") }
        }
        data.analyses.sort { (PaperTable1.order($0.analysis), $0.analysis, $0.pileupMean ?? 0, $0.jes ? 1 : 0)
            < (PaperTable1.order($1.analysis), $1.analysis, $1.pileupMean ?? 0, $1.jes ? 1 : 0) }
        if let nominal, !outputs.isEmpty {
            do { data.correlations = try CorrelationBuilder.build(dataset: nominal.directory.path, outputs: outputs, separation: data.separation) }
            catch { data.notes.append("No correlation matrices: \(error)") }
        }
        return data
    }

    static func finishedTasks(run: URL, notes: inout [String]) -> [Task] {
        let fm = FileManager.default
        let root = run.appendingPathComponent("tasks")
        guard let stages = try? fm.contentsOfDirectory(atPath: root.path) else {
            notes.append("\(root.path): no tasks folder; nothing to report from this run.")
            return []
        }
        var tasks: [Task] = []
        for stage in stages.sorted() {
            let ids = (try? fm.contentsOfDirectory(atPath: root.appendingPathComponent(stage).path)) ?? []
            var unfinished = 0
            for id in ids.sorted() {
                let dir = root.appendingPathComponent(stage).appendingPathComponent(id)
                guard fm.fileExists(atPath: dir.appendingPathComponent("done").path) else { unfinished += 1; continue }
                let file = dir.appendingPathComponent("task.json")
                do {
                    let record = try JSONDecoder.snakeCase.decode(TaskRecord.self, from: Data(contentsOf: file))
                    tasks.append(Task(directory: dir, record: record))
                } catch { notes.append("\(file.path): unreadable task record (\(error)); task skipped.") }
            }
            if unfinished > 0 { notes.append("\(unfinished) \(stage) task(s) not finished; left out.") }
        }
        return tasks
    }

    /// Adds the ROC curve and output histograms of an evaluate task (JES variations are skipped)
    /// and returns its outputs file for the correlations.
    static func loadEvaluation(_ task: Task, into data: inout ReportData) throws -> (network: String, seed: Int?, path: String)? {
        let metricsPath = task.directory.appendingPathComponent("metrics.json")
        let metrics = FileManager.default.fileExists(atPath: metricsPath.path)
            ? try decode(MetricsFile.self, metricsPath) : nil
        let jes = metrics?.jes ?? task.record.string("jes") ?? "nominal"
        if jes != "nominal" { return nil }
        if (metrics?.pileupMean ?? task.record.number("pileup_mean") ?? 0) > 0 { return nil }
        let network = metrics?.network ?? task.record.string("network") ?? task.directory.lastPathComponent
        let seed = metrics?.seed ?? task.record.number("seed").map { Int($0) }
        let outputsPath = task.directory.appendingPathComponent(OutputsSchema.file).path
        let hasOutputs = FileManager.default.fileExists(atPath: outputsPath)
        if let metrics, let roc = metrics.roc, let auc = metrics.auc {
            data.rocCurves.append(ROCCurve(network: network, seed: seed, auc: auc,
                                           signalEfficiency: roc.map(\.signalEfficiency),
                                           backgroundEfficiency: roc.map(\.backgroundEfficiency)))
            if let h = metrics.histograms {
                data.outputHistograms.append(OutputHistograms(network: network, seed: seed, edges: h.edges,
                    channels: h.channels.sorted { channelOrder($0.key) < channelOrder($1.key) }.map { ChannelCounts(channel: $0.key, values: $0.value) }))
            }
        } else if hasOutputs {
            let computed = try OutputsLoader.load(path: outputsPath, network: network, seed: seed)
            data.rocCurves.append(computed.roc)
            data.outputHistograms.append(computed.histograms)
        } else {
            throw ReportError("\(task.directory.path): neither metrics.json with roc/auc nor \(OutputsSchema.file)")
        }
        return hasOutputs ? (network, seed, outputsPath) : nil
    }

    static func loadLimits(_ task: Task, into data: inout ReportData) throws {
        let file = try decode(LimitsFile.self, task.directory.appendingPathComponent("limits.json"))
        guard let name = file.analysis ?? task.record.string("analysis") ?? task.record.string("network") else {
            throw ReportError("\(task.directory.path)/limits.json: missing field 'analysis' (and no analysis parameter in task.json)")
        }
        let analysis = PaperTable1.canonical(name)
        let pileup = file.pileupMean ?? task.record.number("pileup_mean")
        let pileupMean = (pileup ?? 0) > 0 ? pileup : nil
        let jes = file.jes ?? task.record.parameters["jes"]?.bool ?? false
        let seed = file.seed ?? task.record.number("seed").map { Int($0) }
        let bands = file.limits.map {
            AnalysisLimits.LuminosityBand(luminosity: $0.luminosity, band: LimitBand(
                minus2: $0.expected.minus2, minus1: $0.expected.minus1, median: $0.expected.median,
                plus1: $0.expected.plus1, plus2: $0.expected.plus2))
        }
        data.addLimits(analysis: analysis, pileupMean: pileupMean, jes: jes, seed: seed, limits: bands)
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
