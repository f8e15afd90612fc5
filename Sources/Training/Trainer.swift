import Datasets
import Foundation
import MPI
import NeuralNet

/// What to train and how (paper §5.1: batch 300, Nadam with learning rate 0.001).
public struct TrainingOptions: Sendable {
    public var network: Network
    public var epochs: Int
    public var seed: UInt64
    public var batchSize = 300
    public var schedule: Nadam.Schedule = .keras2
    /// Continue from `checkpoints/latest.h5` when it exists.
    public var resume = false
    /// Seconds between progress lines.
    public var progressInterval: TimeInterval = 10

    public init(network: Network, epochs: Int, seed: UInt64) {
        self.network = network
        self.epochs = epochs
        self.seed = seed
    }
}

/// Data-parallel training of one network over a data set by the ranks of one group.
///
/// Every rank holds the whole model (initialised on the group's rank 0 and broadcast). Each
/// global batch of the epoch order (`EpochOrder`, a function of seed and epoch only) is split
/// across the ranks; each computes the gradient of its share of the global mean loss, the
/// gradients are summed in buckets while backward runs (`GradientReducer`), and the optimizer
/// step runs identically everywhere. Training with k ranks therefore matches one rank up to
/// the order of floating-point sums. Group rank 0 prints progress and writes, after every
/// epoch, `checkpoints/epoch-NNN.h5`, `checkpoints/latest.h5`, `best.h5` (highest validation
/// accuracy) and `history.json`.
public final class Trainer {
    public let options: TrainingOptions
    public let runDirectory: URL
    private let group: Communicator
    private let model: Model
    private let optimizer: Nadam
    private let reducer: GradientReducer
    private let train: BatchSource
    private let validation: BatchSource
    private let datasetDirectory: String
    private var state = TrainingState()

    public init(options: TrainingOptions, datasetDirectory: String, runDirectory: String, group: Communicator) throws {
        guard options.epochs > 0 else { throw DatasetError.invalid("--epochs must be positive, got \(options.epochs)") }
        self.options = options
        self.group = group
        self.datasetDirectory = datasetDirectory
        self.runDirectory = URL(fileURLWithPath: runDirectory)
        let manifest = try DatasetManifest.load(from: datasetDirectory)
        let input = try NetworkInput(network: options.network)
        train = try BatchSource(
            reader: SplitReader(directory: datasetDirectory, manifest: manifest, split: "train", input: input))
        validation = try BatchSource(
            reader: SplitReader(directory: datasetDirectory, manifest: manifest, split: "validation", input: input))
        guard train.count > 0, validation.count > 0 else {
            throw DatasetError.invalid(
                "\(datasetDirectory): empty train (\(train.count)) or validation (\(validation.count)) split")
        }
        let localBatch = (options.batchSize + group.size - 1) / group.size
        model = options.network.build(maxBatch: localBatch)
        optimizer = Nadam(parameterCount: model.parameterCount, schedule: options.schedule)
        reducer = GradientReducer(model: model, group: group)
    }

    var checkpoints: URL { runDirectory.appendingPathComponent("checkpoints") }
    var latest: URL { checkpoints.appendingPathComponent("latest.h5") }

    /// Trains to the last epoch (or resumes and finishes); returns the final state. Throws
    /// `TrainingPreempted` after checkpointing when a stop signal arrived.
    @discardableResult
    public func run() throws -> TrainingState {
        try FileManager.default.createDirectory(at: checkpoints, withIntermediateDirectories: true)
        if options.resume, FileManager.default.fileExists(atPath: latest.path) {
            state = try Checkpoint.load(from: latest.path, model: model, optimizer: optimizer)
            log("resuming from \(latest.path): epoch \(state.epoch + 1), step \(state.stepInEpoch)")
        } else {
            if group.rank == 0 { model.initializeGlorot(seed: options.seed) }
            group.broadcast(model.parameters.buffer, root: 0)
        }
        while state.epoch < options.epochs {
            try trainEpoch()
        }
        return state
    }

    // MARK: One epoch

