import BLAS
import Random

/// Measures training and inference throughput of a network on random data, the per-layer time
/// split, the conv layers' achieved GFLOP/s and, in the same run, the sgemm GFLOP/s of the
/// machine (so the fraction of peak is visible). Runs with whatever `BLAS.threads` is set.
public struct TrainingBenchmark: Sendable {
    /// One layer's share of a training step.
    public struct LayerTime: Sendable {
        public var name: String, kind: String
        /// Seconds per batch.
        public var forward: Double, backward: Double
        /// Floating-point operations per batch of forward + backward.
        public var flops: Double
    }

    public var network: String
    public var convolution: ConvolutionBackend
    public var batchSize: Int
    public var batches: Int
    public var trainSamplesPerSecond: Double
    /// Thread CPU time over wall time during the timed training steps (1 on a quiet machine).
    public var trainCPUShare: Double
    public var inferSamplesPerSecond: Double
    /// Thread CPU time over wall time during the timed inference passes.
    public var inferCPUShare: Double
    public var convGflops: Double
    public var sgemmGflops: Double
    /// Seconds per batch of the optimizer step.
    public var optimizerSeconds: Double
    public var layers: [LayerTime]

    /// Runs `batches` timed training steps and inference passes (after one warm-up each).
    public static func run(
        network: Network, batchSize: Int, batches: Int, seed: UInt64 = 1,
        convolution: ConvolutionBackend = .standard
    ) -> TrainingBenchmark {
        let sgemm = BLAS.measureSgemmGFLOPS(m: 1024, k: 1024, n: 1024)
        let model = network.build(maxBatch: batchSize, convolution: convolution)
        model.initializeGlorot(seed: seed)
        let optimizer = Nadam(parameterCount: model.parameterCount)
        var rng = SplitMix64(seed: seed, stream: 1)
        let input = (0..<batchSize * model.inputSize).map { _ in rng.nextUnitFloat() }
        let targets = (0..<batchSize).flatMap { _ in rng.next() % 2 == 0 ? [Float(1), 0] : [0, 1] }

        func trainStep() {
            input.withUnsafeBufferPointer { _ = model.forward($0, batch: batchSize) }
            model.backward(targets: targets)
            optimizer.step(parameters: model.parameters, gradients: model.gradients)
        }
        trainStep()
        model.profile = LayerProfile(layers: model.layers.count)
        var optimizerSeconds = 0.0
        let trainStart = monotonicSeconds(), trainCPUStart = threadCPUSeconds()
        for _ in 0..<batches {
            input.withUnsafeBufferPointer { _ = model.forward($0, batch: batchSize) }
            model.backward(targets: targets)
            let t = monotonicSeconds()
            optimizer.step(parameters: model.parameters, gradients: model.gradients)
            optimizerSeconds += monotonicSeconds() - t
        }
        let trainSeconds = monotonicSeconds() - trainStart, trainCPUSeconds = threadCPUSeconds() - trainCPUStart
        let profile = model.profile!
        model.profile = nil

        input.withUnsafeBufferPointer { _ = model.forward($0, batch: batchSize) }
        let inferStart = monotonicSeconds(), inferCPUStart = threadCPUSeconds()
        for _ in 0..<batches { input.withUnsafeBufferPointer { _ = model.forward($0, batch: batchSize) } }
        let inferSeconds = monotonicSeconds() - inferStart, inferCPUSeconds = threadCPUSeconds() - inferCPUStart

        var layers: [LayerTime] = []
        var convFlops = 0.0, convSeconds = 0.0
        for (i, layer) in model.layers.enumerated() {
            // Backward costs two forward-sized products (kernel and input gradients), one for the first layer.
            let passes = i == 0 ? 2.0 : 3.0
            let flops = passes * Double(layer.forwardFlops) * Double(batchSize)
            let time = LayerTime(
                name: layer.name, kind: layer.kind, forward: profile.forwardSeconds[i] / Double(batches),
                backward: profile.backwardSeconds[i] / Double(batches), flops: flops)
            if layer is Conv2D {
                convFlops += flops
                convSeconds += time.forward + time.backward
            }
            layers.append(time)
        }
        return TrainingBenchmark(
            network: network.rawValue, convolution: convolution, batchSize: batchSize, batches: batches,
            trainSamplesPerSecond: Double(batches * batchSize) / trainSeconds,
            trainCPUShare: trainCPUSeconds / trainSeconds,
            inferSamplesPerSecond: Double(batches * batchSize) / inferSeconds,
            inferCPUShare: inferCPUSeconds / inferSeconds,
            convGflops: convSeconds > 0 ? convFlops / convSeconds * 1e-9 : 0,
            sgemmGflops: sgemm, optimizerSeconds: optimizerSeconds / Double(batches), layers: layers)
    }
}
