import ArgumentParser
import BLAS
import Foundation
import NeuralNet

/// `vbfgrid bench train`: training and inference throughput of one network on one BLAS thread.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training and inference samples/s of a network, with a per-layer time breakdown.",
        discussion: """
        Random inputs, one BLAS thread, Nadam (Keras 2.2.4 schedule). Prints train and inference
        samples/s, the conv layers' GFLOP/s (forward + backward FLOPs over their time) and the
        single-thread sgemm GFLOP/s measured in the same run, so the fraction of peak is visible
        on a shared machine. --json prints train_samples_per_s, infer_samples_per_s, conv_gflops,
        sgemm_gflops, train_cpu_share (thread CPU time / wall time: below 1 when other
        processes took the core) and the per-layer times.
        """
    )

    @Option(name: .long, help: "The network, e.g. PJ-LR-CNN or K-ANN.")
    var network: String

    @Option(name: .long, help: "Timed batches (after one warm-up batch).")
    var batches = 5

    @Option(name: .long, help: "Samples per batch (the paper's is 300).")
    var batchSize = 300

    @Flag(name: .long, help: "Print the figures as one JSON object.")
    var json = false

    func validate() throws {
        guard Network(named: network) != nil else {
            throw ValidationError("--network: unknown network '\(network)'; expected one of "
                                  + Network.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard batches > 0 else { throw ValidationError("--batches must be positive, got \(batches)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
    }

    func run() throws {
        BLAS.threads = 1
        let result = TrainingBenchmark.run(network: Network(named: network)!, batchSize: batchSize, batches: batches)
        if json {
            let layers: [[String: Any]] = result.layers.map {
                ["name": $0.name, "type": $0.kind, "forward_ms": $0.forward * 1e3, "backward_ms": $0.backward * 1e3,
                 "gflops": ($0.forward + $0.backward) > 0 ? $0.flops / ($0.forward + $0.backward) * 1e-9 : 0]
            }
            let object: [String: Any] = [
                "network": result.network, "batch_size": result.batchSize, "batches": result.batches,
                "train_samples_per_s": result.trainSamplesPerSecond, "train_cpu_share": result.trainCPUShare, "infer_samples_per_s": result.inferSamplesPerSecond,
                "conv_gflops": result.convGflops, "sgemm_gflops": result.sgemmGflops,
                "optimizer_ms": result.optimizerSeconds * 1e3, "layers": layers,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print("\(result.network): batch \(result.batchSize), \(result.batches) timed batches, 1 BLAS thread (\(BLAS.coreName))")
        print(String(format: "train      %10.1f samples/s (this thread ran %.0f%% of the time: %.1f samples per CPU-second)",
                     result.trainSamplesPerSecond, 100 * result.trainCPUShare, result.trainSamplesPerSecond / result.trainCPUShare))
        print(String(format: "inference  %10.1f samples/s", result.inferSamplesPerSecond))
        if result.convGflops > 0 {
            print(String(format: "conv       %10.1f GFLOP/s (%.0f%% of the sgemm figure)", result.convGflops,
                         100 * result.convGflops / result.sgemmGflops))
        }
        print(String(format: "sgemm      %10.1f GFLOP/s (1024³, same run)", result.sgemmGflops))
        let total = result.layers.reduce(result.optimizerSeconds) { $0 + $1.forward + $1.backward }
        print("\nlayer                     forward ms  backward ms   share   GFLOP/s")
        for layer in result.layers {
            let time = layer.forward + layer.backward
            print(padded(layer.name) + String(format: "%11.2f %12.2f %6.1f%% %9.1f", layer.forward * 1e3,
                         layer.backward * 1e3, 100 * time / total, time > 0 ? layer.flops / time * 1e-9 : 0))
        }
        print(padded("Nadam step") + String(format: "%24.2f %6.1f%%", result.optimizerSeconds * 1e3,
                     100 * result.optimizerSeconds / total))
    }

    private func padded(_ name: String) -> String {
        name.count >= 25 ? name + " " : name + String(repeating: " ", count: 25 - name.count)
    }
}
