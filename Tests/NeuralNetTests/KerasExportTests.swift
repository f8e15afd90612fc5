import Foundation
import NeuralNet
import Random
import TestSupport
import Testing

/// Writes, for every network, a vbfgrid weight file (after two Nadam steps from a Glorot start),
/// three inputs and the engine's probabilities, and checks that reloading the file gives
/// the same probabilities bit for bit. `make test-keras` points `VBFGRID_KERAS_OUT` at a folder
/// and then has Keras 3 load each file (`tools/keras/keras_roundtrip.py`) and compare.
@Suite struct KerasExportTests {
    static let outputDirectory: URL = {
        if let path = ProcessInfo.processInfo.environment["VBFGRID_KERAS_OUT"] { return URL(fileURLWithPath: path) }
        return TestPaths.temporaryDirectory("nn-keras-export")
    }()

    /// A reference-JSON-style tensor.
    static func tensorJSON(_ shape: [Int], _ data: some Sequence<Float>) throws -> Data {
        try JSONSerialization.data(withJSONObject: ["shape": shape, "data": data.map { Double($0) }])
    }

    @Test(arguments: Network.allCases)
    func exportsWeightsAndOutputs(network: Network) throws {
        let batch = 3
        let model = network.build(maxBatch: batch)
        model.initializeGlorot(seed: 31)
        let optimizer = Nadam(parameterCount: model.parameterCount)
        let isImage = model.inputShape.count == 3
        // Images: sparse non-negative deposits like calorimeter towers; features: z-score-like values.
        var rng = SplitMix64(seed: 32)
        let input = (0..<batch * model.inputSize).map { _ -> Float in
            let u = rng.nextUnitFloat()
            return isImage ? (u < 0.9 ? 0 : 50 * rng.nextUnitFloat()) : 4 * u - 2
        }
        for _ in 0..<2 {
            model.forward(input, batch: batch)
            model.backward(targets: [1, 0, 0, 1, 1, 0])
            optimizer.step(parameters: model.parameters, gradients: model.gradients)
        }
        let probabilities = model.forward(input, batch: batch)
        let directory = Self.outputDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let name = network.rawValue
        try KerasWeights.write(model, to: directory.appendingPathComponent("\(name).h5").path)
        try Self.tensorJSON([batch] + model.inputShape, input).write(
            to: directory.appendingPathComponent("\(name)-input.json"))
        try Self.tensorJSON([batch, 2], probabilities).write(
            to: directory.appendingPathComponent("\(name)-expected.json"))

        let reloaded = network.build(maxBatch: batch)
        try KerasWeights.load(into: reloaded, from: directory.appendingPathComponent("\(name).h5").path)
        #expect(reloaded.forward(input, batch: batch) == probabilities)
    }
}
