import Datasets
import Foundation
import HDF5
import Report
import TestSupport

/// A small finished grid run written with the real data-set writers and the assumed
/// evaluate/limits schemas (see Sources/Report/RunLoader.swift).
struct RunFixture {
    let run: URL
    /// limits written: (analysis, pileup, seed) → luminosity → band.
    var limits: [String: [Double: LimitBand]] = [:]
    static let channels = ["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"]

    /// Deterministic uniform numbers in [0, 1) (SplitMix64).
    struct Numbers {
        var state: UInt64
        mutating func next() -> Double {
            state &+= 0x9E3779B97F4A7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
            z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
            return Double((z ^ (z >> 31)) >> 11) / Double(1 << 53)
        }
    }

    init(_ label: String) { run = TestPaths.temporaryDirectory(label).appendingPathComponent("runs/fixture") }

    func taskDirectory(_ stage: String, _ id: String, parameters: [String: Any], done: Bool = true) throws -> URL {
        let dir = run.appendingPathComponent("tasks/\(stage)/\(id)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let record: [String: Any] = ["stage": stage, "parameters": parameters]
        try JSONSerialization.data(withJSONObject: record).write(to: dir.appendingPathComponent("task.json"))
        if done { FileManager.default.createFile(atPath: dir.appendingPathComponent("done").path, contents: Data()) }
        return dir
    }

    /// Events of split `split`: channel cycles over the six channels; signal has larger m_jj and |Δη_jj|.
    static func rows(count: Int, offset: Int, numbers: inout Numbers) -> DatasetRows {
        var rows = DatasetRows()
        let g = ImageVariant.pjLR.geometry
        var image = [Float](), k = [Float](), r = [Float]()
        for i in 0..<count {
            let channel = UInt8((i + offset) % 6), signal = channel < 2
            rows.channel.append(channel); rows.label.append(signal ? 1 : 0); rows.weight.append(1)
            rows.eventID += [Int64(channel), Int64(i + offset)]
            let u = numbers.next()
            k += [Float((signal ? 4 : 1.5) + 3 * u), Float(numbers.next() * 1.5), Float((signal ? 1500 : 600) + 1200 * numbers.next()),
                  Float(200 + 300 * numbers.next()), Float(numbers.next() * 6.28 - 3.14), Float(numbers.next() * 3),
                  Float(numbers.next() * 3), Float(numbers.next() * 3)]
            r += (0..<16).map { Float(Double($0 + 1) * 20 * (signal ? 0.7 : 1) * (1 + numbers.next())) }
            var pixels = [Float](repeating: 0.01, count: g.pixels)
            pixels[(g.height / 2) * g.width + g.width / 2] = Float(100 + 50 * u)
            image += pixels
        }
        rows.images[.pjLR] = image; rows.features[.K] = k; rows.features[.R] = r
        return rows
    }

    /// A preprocess task with train/validation shards, average images and a manifest.
    func writeDataset(train: Int = 120, validation: Int = 60) throws -> URL {
        let dir = try taskDirectory("preprocess", "p0", parameters: ["variants": "PJ-LR"])
        var numbers = Numbers(state: 7)
        for (split, n, offset) in [("train", train, 0), ("validation", validation, 10_000)] {
            try FileManager.default.createDirectory(at: dir.appendingPathComponent(split), withIntermediateDirectories: true)
            let writer = try DatasetShardWriter(path: dir.appendingPathComponent("\(split)/shard-00000.h5").path, split: split, variants: [.pjLR])
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
            splits: ["train": .init(events: train, eventsPerChannel: perChannel(train), shards: [.init(file: "train/shard-00000.h5", events: train)]),
                     "validation": .init(events: validation, eventsPerChannel: perChannel(validation),
                                         shards: [.init(file: "validation/shard-00000.h5", events: validation)])],
            channels: Self.channels.enumerated().map { .init(name: $1, id: $0, generated: 100, selected: 50, selectionEfficiency: 0.5, crossSectionFb: 10) },
            features: ["K": .init(names: ["|deta_jj|", "|dphi_jj|", "m_jj", "met", "phi_met", "dphi(j1,met)", "dphi(j2,met)", "dphi(j1+j2,met)"],
                              mean: Array(repeating: 0, count: 8), std: Array(repeating: 1, count: 8)),
                       "R": .init(names: (0..<16).map { "HT_\(String(format: "%.2f", 1 + Double($0) * 0.27))" },
                                  mean: Array(repeating: 0, count: 16), std: Array(repeating: 1, count: 16))],
            seeds: ["mixing": 1], sources: [], averageImages: "average-images.h5")
        try manifest.save(to: dir.path)
        return dir
    }

    func writeHistory(network: String, seed: Int, epochs: Int = 5) throws {
        let dir = try taskDirectory("train", "\(network)-\(seed)", parameters: ["network": network, "seed": seed])
        let list = (1...epochs).map { e -> [String: Any] in
            let t = Double(e) + Double(seed) * 0.1
            return ["epoch": e, "loss": 0.7 / t, "accuracy": 0.6 + 0.05 * t, "validation_loss": 0.75 / t,
                    "validation_accuracy": 0.58 + 0.05 * t, "seconds": 1.5, "samples_per_second": 800.0]
        }
        try JSONSerialization.data(withJSONObject: list).write(to: dir.appendingPathComponent("history.json"))
    }

    /// outputs.h5 for the validation events (scores separate the classes by `strength`), and
    /// optionally a metrics.json with ROC points and histograms.
    func writeEvaluation(network: String, seed: Int, strength: Double, metrics: Bool, validation: Int = 60) throws {
        let dir = try taskDirectory("evaluate", "\(network)-\(seed)", parameters: ["network": network, "seed": seed, "jes": "nominal"])
        var numbers = Numbers(state: UInt64(seed * 1000 + network.count))
        var score = [Float](), label = [UInt8](), channel = [UInt8](), ids = [Int64]()
        for i in 0..<validation {
            let c = UInt8((i + 10_000) % 6)
            let s = c < 2
            score.append(Float(min(max(0.5 + (s ? strength : -strength) * numbers.next() + 0.3 * (numbers.next() - 0.5), 0), 1)))
            label.append(s ? 1 : 0); channel.append(c); ids += [Int64(c), Int64(i + 10_000)]
        }
        try HDF5File.writeAtomically(to: dir.appendingPathComponent("outputs.h5").path) { file in
            try file.write("score", score); try file.write("label", label); try file.write("channel", channel)
            try file.write("weight", [Float](repeating: 1, count: validation)); try file.write("event_id", ids, shape: [validation, 2])
        }
        if metrics {
            let doc: [String: Any] = [
                "network": network, "seed": seed, "auc": 0.876,
                "roc": [[0.0, 0.0], [0.5, 0.05], [0.8, 0.2], [1.0, 1.0]].map { ["signal_efficiency": $0[0], "background_efficiency": $0[1]] },
                "histograms": ["edges": [0.0, 0.5, 1.0], "channels": ["S_EW": [2.0, 8.0], "Z_QCD": [9.0, 1.0]]],
            ]
            try JSONSerialization.data(withJSONObject: doc).write(to: dir.appendingPathComponent("metrics.json"))
        }
    }

    /// limits.json with all three luminosities; the band is derived from `median`.
    mutating func writeLimits(analysis: String, seed: Int?, pileup: Double? = nil, median: Double, done: Bool = true) throws {
        var parameters: [String: Any] = ["analysis": analysis]
        if let seed { parameters["seed"] = seed }
        if let pileup { parameters["pileup_mean"] = pileup }
        let dir = try taskDirectory("limits", "\(analysis)-\(seed ?? 0)-\(Int(pileup ?? 0))", parameters: parameters, done: done)
        var entries: [[String: Any]] = []
        for (lumi, factor) in [(36.0, 1.0), (140.0, 0.66), (300.0, 0.55)] {
            let m = median * factor
            let band = LimitBand(minus2: m * 0.52, minus1: m * 0.71, median: m, plus1: m * 1.39, plus2: m * 1.93)
            if done { limits["\(analysis)|\(pileup ?? 0)|\(seed ?? 0)", default: [:]][lumi] = band }
            entries.append(["luminosity": lumi, "workspace": "workspace-\(Int(lumi)).json",
                            "expected": ["minus2": band.minus2!, "minus1": band.minus1, "median": band.median, "plus1": band.plus1, "plus2": band.plus2!]])
        }
        try JSONSerialization.data(withJSONObject: ["limits": entries]).write(to: dir.appendingPathComponent("limits.json"))
    }

    /// The whole grid: data set, two K-ANN seeds and one PJ-LR-CNN, evaluations, the cut-based
    /// row 1, limits with pileup, and one unfinished limits task.
    static func complete(_ label: String) throws -> RunFixture {
        var f = RunFixture(label)
        _ = try f.writeDataset()
        for seed in [1, 2] { try f.writeHistory(network: "K-ANN", seed: seed) }
        try f.writeHistory(network: "PJ-LR-CNN", seed: 1)
        try f.writeEvaluation(network: "K-ANN", seed: 1, strength: 0.3, metrics: false)
        try f.writeEvaluation(network: "K-ANN", seed: 2, strength: 0.35, metrics: false)
        try f.writeEvaluation(network: "PJ-LR-CNN", seed: 1, strength: 0.45, metrics: true)
        try f.writeLimits(analysis: "mjj-met250", seed: nil, median: 0.21)
        try f.writeLimits(analysis: "K-ANN", seed: 1, median: 0.11)
        try f.writeLimits(analysis: "K-ANN", seed: 2, median: 0.12)
        try f.writeLimits(analysis: "PJ-LR-CNN", seed: 1, median: 0.081)
        try f.writeLimits(analysis: "PJ-LR-CNN", seed: 1, pileup: 20, median: 0.09)
        try f.writeLimits(analysis: "H-ANN", seed: 1, median: 0.5, done: false)
        return f
    }
}
