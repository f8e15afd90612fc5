import Foundation
import Metrics
import NeuralNet
import Random

/// The classifier two-sample test: a network learns to tell sample B (the reference) from
/// sample A (fastsim) in k-fold cross-validation, and the ROC AUC of each held-out fold says how
/// well it can: 0.5 when the samples come from the same distribution, 1 when they do not overlap.
///
/// Both samples are cut to the same size n, shuffled (seeded) and dealt into k folds per class.
/// For each fold the network trains on the others with Nadam (Keras defaults), keeping the
/// parameters of the epoch with the lowest loss on an inner validation eighth of the training
/// events, and scores the held-out fold: P(reference). The inputs are standardised with the
/// statistics of the training events only.
public struct ClassifierTest: Sendable {
    /// How inputs are standardised.
    public enum Scaling: Sendable {
        /// Each input z-scored with the training events' mean and standard deviation.
        case zScore
        /// Every value scaled by the training events' overall standard deviation (tower images:
        /// E_T as it is; a logarithm of E_T hid a 30% energy scale from the CNN).
        case linear
    }

    public var inputShape: [Int]
    public var layers: [LayerSpec]
    public var scaling: Scaling
    public var folds = 5
    public var epochs: Int
    public var batchSize = 64
    public var learningRate: Float = 0.001
    public var seed: UInt64

    /// The event-level test: an MLP (64, 64, relu) on z-scored observables.
    public static func events(inputs: Int, epochs: Int = 40, seed: UInt64) -> ClassifierTest {
        ClassifierTest(
            inputShape: [inputs],
            layers: [
                .dense(units: 64, activation: .relu), .dense(units: 64, activation: .relu),
                .dense(units: 2, activation: .softmax),
            ],
            scaling: .zScore, epochs: epochs, seed: seed)
    }

    /// The image-level test: a small CNN on E_T images, which first averages 2 × 2 cells (PJ-LR
    /// 59 × 45 → 29 × 22, cells of 0.34, still finer than a jet) to cost 8 times less, then
    /// 2 × [Conv2D(8, 4×4, relu) → AvgPool] → Dense(32, relu).
    public static func images(shape: [Int], epochs: Int = 12, seed: UInt64) -> ClassifierTest {
        let block: [LayerSpec] = [.conv2D(filters: 8, activation: .relu), .averagePooling2D]
        return ClassifierTest(
            inputShape: shape,
            layers: [.averagePooling2D] + block + block
                + [.flatten, .dense(units: 32, activation: .relu), .dense(units: 2, activation: .softmax)],
            scaling: .linear, epochs: epochs, seed: seed)
    }

    /// The held-out AUC of every fold, their mean and spread.
    public struct Result: Codable, Sendable, Equatable {
        /// AUC of each held-out fold.
        public var folds: [Double]
        public var mean: Double
        /// Sample standard deviation of the fold AUCs.
        public var spread: Double
        /// Events per sample used (the smaller sample's size).
        public var eventsPerSample: Int

        public init(folds: [Double], eventsPerSample: Int) {
            self.folds = folds
            self.eventsPerSample = eventsPerSample
            mean = folds.reduce(0, +) / Double(max(folds.count, 1))
            let m = mean
            spread =
                folds.count > 1
                ? (folds.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(folds.count - 1)).squareRoot() : 0
        }
    }

    /// Runs the test on two samples of rows (each `inputShape` values, row after row).
    public func run(_ a: [Float], _ b: [Float]) throws -> Result {
        let width = inputShape.reduce(1, *)
        let n = min(a.count, b.count) / width
        guard n >= 4 * folds else {
            throw FidelityError.invalidInput(
                "the classifier test needs at least \(4 * folds) events per sample, got \(n)")
        }
        // Events 0..<n are sample A (label 0), n..<2n sample B (label 1); fold of an event by its
        // place in its class's shuffled order.
        var rng = SplitMix64(seed: seed, stream: 0)
        var fold = [Int](repeating: 0, count: 2 * n)
        for base in [0, n] {
            for (place, event) in Self.permutation(n, &rng).enumerated() { fold[base + event] = place % folds }
        }
        func row(_ event: Int) -> ArraySlice<Float> {
            event < n ? a[event * width..<(event + 1) * width] : b[(event - n) * width..<(event - n + 1) * width]
        }
        var aucs: [Double] = []
        for k in 0..<folds {
            let test = (0..<2 * n).filter { fold[$0] == k }
            let rest = (0..<2 * n).filter { fold[$0] != k }
            // Every 8th event (by index, so an eighth of each class) of the training folds validates.
            let validation = rest.filter { $0 % 8 == 0 }
            let training = rest.filter { $0 % 8 != 0 }
            let transform = Standardiser(scaling, rows: training.map(row), width: width)
            func matrix(_ events: [Int]) -> [Float] { events.flatMap { transform.apply(row($0)) } }
            let model = Model(name: "fidelity", inputShape: inputShape, specs: layers, maxBatch: batchSize)
            model.initializeGlorot(seed: seed &+ UInt64(k))
            train(
                model, inputs: matrix(training), labels: training.map { $0 >= n },
                validation: matrix(validation), validationLabels: validation.map { $0 >= n }, fold: k)
            let scores = Self.scores(model, matrix(test), width: width)
            aucs.append(try ROC.auc(scores: scores, isSignal: test.map { $0 >= n }))
        }
        return Result(folds: aucs, eventsPerSample: n)
    }

