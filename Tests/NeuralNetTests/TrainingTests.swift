import Foundation
import NeuralNet
import Random
import Testing

/// End-to-end training on separable toy data, and bit-identical results for the same seed.
@Suite struct TrainingTests {
    /// Two classes of 12×10 images: a bright 3×3 blob in the upper or the lower half, at a
    /// random column, on noise; one-hot targets.
    static func images(count: Int, seed: UInt64) -> (x: [Float], y: [Float]) {
        var rng = SplitMix64(seed: seed)
        var x: [Float] = [], y: [Float] = []
        for _ in 0..<count {
            let label = Int(rng.next() % 2)
            var image = (0..<120).map { _ in 0.3 * rng.nextUnitFloat() }
            let row = label == 0 ? Int(rng.next() % 3) : 7 + Int(rng.next() % 3), col = Int(rng.next() % 8)
            for a in 0..<3 { for b in 0..<3 { image[(row + a) * 10 + col + b] += 1 } }
            x += image
            y += label == 0 ? [1, 0] : [0, 1]
        }
        return (x, y)
    }

    /// Two unit Gaussian clouds in 8 dimensions, means ±0.8 per coordinate (Bayes accuracy 98.8%).
    static func features(count: Int, seed: UInt64) -> (x: [Float], y: [Float]) {
        var rng = SplitMix64(seed: seed)
        var x: [Float] = [], y: [Float] = []
        for _ in 0..<count {
            let label = Int(rng.next() % 2)
            for _ in 0..<8 {
                let u1 = max(rng.nextUnitFloat(), 1e-7), u2 = rng.nextUnitFloat()
                let gauss = (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
                x.append(gauss + (label == 0 ? -0.8 : 0.8))
            }
            y += label == 0 ? [1, 0] : [0, 1]
        }
        return (x, y)
    }

    /// Trains with batches of `batch`, returns the validation accuracy.
    static func train(
        _ model: Model, _ optimizer: Nadam, data: (x: [Float], y: [Float]), validation: (x: [Float], y: [Float]),
        epochs: Int, batch: Int
    ) -> Double {
        let n = data.y.count / 2, size = model.inputSize
        for _ in 0..<epochs {
            for start in stride(from: 0, to: n - batch + 1, by: batch) {
                model.forward(Array(data.x[start * size..<(start + batch) * size]), batch: batch)
                model.backward(targets: Array(data.y[start * 2..<(start + batch) * 2]))
                optimizer.step(parameters: model.parameters, gradients: model.gradients)
            }
        }
        let m = validation.y.count / 2
        var correct = 0
        for start in stride(from: 0, to: m, by: batch) {
            let count = min(batch, m - start)
            let p = model.forward(Array(validation.x[start * size..<(start + count) * size]), batch: count)
            for s in 0..<count where (p[2 * s + 1] > p[2 * s]) == (validation.y[2 * (start + s) + 1] == 1) {
                correct += 1
            }
        }
        return Double(correct) / Double(m)
    }

    static func toyCNN() -> Model {
        Model(
            name: "toy-cnn", inputShape: [12, 10, 1],
            specs: [
                .conv2D(filters: 4, activation: .relu), .averagePooling2D, .conv2D(filters: 4, activation: .relu),
                .averagePooling2D, .flatten, .dense(units: 8, activation: .relu),
                .dense(units: 2, activation: .softmax),
            ],
            maxBatch: 30)
    }

    @Test func toyCNNLearnsSeparableImages() {
        let model = Self.toyCNN()
        model.initializeGlorot(seed: 1)
        let accuracy = Self.train(
            model, Nadam(parameterCount: model.parameterCount, learningRate: 0.01),
            data: Self.images(count: 600, seed: 2), validation: Self.images(count: 300, seed: 3),
            epochs: 4, batch: 30)
        print("TrainingTests toy CNN validation accuracy \(accuracy)")
        #expect(accuracy > 0.95)
    }

    @Test func kANNLearnsSeparableFeatures() {
        let model = Network.kANN.build(maxBatch: 50)
        model.initializeGlorot(seed: 4)
        let accuracy = Self.train(
            model, Nadam(parameterCount: model.parameterCount, learningRate: 0.01),
            data: Self.features(count: 2000, seed: 5), validation: Self.features(count: 1000, seed: 6),
            epochs: 5, batch: 50)
        print("TrainingTests K-ANN validation accuracy \(accuracy)")
        #expect(accuracy > 0.95)
    }

    @Test func sameSeedGivesBitIdenticalWeights() {
        func run(seed: UInt64) -> [Float] {
            let model = Self.toyCNN()
            model.initializeGlorot(seed: seed)
            _ = Self.train(
                model, Nadam(parameterCount: model.parameterCount, learningRate: 0.01),
                data: Self.images(count: 120, seed: 2), validation: Self.images(count: 30, seed: 3), epochs: 1,
                batch: 30)
            return model.parameters.array
        }
        let first = run(seed: 9), second = run(seed: 9), other = run(seed: 10)
        #expect(first == second)
        #expect(first != other)
    }
}
