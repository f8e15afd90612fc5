import Datasets
import Foundation
import HDF5
import NeuralNet

/// Where training stands: enough, with the weights and the optimizer state, to continue a run
/// exactly as if it had not stopped.
public struct TrainingState: Codable, Equatable, Sendable {
    /// Epochs completed.
    public var epoch = 0
    /// Steps already taken in the epoch under way (0 at an epoch boundary).
    public var stepInEpoch = 0
    /// Loss sum, correct predictions and samples of the steps taken in the epoch under way.
    public var partialLossSum = 0.0
    public var partialCorrect = 0
    public var partialSamples = 0
    public var history: [EpochRecord] = []
    /// The best validation accuracy so far and its epoch (1-based; 0 = none yet).
    public var bestValidationAccuracy = -1.0
    public var bestEpoch = 0
    public init() {}
}

/// One epoch of `history.json`.
public struct EpochRecord: Codable, Equatable, Sendable {
    public var epoch: Int
    public var loss: Double
    public var accuracy: Double
    public var validationLoss: Double
    public var validationAccuracy: Double
    public var seconds: Double
    public var samplesPerSecond: Double

    public init(
        epoch: Int, loss: Double, accuracy: Double, validationLoss: Double, validationAccuracy: Double,
        seconds: Double, samplesPerSecond: Double
    ) {
        self.epoch = epoch
        self.loss = loss
        self.accuracy = accuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.seconds = seconds
        self.samplesPerSecond = samplesPerSecond
    }
}

/// `history.json` of a training run: one `EpochRecord` per finished epoch, snake_case keys.
public enum TrainingHistoryFile {
    public static let name = "history.json"

    /// Writes `records` into the run folder atomically.
    public static func write(_ records: [EpochRecord], toRun directory: URL) throws {
        try JSONEncoder.snakeCasePretty.encode(records).write(
            to: directory.appendingPathComponent(name), options: .atomic)
    }

    /// Reads a `history.json`; a missing, unreadable or empty file is an error naming it.
    public static func read(from path: String) throws -> [EpochRecord] {
        guard let bytes = FileManager.default.contents(atPath: path) else { throw TrainingFailure("\(path): missing") }
        let records: [EpochRecord]
        do { records = try JSONDecoder.snakeCase.decode([EpochRecord].self, from: bytes) } catch {
            throw TrainingFailure("\(path): not a training history: \(error)")
        }
        guard !records.isEmpty else { throw TrainingFailure("\(path): no epochs") }
        return records
    }
}

/// Checkpoint files: the Keras 2 HDF5 weight layout, so Keras (`model.load_weights`) and h5py
/// users can read them, plus a `training` group with the exact optimizer state and the
/// `TrainingState` for resuming.
///
/// ```
/// /                        @keras_version="2.2.4" @backend="tensorflow" @format="vbfgrid.checkpoint" @format_version=2
/// /model_weights           @layer_names=[conv2d, conv2d_1, average_pooling2d, …, dense_3]
/// /model_weights/conv2d    @weight_names=["conv2d/kernel:0", "conv2d/bias:0"]   (empty for pooling/flatten)
/// /model_weights/conv2d/conv2d/kernel:0   float32 (4, 4, 1, 64)  Keras orientation
/// /training                @network @seed @schedule @iteration @schedule_product
/// /training/state          uint8 [n]: the TrainingState as UTF-8 JSON (epoch, step, history, best)
/// /training/nadam_m, /training/nadam_v    float32 [parameters]
/// ```
public enum Checkpoint {
    public static let format = "vbfgrid.checkpoint"

    /// Writes a checkpoint atomically (temporary name, then rename).
    public static func write(
        to path: String, model: Model, optimizer: Nadam, state: TrainingState,
        network: String, seed: UInt64
    ) throws {
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("keras_version", "2.2.4")
            try file.setAttribute("backend", "tensorflow")
            try file.setAttribute("format", format)
            try file.setAttribute("format_version", 2)
            try writeWeights(model, into: try file.createGroup("model_weights"))
            let training = try file.createGroup("training")
            try training.setAttribute("network", network)
            try training.setAttribute("seed", String(seed))
            try training.setAttribute("schedule", optimizer.schedule.rawValue)
            let saved = optimizer.state
            try training.setAttribute("iteration", saved.iteration)
            try training.setAttribute("schedule_product", Double(saved.scheduleProduct))
            // A dataset, not an attribute: the history of a 1,000-epoch run outgrows HDF5's 64 kB attribute limit.
            let json = [UInt8](try JSONEncoder.sortedSnakeCase.encode(state))
            try training.write("state", json, chunk: [min(max(json.count, 1), 1 << 20)], deflate: 1)
            try training.write("nadam_m", saved.m, chunk: [min(max(saved.m.count, 1), 1 << 20)], deflate: 1)
            try training.write("nadam_v", saved.v, chunk: [min(max(saved.v.count, 1), 1 << 20)], deflate: 1)
        }
    }

    /// Writes the model's weights in the Keras 2 layout into `group` (`NeuralNet.KerasWeights`).
    public static func writeWeights(_ model: Model, into group: HDF5Group) throws {
        try KerasWeights.write(model, into: group)
    }

    /// Loads weights written by vbfgrid or by Keras (2 or 3; `model_weights` or weights at the
    /// root), matched by layer order as Keras' `load_weights` does (`NeuralNet.KerasWeights`).
    public static func loadWeights(into model: Model, from path: String) throws {
        try KerasWeights.load(into: model, from: path)
    }

    /// Loads weights, optimizer state and training state from a vbfgrid checkpoint.
    public static func load(from path: String, model: Model, optimizer: Nadam) throws -> TrainingState {
        try loadWeights(into: model, from: path)
        let training = try HDF5File(opening: path).group("training")
        let schedule = try training.stringAttribute("schedule")
        guard schedule == optimizer.schedule.rawValue else {
            throw CheckpointError(
                "\(path): written with the Nadam schedule '\(schedule)', this run uses '\(optimizer.schedule.rawValue)'"
            )
        }
        let m = try training.read("nadam_m", as: Float.self), v = try training.read("nadam_v", as: Float.self)
        guard m.count == model.parameterCount, v.count == model.parameterCount else {
            throw CheckpointError(
                "\(path): optimizer state of \(m.count) values for \(model.parameterCount) parameters")
        }
        optimizer.restore(
            Nadam.State(
                m: m, v: v,
                scheduleProduct: Float(try training.attribute("schedule_product", as: Double.self)),
                iteration: try training.attribute("iteration", as: Int.self)))
        let json = try training.read("state", as: UInt8.self)
        return try JSONDecoder.snakeCase.decode(TrainingState.self, from: Data(json))
    }
}

/// A checkpoint that does not fit the model or is not a checkpoint.
public struct CheckpointError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension JSONEncoder {
    static var sortedSnakeCase: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
