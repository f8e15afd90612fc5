import Foundation
import NeuralNet
import TestSupport
import Testing

/// The paper's networks: parameter counts, layer names and output shapes against the Keras 3
/// builds in `Tests/Fixtures/nn/paper_models_summary.json`, and the `train --summary` command.
@Suite struct NetworkTests {
    @Test func parameterCountsAreThePapers() {
        let expected: [Network: Int] = [
            .pjLRCNN: 1_182_590, .pmetLRCNN: 1_182_590, .pjHRCNN: 3_678_590, .pmetHRCNN: 3_678_590,
            .kANN: 210, .rANN: 991, .hANN: 2790, .cnnTiny: 422, .annTiny: 125,
        ]
        for network in Network.allCases {
            #expect(network.build(maxBatch: 1).parameterCount == expected[network], "\(network.rawValue)")
        }
    }

    @Test func layersMatchKeras() throws {
        let models = try Fixtures.json("nn/paper_models_summary.json").objects("models")
        #expect(models.count == 5)
        for entry in models {
            let name = try entry.value("name", as: String.self)
            let network = try #require(Network(named: name))
            let model = network.build(maxBatch: 1)
            let layers = try entry.objects("layers")
            #expect(model.inputShape == (try entry.value("input_shape", as: [Int].self)))
            #expect(model.layers.map(\.name) == (try entry.value("layer_names", as: [String].self)), "\(name)")
            #expect(model.layers.map(\.kind) == (try layers.map { try $0.value("type", as: String.self) }), "\(name)")
            #expect(
                model.layers.map(\.outputShape) == (try layers.map { try $0.value("output_shape", as: [Int].self) }),
                "\(name)")
            #expect(
                model.layers.map(\.parameterCount) == (try layers.map { try $0.value("params", as: Int.self) }),
                "\(name)")
            #expect(
                model.layers.map(\.weightShapes)
                    == (try layers.map { try $0.objects("weights").map { try $0.value("shape", as: [Int].self) } }))
            #expect(model.parameterCount == (try entry.value("params", as: Int.self)))
        }
    }

    @Test func namesAreCaseInsensitive() {
        #expect(Network(named: "pj-lr-cnn") == .pjLRCNN)
        #expect(Network(named: "H-ANN") == .hANN)
        #expect(Network(named: "X-ANN") == nil)
    }

    @Test func summaryCommandPrintsTheTable() throws {
        let out = try Launcher.run(TestPaths.vbfgrid.path, ["train", "--network", "PJ-HR-CNN", "--summary"])
        #expect(out.status == 0, "\(out.combined)")
        #expect(out.stdout.contains("Trainable parameters: 3,678,590"))
        #expect(out.stdout.contains("average_pooling2d_2 (AveragePooling2D)"))
        #expect(out.stdout.contains("(15, 11, 64)"))
        let bad = try Launcher.run(TestPaths.vbfgrid.path, ["train", "--network", "Q-CNN", "--summary"])
        #expect(bad.status != 0 && bad.stderr.contains("Q-CNN") && !bad.stderr.contains("Fatal error"))
    }
}

/// `vbfgrid bench train --json` prints the documented keys (values are not checked: speed is
/// measured by the benchmark, not by tests).
@Suite struct BenchCommandTests {
    @Test func jsonHasTheKeys() throws {
        let out = try Launcher.run(
            TestPaths.vbfgrid.path,
            [
                "bench", "train", "--network", "cnn_tiny", "--batches", "1",
                "--batch-size", "4", "--json",
            ])
        #expect(out.status == 0, "\(out.combined)")
        let json = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as! [String: Any]
        for key in ["train_samples_per_s", "infer_samples_per_s", "conv_gflops", "sgemm_gflops"] {
            #expect((json[key] as? Double ?? 0) > 0, "\(key)")
        }
        #expect((json["layers"] as? [[String: Any]])?.count == 8)
        let bad = try Launcher.run(
            TestPaths.vbfgrid.path, ["bench", "train", "--network", "cnn_tiny", "--batches", "0"])
        #expect(bad.status != 0 && bad.stderr.contains("--batches"))
    }

    /// A list of backends is measured in one run, each in its own object under "backends".
    @Test func backendListMeasuresEach() throws {
        let out = try Launcher.run(
            TestPaths.vbfgrid.path,
            [
                "bench", "train", "--network", "cnn_tiny", "--batches", "1", "--batch-size", "4",
                "--conv-backend", "im2col,winograd", "--json",
            ])
        #expect(out.status == 0, "\(out.combined)")
        let json = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as! [String: Any]
        let backends = json["backends"] as? [[String: Any]] ?? []
        #expect(backends.compactMap { $0["conv_backend"] as? String } == ["im2col", "winograd"])
        let bad = try Launcher.run(
            TestPaths.vbfgrid.path, ["bench", "train", "--network", "cnn_tiny", "--conv-backend", "onednn,fft"])
        #expect(bad.status != 0 && bad.stderr.contains("fft"))
    }
}
