import Foundation
import NeuralNet
import TestSupport
import Testing

/// Keras-written HDF5 files load and reproduce Keras's outputs; vbfgrid weight files have the
/// Keras 2 layout (checked with h5py) and round-trip exactly.
@Suite struct KerasWeightsTests {
    /// Keras 3 files (`sequential/conv2d/kernel` naming, variable-length strings): initial weights
    /// equal the JSON's exactly, and the outputs match; after 3 Nadam steps too.
    @Test(arguments: [Network.cnnTiny, .annTiny])
    func loadsKerasWrittenFiles(network: Network) throws {
        let ref = try Reference(network.rawValue)
        let input = try ref.tensor("input"), batch = try ref.tensor("targets_onehot").count / 2
        let model = network.build(maxBatch: batch)
        try KerasWeights.load(into: model, from: Reference.file("\(network.rawValue).h5"))
        let initial = try ref.layerWeights("initial_weights")
        for (i, layer) in model.layers.enumerated() where !layer.weightShapes.isEmpty {
            #expect(model.weights(ofLayer: i) == initial[layer.name], "\(layer.name)")
        }
        let probabilities = model.forward(input, batch: batch)
        let ok = withinTolerance(probabilities, try ref.tensor("forward.probabilities"))
        #expect(ok)

        try KerasWeights.load(into: model, from: Reference.file("\(network.rawValue)_after3_nadam.h5"))
        let after = model.forward(input, batch: batch)
        let okAfter = withinTolerance(after, try ref.tensor("nadam.probabilities_after_last_step"))
        #expect(okAfter)
    }

    @Test func mismatchedFileIsAClearError() throws {
        let model = Network.cnnTiny.build(maxBatch: 1)
        let path = try Reference.file("ann_tiny.h5")
        do {
            try KerasWeights.load(into: model, from: path)
            Issue.record("loading ann_tiny.h5 into cnn_tiny did not fail")
        } catch {
            let message = "\(error)"
            #expect(message.contains("ann_tiny.h5") && message.contains("cnn_tiny"), "\(message)")
        }
    }

    @Test func roundTripIsExact() throws {
        let model = Network.hANN.build(maxBatch: 1)
        model.initializeGlorot(seed: 3)
        for i in 0..<model.parameterCount { model.parameters[i] += Float(i % 7) * 1e-3 } // non-zero biases
        let directory = TestPaths.temporaryDirectory("nn-weights")
        let path = directory.appendingPathComponent("h.h5").path
        try KerasWeights.write(model, to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["h.h5"]) // no temporary left
        let loaded = Network.hANN.build(maxBatch: 1)
        try KerasWeights.load(into: loaded, from: path)
        #expect(loaded.parameters.array == model.parameters.array)
    }

    /// The layout as h5py sees it: Keras 2 attributes, fixed-length strings, Keras orientations.
    @Test func layoutIsKeras2() throws {
        let model = Network.pjLRCNN.build(maxBatch: 1)
        model.initializeGlorot(seed: 5)
        let path = TestPaths.temporaryDirectory("nn-layout").appendingPathComponent("lr.h5").path
        try KerasWeights.write(model, to: path)
        let script = """
            import sys, h5py, json
            f = h5py.File(sys.argv[1], 'r')
            g = f['model_weights']
            out = {'keras_version': f.attrs['keras_version'].decode(), 'fixed': g.attrs['layer_names'].dtype.kind,
                   'layer_names': [n.decode() for n in g.attrs['layer_names']], 'weights': {}}
            for n in out['layer_names']:
                names = [w.decode() for w in g[n].attrs['weight_names']]
                out['weights'][n] = [[w, list(g[n][w].shape), g[n][w].dtype.str, g[n][w].chunks is None] for w in names]
            out['first'] = float(g['conv2d']['conv2d/kernel:0'][1, 2, 0, 5])
            print(json.dumps(out))
            """
        let result = try Launcher.run("/usr/bin/python3", ["-c", script, path])
        #expect(result.status == 0, "\(result.combined)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(json["keras_version"] as? String == "2.2.4")
        #expect(json["fixed"] as? String == "S")
        #expect(json["layer_names"] as? [String] == model.layers.map(\.name))
        let weights = json["weights"] as! [String: [[Any]]]
        #expect(weights["flatten"]!.isEmpty)
        let dense = weights["dense"]!
        #expect(dense[0][0] as? String == "dense/kernel:0" && dense[0][1] as? [Int] == [2240, 300])
        #expect(dense[0][2] as? String == "<f4" && dense[0][3] as? Bool == true)
        #expect(weights["conv2d_1"]![0][1] as? [Int] == [4, 4, 64, 64])
        // Keras orientation: element (1, 2, 0, 5) of the first kernel is flat index ((1·4 + 2)·1 + 0)·64 + 5.
        #expect(Float(json["first"] as! Double) == model.parameters[((1 * 4 + 2) * 1 + 0) * 64 + 5])
    }
}
