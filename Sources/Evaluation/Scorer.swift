import Datasets
import Foundation
import HDF5
import NeuralNet
import Training

/// A trained network ready to score a split of a data set: the weights of a checkpoint (the
/// network named by its `training` group's `network` attribute, or the root `network`
/// attribute of a plain weight file) and the split's inputs.
public final class Scorer: @unchecked Sendable {
    public let network: Network
    public let reader: SplitReader
    public let manifest: DatasetManifest
    private let model: Model
    /// Events per forward pass.
    public let batchSize: Int

    public init(checkpoint: String, dataset: String, split: String = "validation", batchSize: Int = 256) throws {
        network = try Self.network(of: checkpoint)
        manifest = try DatasetManifest.load(from: dataset)
        reader = try SplitReader(
            directory: dataset, manifest: manifest, split: split, input: try NetworkInput(network: network))
        self.batchSize = batchSize
        model = network.build(maxBatch: batchSize)
        try Checkpoint.loadWeights(into: model, from: checkpoint)
    }

    /// The network a checkpoint or weight file was written for.
    public static func network(of path: String) throws -> Network {
        let file = try HDF5File(opening: path)
        let name: String
        if file.contains("training"), try file.group("training").hasAttribute("network") {
            name = try file.group("training").stringAttribute("network")
        } else if file.hasAttribute("network") {
            name = try file.stringAttribute("network")
        } else {
            throw EvaluationError(
                "\(path): no attribute 'training/network' or 'network': not a vbfgrid checkpoint or weight file")
        }
        guard let network = Network(named: name) else {
            throw EvaluationError("\(path): attribute 'network' is '\(name)', not one of the paper's networks")
        }
        return network
    }

    /// P(signal) for the events `range` of the split, optionally with a JES variation.
    public func score(_ range: Range<Int>, variation: JESVariation? = nil) throws -> [Float] {
        var scores: [Float] = []
        scores.reserveCapacity(range.count)
        var start = range.lowerBound
        while start < range.upperBound {
            let end = min(start + batchSize, range.upperBound)
            var inputs = try reader.read(start..<end).inputs
            variation?.apply(to: &inputs, input: reader.input, manifest: manifest)
            let probabilities = inputs.withUnsafeBufferPointer { model.forward($0, batch: end - start) }
            for e in 0..<(end - start) { scores.append(probabilities[2 * e + 1]) }
            start = end
        }
        return scores
    }
}

/// A checkpoint, data set or evaluation output that cannot be used, with the file and field.
public struct EvaluationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
