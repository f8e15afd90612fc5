import Foundation
import Generation
import Stages

/// The Keras 3 + TensorFlow (oneDNN) anchor of `bench train --compare-keras`:
/// tools/bench/keras_train.py run by the Python of the Keras venv (`$VBFGRID_KERAS_VENV`, or
/// `.build/keras-venv` in the repository, which `make bench-venv` creates). It inherits this
/// process's CPU affinity, so under `taskset` both run on the same core(s).
struct KerasAnchor: Decodable {
    var trainSamplesPerS: Double
    var trainCpuShare: Double
    var inferSamplesPerS: Double
    var inferCpuShare: Double
    var tensorflow: String
    var keras: String
    var onednn: Bool
    var threads: Int

    static func run(network: String, batchSize: Int, batches: Int, threads: Int) throws -> KerasAnchor {
        let script = try PythonTools.toolsFile("bench/keras_train.py")
        let repository = script.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let venv =
            ProcessInfo.processInfo.environment["VBFGRID_KERAS_VENV"].map { URL(fileURLWithPath: $0) }
            ?? repository.appendingPathComponent(".build/keras-venv")
        let python = venv.appendingPathComponent("bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ToolFailure(
                "--compare-keras: no Keras venv at \(venv.path) (`make bench-venv` creates it; or set VBFGRID_KERAS_VENV)"
            )
        }
        let arguments = [
            script.path, "--network", network, "--batch-size", String(batchSize), "--batches", String(batches),
            "--threads", String(threads),
        ]
        guard let output = ExecutableSearch.capture(python, arguments, timeout: 3600) else {
            throw ToolFailure("--compare-keras: \(python) \(script.path) could not run or timed out")
        }
        guard let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw ToolFailure("--compare-keras: keras_train.py did not report:\n\(output)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(KerasAnchor.self, from: Data(line.utf8))
    }

    /// "TensorFlow 2.21.0, Keras 3.15.1, oneDNN on, 1 thread".
    var label: String {
        "TensorFlow \(tensorflow), Keras \(keras), oneDNN \(onednn ? "on" : "off"), \(threads) thread\(threads == 1 ? "" : "s")"
    }
}