    private func trainEpoch() throws {
        let epoch = state.epoch, n = train.count, b = options.batchSize
        let order = EpochOrder(events: n).permutation(seed: options.seed, epoch: epoch)
        let steps = (n + b - 1) / b, first = state.stepInEpoch
        let rank = group.rank, ranks = group.size
        let source = train
        let batches = Prefetcher(count: steps - first) { i -> Batch in
            let step = first + i
            let global = order[(step * b)..<min((step + 1) * b, n)]
            let share = shareOfBatch(size: global.count, rank: rank, ranks: ranks)
            return try source.batch(
                global[(global.startIndex + share.lowerBound)..<(global.startIndex + share.upperBound)])
        }
        defer { batches.cancel() }
        let started = monotonicSeconds()
        var lastPrint = started, samplesThisRun = 0
        for step in first..<steps {
            let batch = try batches.next()!
            let globalSize = min(b, n - step * b)
            var local = [0.0, 0.0, 0.0, Preemption.requested ? 1 : 0] // loss sum, correct, non-finite, stop
            if batch.count > 0 {
                let probabilities = batch.inputs.withUnsafeBufferPointer { model.forward($0, batch: batch.count) }
                local[1] = Double(correct(probabilities, batch.labels))
                local[0] = batch.targets.withUnsafeBufferPointer {
                    model.backward(targets: $0, lossDivisor: globalSize) { [reducer] layer, _ in
                        reducer.layerReady(layer)
                    }
                }
                if !local[0].isFinite { local[2] = 1 }
            } else {
                model.gradients.zero()
                for i in model.layers.indices.reversed() where !model.parameterRanges[i].isEmpty {
                    reducer.layerReady(i)
                }
            }
            reducer.finish()
            group.allReduce(&local, .sum)
            if local[2] > 0 {
                throw TrainingFailure(
                    "epoch \(epoch + 1), step \(step + 1): the loss is not finite (NaN or inf); "
                        + "no checkpoint was written for this epoch (the last good one is \(latest.path))")
            }
            optimizer.step(parameters: model.parameters, gradients: model.gradients)
            state.stepInEpoch = step + 1
            state.partialLossSum += local[0]
            state.partialCorrect += Int(local[1])
            state.partialSamples += globalSize
            samplesThisRun += globalSize
            let now = monotonicSeconds()
            if now - lastPrint >= options.progressInterval || step == steps - 1 {
                lastPrint = now
                let rate = Double(samplesThisRun) / (now - started)
                let remaining = Double(n - state.partialSamples + (options.epochs - epoch - 1) * n) / max(rate, 1e-9)
                log(
                    String(
                        format: "epoch %d/%d batch %d/%d, %.1f samples/s, loss %.4f, ETA %@", epoch + 1,
                        options.epochs, step + 1, steps, rate, state.partialLossSum / Double(state.partialSamples),
                        durationText(remaining)))
            }
            if local[3] > 0 && step < steps - 1 {
                try saveCheckpoint(named: "latest.h5")
                throw TrainingPreempted(checkpoint: latest.path)
            }
        }
        let seconds = monotonicSeconds() - started
        let (validationLoss, validationAccuracy) = try validate()
        let record = EpochRecord(
            epoch: epoch + 1, loss: state.partialLossSum / Double(n),
            accuracy: Double(state.partialCorrect) / Double(n),
            validationLoss: validationLoss, validationAccuracy: validationAccuracy,
            seconds: seconds, samplesPerSecond: Double(samplesThisRun) / seconds)
        state.history.append(record)
        state.epoch += 1
        state.stepInEpoch = 0
        state.partialLossSum = 0
        state.partialCorrect = 0
        state.partialSamples = 0
        let isBest = validationAccuracy > state.bestValidationAccuracy
        if isBest {
            state.bestValidationAccuracy = validationAccuracy
            state.bestEpoch = epoch + 1
        }
        log(
            String(
                format:
                    "epoch %d/%d done in %@: loss %.4f, accuracy %.4f, validation loss %.4f, validation accuracy %.4f%@",
                epoch + 1, options.epochs, durationText(seconds), record.loss, record.accuracy, validationLoss,
                validationAccuracy, isBest ? " (best)" : ""))
        try saveCheckpoint(named: String(format: "epoch-%03d.h5", epoch + 1), best: isBest)
        if local3Stop() { throw TrainingPreempted(checkpoint: latest.path) }
    }

    /// After an epoch's checkpoint: a pending stop request ends the run (all ranks agree).
    private func local3Stop() -> Bool {
        state.epoch < options.epochs && group.allReduce(Preemption.requested ? 1 : 0, .max) == 1
    }

    /// Validation loss and accuracy over the whole validation split, each rank scoring a slice.
    private func validate() throws -> (Double, Double) {
        let n = validation.count, share = shareOfBatch(size: n, rank: group.rank, ranks: group.size)
        let chunk = model.maxBatch
        let chunks = (share.count + chunk - 1) / chunk
        let source = validation
        let batches = Prefetcher(count: chunks) { i in
            try source.batch((share.lowerBound + i * chunk)..<min(share.lowerBound + (i + 1) * chunk, share.upperBound))
        }
        var sums = [0.0, 0.0]
        while let batch = try batches.next() {
            batch.inputs.withUnsafeBufferPointer { _ = model.forward($0, batch: batch.count) }
            sums[0] += batch.targets.withUnsafeBufferPointer { model.loss(targets: $0) } * Double(batch.count)
            sums[1] += Double(correct(model.probabilities, batch.labels))
        }
        group.allReduce(&sums, .sum)
        return (sums[0] / Double(n), sums[1] / Double(n))
    }

    private func correct(_ probabilities: UnsafeBufferPointer<Float>, _ labels: [UInt8]) -> Int {
        var count = 0
        for (i, label) in labels.enumerated() where (probabilities[2 * i + 1] > probabilities[2 * i]) == (label == 1) {
            count += 1
        }
        return count
    }

    // MARK: Files (group rank 0)

    private func saveCheckpoint(named name: String, best: Bool = false) throws {
        if group.rank == 0 {
            let path = checkpoints.appendingPathComponent(name)
            try Checkpoint.write(
                to: path.path, model: model, optimizer: optimizer, state: state,
                network: options.network.rawValue, seed: options.seed)
            if path != latest { try linkAtomically(path, to: latest) }
            if best { try linkAtomically(path, to: runDirectory.appendingPathComponent("best.h5")) }
            try TrainingHistoryFile.write(state.history, toRun: runDirectory)
        }
        group.barrier()
    }

    /// Points `link` at `target`'s content atomically (a hard link under a temporary name, renamed).
    private func linkAtomically(_ target: URL, to link: URL) throws {
        let temporary = link.deletingLastPathComponent().appendingPathComponent(
            ".\(link.lastPathComponent).tmp-\(getpid())")
        unlink(temporary.path)
        guard Foundation.link(target.path, temporary.path) == 0, rename(temporary.path, link.path) == 0 else {
            throw CheckpointError("cannot link \(link.path) to \(target.path): \(String(cString: strerror(errno)))")
        }
    }

    private func log(_ message: String) {
        guard group.rank == 0 else { return }
        FileHandle.standardOutput.write(
            Data("train \(options.network.rawValue) seed \(options.seed): \(message)\n".utf8))
    }

    private func durationText(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Training stopped on bad numbers or bad data.
public struct TrainingFailure: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
