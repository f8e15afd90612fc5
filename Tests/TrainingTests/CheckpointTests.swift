import Foundation
import NeuralNet
import TestSupport
import Testing
import Training

@Suite struct CheckpointTests {
    @Test("a checkpoint with a 1,500-epoch history round-trips exactly, and h5py reads its state as JSON")
    func longHistoryRoundTrips() throws {
        let network = Network(named: "H-ANN")!
        let model = network.build(maxBatch: 1)
        model.initializeGlorot(seed: 11)
        let optimizer = Nadam(parameterCount: model.parameterCount)
        optimizer.restore(
            Nadam.State(
                m: (0..<model.parameterCount).map { Float($0) * 1e-3 },
                v: (0..<model.parameterCount).map { Float($0) * 1e-6 }, scheduleProduct: 0.5, iteration: 1500))
        // A 1,500-epoch state as a run would checkpoint it (built from JSON: EpochRecord is decoded, not constructed).
        let history = (1...1500).map { (e: Int) -> [String: Any] in
            let x = Double(e)
            return [
                "epoch": e, "loss": 1 / x, "accuracy": 0.5 + 1e-4 * x, "validation_loss": 1.1 / x,
                "validation_accuracy": 0.49 + 1e-4 * x, "seconds": 0.123456789, "samples_per_second": 12345.678,
            ]
        }
        let json: [String: Any] = [
            "epoch": 1500, "step_in_epoch": 0, "partial_loss_sum": 0.0, "partial_correct": 0,
            "partial_samples": 0, "history": history, "best_validation_accuracy": 0.64, "best_epoch": 1500,
        ]
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let state = try decoder.decode(TrainingState.self, from: JSONSerialization.data(withJSONObject: json))
        #expect(state.history.count == 1500)
        let path = TestPaths.temporaryDirectory("checkpoint").appendingPathComponent("latest.h5").path
        try Checkpoint.write(to: path, model: model, optimizer: optimizer, state: state, network: "H-ANN", seed: 11)

        let restored = network.build(maxBatch: 1)
        let restoredOptimizer = Nadam(parameterCount: restored.parameterCount)
        let loaded = try Checkpoint.load(from: path, model: restored, optimizer: restoredOptimizer)
        #expect(loaded == state)
        #expect(restored.parameters.array == model.parameters.array)
        #expect(restoredOptimizer.state == optimizer.state)

        let script = """
            import h5py, json, sys
            with h5py.File(sys.argv[1], "r") as f:
                s = json.loads(bytes(f["training/state"][:]).decode())
                print(len(s["history"]), s["history"][-1]["epoch"], s["best_epoch"], f.attrs["format_version"])
            """
        let out = try Launcher.run("/usr/bin/python3", ["-c", script, path])
        #expect(out.status == 0, "\(out.combined)")
        #expect(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1500 1500 1500 2")
    }
}
