import ArgumentParser
import BLAS
import Foundation
import MPI
import NeuralNet
import Stages
import Training

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

            Data-parallel: --ranks 1,2 runs the training step under `mpirun -n K` for each K (one BLAS
            thread per rank; the global batch split across the ranks, gradients summed with the bucketed
            non-blocking all-reduce of real training) and prints global samples/s, the speed-up and
            scaling efficiency against the first K, and the all-reduce time per step left exposed after
            overlapping with the backward pass. Under mpirun/srun directly, it measures that one K.

            --conv-backend onednn,winograd measures each backend in turn in the same run (same weights,
            data and core) and prints each one's ratio to the first; with --json the objects of the
            backends are listed under "backends".

            --compare-keras also runs the Keras 3 + TensorFlow anchor (tools/bench/keras_train.py, the
            same network, batch, Nadam and random inputs, oneDNN on, one thread; with --ranks, K threads)
            in the same invocation and prints both rates and their ratio, by wall time and per CPU-second
            (the fair figure when other processes share the core). It needs the venv of `make
            bench-venv`. Run under `taskset -c N` to pin both to the same core.
            """
    )

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Data-parallel: rank counts to compare, e.g. 1,2 (each run under mpirun).", valueName: "list"))
    var ranks: String?

    @Option(name: .long, help: "The network, e.g. PJ-LR-CNN or K-ANN.")
    var network: String

    @Option(name: .long, help: "Timed batches (after one warm-up batch).")
    var batches = 5

    @Option(name: .long, help: "Samples per batch (the paper's is 300).")
    var batchSize = 300

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Convolution backend: onednn, winograd or im2col (default: VBFGRID_CONV_BACKEND, else onednn); a "
                + "comma-separated list, e.g. onednn,winograd, measures each in the same run.",
            valueName: "names"))
    var convBackend: String?

    @Flag(name: .long, help: "Also run the Keras 3 + TensorFlow (oneDNN) anchor and print the ratios.")
    var compareKeras = false

    @Flag(name: .long, help: "Print the figures as one JSON object.")
    var json = false

    func validate() throws {
        guard Network(named: network) != nil else {
            throw ValidationError(
                "--network: unknown network '\(network)'; expected one of "
                    + Network.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard batches > 0 else { throw ValidationError("--batches must be positive, got \(batches)") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
        for name in convBackendNames where ConvolutionBackend(rawValue: name) == nil {
            throw ValidationError("--conv-backend: expected onednn, winograd or im2col, got '\(name)'")
        }
        if ranks != nil && convBackendNames.count > 1 {
            throw ValidationError("--ranks measures one --conv-backend, got \(convBackendNames.count)")
        }
    }

    private var convBackendNames: [String] {
        convBackend?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
    }

    /// The convolution backends of this run, in the order given.
    var convolutions: [ConvolutionBackend] {
        let named = convBackendNames.compactMap(ConvolutionBackend.init(rawValue:))
        return named.isEmpty ? [.standard] : named
    }

    /// The convolution backend of a data-parallel run.
    var convolution: ConvolutionBackend { convolutions[0] }

    func run() throws {
        BLAS.threads = 1
        if MPIRuntime.isLaunched { return try runDistributed() }
        if let ranks { return try compareRankCounts(ranks) }
        let results = convolutions.map {
            TrainingBenchmark.run(
                network: Network(named: network)!, batchSize: batchSize, batches: batches, convolution: $0)
        }
        let keras =
            compareKeras
            ? try KerasAnchor.run(network: network, batchSize: batchSize, batches: batches, threads: 1) : nil
        if json {
            let objects = results.map { jsonObject($0, keras) }
            let top: [String: Any] = objects.count == 1 ? objects[0] : ["backends": objects]
            let data = try JSONSerialization.data(withJSONObject: top, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        for (i, result) in results.enumerated() {
            if i > 0 { print("") }
            printResult(result, keras)
        }
        for result in results.dropFirst() {
            let base = results[0]
            print(
                String(
                    format: "\n%@ / %@, per CPU-second: train %.2f×, inference %.2f×", result.convolution.rawValue,
                    base.convolution.rawValue,
                    result.trainSamplesPerSecond / result.trainCPUShare
                        / (base.trainSamplesPerSecond / base.trainCPUShare),
                    result.inferSamplesPerSecond / result.inferCPUShare
                        / (base.inferSamplesPerSecond / base.inferCPUShare)))
        }
    }

    /// The --json object of one backend's run (with the Keras anchor's rates and ratios).
    private func jsonObject(_ result: TrainingBenchmark, _ keras: KerasAnchor?) -> [String: Any] {
        let layers: [[String: Any]] = result.layers.map {
            [
                "name": $0.name, "type": $0.kind, "forward_ms": $0.forward * 1e3, "backward_ms": $0.backward * 1e3,
                "gflops": ($0.forward + $0.backward) > 0 ? $0.flops / ($0.forward + $0.backward) * 1e-9 : 0,
            ]
        }
        var object: [String: Any] = [
            "network": result.network, "conv_backend": result.convolution.rawValue, "batch_size": result.batchSize,
            "batches": result.batches,
            "train_samples_per_s": result.trainSamplesPerSecond, "train_cpu_share": result.trainCPUShare,
            "infer_samples_per_s": result.inferSamplesPerSecond,
            "conv_gflops": result.convGflops, "sgemm_gflops": result.sgemmGflops,
            "optimizer_ms": result.optimizerSeconds * 1e3, "layers": layers,
            "infer_cpu_share": result.inferCPUShare,
        ]
        if let keras {
            object["keras"] = [
                "train_samples_per_s": keras.trainSamplesPerS, "train_cpu_share": keras.trainCpuShare,
                "infer_samples_per_s": keras.inferSamplesPerS, "infer_cpu_share": keras.inferCpuShare,
                "tensorflow": keras.tensorflow, "keras": keras.keras, "onednn": keras.onednn,
            ]
            object["train_ratio_per_cpu_second"] =
                result.trainSamplesPerSecond / result.trainCPUShare
                / (keras.trainSamplesPerS / keras.trainCpuShare)
            object["infer_ratio_per_cpu_second"] =
                result.inferSamplesPerSecond / result.inferCPUShare
                / (keras.inferSamplesPerS / keras.inferCpuShare)
        }
        return object
    }

    /// The human-readable figures of one backend's run.
    private func printResult(_ result: TrainingBenchmark, _ keras: KerasAnchor?) {
        print(
            "\(result.network): batch \(result.batchSize), \(result.batches) timed batches, 1 BLAS thread (\(BLAS.coreName)), "
                + "convolutions on \(result.convolution.rawValue)")
        print(
            String(
                format: "train      %10.1f samples/s (this thread ran %.0f%% of the time: %.1f samples per CPU-second)",
                result.trainSamplesPerSecond, 100 * result.trainCPUShare,
                result.trainSamplesPerSecond / result.trainCPUShare))
        print(
            String(
                format: "inference  %10.1f samples/s (%.1f per CPU-second)", result.inferSamplesPerSecond,
                result.inferSamplesPerSecond / result.inferCPUShare))
        if let keras { printComparison(result, keras) }
        if result.convGflops > 0 {
            print(
                String(
                    format: "conv       %10.1f GFLOP/s (%.0f%% of the sgemm figure)", result.convGflops,
                    100 * result.convGflops / result.sgemmGflops))
        }
        print(String(format: "sgemm      %10.1f GFLOP/s (1024³, same run)", result.sgemmGflops))
        let total = result.layers.reduce(result.optimizerSeconds) { $0 + $1.forward + $1.backward }
        print("\nlayer                     forward ms  backward ms   share   GFLOP/s")
        for layer in result.layers {
            let time = layer.forward + layer.backward
            print(
                padded(layer.name)
                    + String(
                        format: "%11.2f %12.2f %6.1f%% %9.1f", layer.forward * 1e3,
                        layer.backward * 1e3, 100 * time / total, time > 0 ? layer.flops / time * 1e-9 : 0))
        }
        print(
            padded("Nadam step")
                + String(
                    format: "%24.2f %6.1f%%", result.optimizerSeconds * 1e3,
                    100 * result.optimizerSeconds / total))
    }

    /// The Keras anchor's rates and vbfgrid's ratio to them, by wall time and per CPU-second.
    private func printComparison(_ result: TrainingBenchmark, _ keras: KerasAnchor) {
        print("keras      \(keras.label)")
        let rows = [
            ("train", result.trainSamplesPerSecond, result.trainCPUShare, keras.trainSamplesPerS, keras.trainCpuShare),
            (
                "inference", result.inferSamplesPerSecond, result.inferCPUShare, keras.inferSamplesPerS,
                keras.inferCpuShare
            ),
        ]
        for (what, ours, ourShare, theirs, theirShare) in rows {
            print(
                String(
                    format:
                        "  %-9@ %9.1f samples/s (%.1f per CPU-second); vbfgrid / keras %.2f× (wall), %.2f× (per CPU-second)",
                    what, theirs, theirs / theirShare, ours / theirs, (ours / ourShare) / (theirs / theirShare)))
        }
    }

    private func padded(_ name: String) -> String {
        name.count >= 25 ? name + " " : name + String(repeating: " ", count: 25 - name.count)
    }

    /// One data-parallel measurement under mpirun/srun; rank 0 prints it as JSON.
    private func runDistributed() throws {
        let world = MPIRuntime.initialize()
        let result = DataParallelBenchmark.run(
            network: Network(named: network)!, batchSize: batchSize, batches: batches, group: world,
            convolution: convolution)
        if world.rank == 0 {
            let encoder = JSONEncoder()
            encoder.keyEncodingStrategy = .convertToSnakeCase
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        }
        MPIRuntime.finalize()
    }

    /// Runs `runDistributed` under `mpirun -n K` for every K of the list and compares.
    private func compareRankCounts(_ list: String) throws {
        let counts = try list.split(separator: ",").map { item -> Int in
            guard let k = Int(item.trimmingCharacters(in: .whitespaces)), k > 0 else {
                throw ValidationError("--ranks: '\(item)' is not a positive rank count")
            }
            return k
        }
        guard let mpirun = ExecutableSearch.find("mpirun") else {
            throw ValidationError("--ranks needs mpirun on PATH")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        if getuid() == 0 {
            environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
            environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        }
        environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
        var results: [DataParallelBenchmark] = []
        for k in counts {
            let arguments = [
                "-n", String(k), CommandLine.arguments[0], "bench", "train", "--network", network,
                "--batches", String(batches), "--batch-size", String(batchSize), "--conv-backend", convolution.rawValue,
            ]
            guard let output = ExecutableSearch.capture(mpirun, arguments, timeout: 3600, environment: environment),
                let line = output.split(separator: "\n").last(where: { $0.hasPrefix("{") })
            else {
                throw ValidationError("mpirun -n \(k) bench train did not report")
            }
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            results.append(try decoder.decode(DataParallelBenchmark.self, from: Data(line.utf8)))
        }
        let base = results[0]
        let keras =
            try compareKeras
            ? counts.map { try KerasAnchor.run(network: network, batchSize: batchSize, batches: batches, threads: $0) }
            : []
        if json {
            let rows: [[String: Any]] = results.enumerated().map { i, r in
                var row: [String: Any] = [
                    "ranks": r.ranks, "samples_per_s": r.samplesPerSecond,
                    "speedup": r.samplesPerSecond / base.samplesPerSecond,
                    "efficiency": r.samplesPerSecond / base.samplesPerSecond / Double(r.ranks) * Double(base.ranks),
                    "step_ms": r.stepSeconds * 1e3, "exposed_allreduce_ms": r.exposedAllReduceSeconds * 1e3,
                    "exposed_allreduce_fraction": r.exposedAllReduceSeconds / r.stepSeconds,
                ]
                if i < keras.count {
                    row["keras_threads"] = keras[i].threads
                    row["keras_samples_per_s"] = keras[i].trainSamplesPerS
                    row["ratio_to_keras"] = r.samplesPerSecond / keras[i].trainSamplesPerS
                }
                return row
            }
            let data = try JSONSerialization.data(
                withJSONObject: ["network": network, "batch_size": batchSize, "runs": rows],
                options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print(
            "\(network): global batch \(batchSize), \(batches) timed steps, 1 BLAS thread per rank (\(BLAS.coreName))")
        print("ranks   samples/s   speed-up   efficiency   step ms   exposed all-reduce ms (% of step)   buckets")
        for r in results {
            let speedup = r.samplesPerSecond / base.samplesPerSecond
            print(
                String(
                    format: "%5d %11.1f %9.2f× %11.0f%% %9.1f %12.2f (%.1f%%) %20d", r.ranks, r.samplesPerSecond,
                    speedup,
                    100 * speedup * Double(base.ranks) / Double(r.ranks), r.stepSeconds * 1e3,
                    r.exposedAllReduceSeconds * 1e3, 100 * r.exposedAllReduceSeconds / r.stepSeconds, r.gradientBuckets)
            )
        }
        for (r, k) in zip(results, keras) {
            print(
                String(
                    format: "keras, %d thread%@: %.1f samples/s (%@); vbfgrid %d rank%@ / keras %.2f×", k.threads,
                    k.threads == 1 ? "" : "s", k.trainSamplesPerS, k.label, r.ranks, r.ranks == 1 ? "" : "s",
                    r.samplesPerSecond / k.trainSamplesPerS))
        }
    }
}