    /// Trains `epochs` epochs and leaves the parameters of the epoch with the lowest validation loss.
    private func train(
        _ model: Model, inputs: [Float], labels: [Bool], validation: [Float], validationLabels: [Bool], fold: Int
    ) {
        let width = inputShape.reduce(1, *), count = labels.count
        let optimizer = Nadam(parameterCount: model.parameterCount, learningRate: learningRate)
        var best = (loss: Double.infinity, parameters: model.parameters.array)
        var batch = [Float](repeating: 0, count: batchSize * width),
            targets = [Float](repeating: 0, count: batchSize * 2)
        for epoch in 0..<epochs {
            var rng = SplitMix64(seed: seed, stream: UInt64(1 + fold * 10_000 + epoch))
            let order = Self.permutation(count, &rng)
            for start in stride(from: 0, to: count, by: batchSize) {
                let size = min(batchSize, count - start)
                for (j, event) in order[start..<start + size].enumerated() {
                    batch.replaceSubrange(
                        j * width..<(j + 1) * width, with: inputs[event * width..<(event + 1) * width])
                    targets[2 * j] = labels[event] ? 0 : 1
                    targets[2 * j + 1] = labels[event] ? 1 : 0
                }
                batch.withUnsafeBufferPointer {
                    _ = model.forward(UnsafeBufferPointer(rebasing: $0[0..<size * width]), batch: size)
                }
                targets.withUnsafeBufferPointer {
                    _ = model.backward(targets: UnsafeBufferPointer(rebasing: $0[0..<size * 2]))
                }
                optimizer.step(parameters: model.parameters, gradients: model.gradients)
            }
            let loss = Self.loss(model, validation, validationLabels, width: width)
            if loss < best.loss { best = (loss, model.parameters.array) }
        }
        model.parameters.copy(from: best.parameters)
    }

    /// P(reference) of every row.
    static func scores(_ model: Model, _ inputs: [Float], width: Int) -> [Double] {
        var out: [Double] = []
        inputs.withUnsafeBufferPointer { all in
            let count = all.count / width
            for start in stride(from: 0, to: count, by: model.maxBatch) {
                let size = min(model.maxBatch, count - start)
                let p = model.forward(
                    UnsafeBufferPointer(rebasing: all[start * width..<(start + size) * width]), batch: size)
                for j in 0..<size { out.append(Double(p[2 * j + 1])) }
            }
        }
        return out
    }

    /// Mean cross-entropy of the rows against their labels.
    static func loss(_ model: Model, _ inputs: [Float], _ labels: [Bool], width: Int) -> Double {
        let p = scores(model, inputs, width: width)
        guard !p.isEmpty else { return 0 }
        return zip(p, labels).reduce(0) { $0 - log(max($1.1 ? $1.0 : 1 - $1.0, 1e-12)) } / Double(p.count)
    }

    /// A seeded Fisher–Yates permutation of 0..<n (the same on every platform).
    static func permutation(_ n: Int, _ rng: inout SplitMix64) -> [Int] {
        var order = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
        return order
    }
}

/// The input transformation of `ClassifierTest.Scaling`, fitted on the training rows.
struct Standardiser {
    let scaling: ClassifierTest.Scaling
    var offset: [Float] = [], scale: [Float] = []

    init(_ scaling: ClassifierTest.Scaling, rows: [ArraySlice<Float>], width: Int) {
        self.scaling = scaling
        var sum = [Double](repeating: 0, count: width), squares = sum
        let columns = scaling == .zScore ? width : 1
        var count = 0.0
        for row in rows {
            for (j, raw) in row.enumerated() {
                let v = Double(raw)
                sum[j % columns] += v
                squares[j % columns] += v * v
            }
            count += Double(row.count / columns)
        }
        for j in 0..<columns {
            let mean = sum[j] / max(count, 1)
            let sd = (max(squares[j] / max(count, 1) - mean * mean, 0)).squareRoot()
            offset.append(scaling == .zScore ? Float(mean) : 0)
            scale.append(sd > 1e-9 ? Float(1 / sd) : 1)
        }
    }

    func apply(_ row: ArraySlice<Float>) -> [Float] {
        switch scaling {
        case .zScore: return row.enumerated().map { ($1 - offset[$0]) * scale[$0] }
        case .linear: return row.map { $0 * scale[0] }
        }
    }
}
