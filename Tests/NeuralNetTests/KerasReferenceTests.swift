import Foundation
import NeuralNet
import TestSupport
import Testing

/// The engine against Keras 3 / TensorFlow numbers for the two tiny models (cnn_tiny: conv,
/// 'same' padding, odd-row pooling, flatten, ReLU; ann_tiny: sigmoid). Tolerance per tensor:
/// |a − ref| ≤ 1e-5·max|ref| + 1e-7. The engine's passes run on every convolution backend
/// (Winograd's rounding stays within the same tolerance on these small layers).
@Suite struct KerasReferenceTests {
    static let cases: [Network] = [.cnnTiny, .annTiny]

    /// A model of `network` with the reference's initial weights and its batch.
    static func setUp(_ network: Network, _ convolution: ConvolutionBackend = .im2col) throws -> (
        Reference, Model, [Float], [Float], Int
    ) {
        let ref = try Reference(network.rawValue)
        let input = try ref.tensor("input"), targets = try ref.tensor("targets_onehot")
        let batch = targets.count / 2
        let model = network.build(maxBatch: batch, convolution: convolution)
        try model.load(ref.layerWeights("initial_weights"))
        return (ref, model, input, targets, batch)
    }

    @Test(arguments: cases)
    func architectureMatchesKeras(network: Network) throws {
        let ref = try Reference(network.rawValue)
        let layers = try ref.json.objects("architecture.layers")
        let model = network.build(maxBatch: 1)
        #expect(model.layers.map(\.name) == (try layers.map { try $0.value("name", as: String.self) }))
        #expect(model.layers.map(\.outputShape) == (try layers.map { try $0.value("output_shape", as: [Int].self) }))
        #expect(model.parameterCount == (try ref.value("architecture.total_params", as: Int.self)))
    }

    @Test(arguments: cases, ConvolutionBackend.allCases)
    func forwardLossAndGradients(network: Network, convolution: ConvolutionBackend) throws {
        let (ref, model, input, targets, batch) = try Self.setUp(network, convolution)
        model.forward(input, batch: batch)
        var worst = 0.0
        for (i, entry) in try ref.json.objects("forward.layers").enumerated() {
            let expected = try Reference.tensor(entry.object(i == model.layers.count - 1 ? "preactivation" : "output"))
            let got = model.output(ofLayer: i)
            let ok = withinTolerance(got, expected)
            #expect(ok, "\(network) layer \(model.layers[i].name) output, rel err \(relativeError(got, expected))")
            worst = max(worst, relativeError(got, expected))
        }
        let probabilities = try ref.tensor("forward.probabilities")
        #expect(withinTolerance(model.probabilities, probabilities))
        let loss = model.loss(targets: targets.withUnsafeBufferPointer { $0 })
        let refLoss = try ref.json.double("loss.value")
        #expect(abs(loss - refLoss) <= 1e-5 * refLoss)

        let sum = model.backward(targets: targets)
        #expect(abs(sum / Double(batch) - refLoss) <= 1e-5 * refLoss)
        let gradients = try ref.layerWeights("gradients")
        for (i, layer) in model.layers.enumerated() where !layer.weightShapes.isEmpty {
            let got = gradientWeights(model, i)
            let expected = try #require(gradients[layer.name], "no gradients of \(layer.name) in the reference")
            for (w, name) in zip(0..<2, ["kernel", "bias"]) {
                let e = relativeError(got[w], expected[w])
                let ok = withinTolerance(got[w], expected[w], absolute: 0)
                #expect(ok, "\(network) \(layer.name) \(name) gradient rel err \(e)")
                worst = max(worst, e)
            }
        }
        print("KerasReference \(network) \(convolution): worst forward/gradient relative error \(worst)")
    }

    /// Three Nadam steps on the same batch, both schedules, from the engine's own gradients.
    @Test(
        arguments: [
            (Network.cnnTiny, Nadam.Schedule.keras2), (.cnnTiny, .keras3), (.annTiny, .keras2), (.annTiny, .keras3),
        ],
        ConvolutionBackend.allCases)
    func threeNadamSteps(case: (network: Network, schedule: Nadam.Schedule), convolution: ConvolutionBackend) throws {
        let (network, schedule) = `case`
        let (ref, model, input, targets, batch) = try Self.setUp(network, convolution)
        let key = schedule == .keras3 ? "nadam" : "nadam_keras2_schedule"
        let steps = try ref.json.objects("\(key).steps")
        let optimizer = Nadam(parameterCount: model.parameterCount, schedule: schedule)
        var worst = 0.0
        for step in steps {
            model.forward(input, batch: batch)
            let loss = model.backward(targets: targets) / Double(batch)
            let refLoss = try step.double("loss_before_step")
            #expect(abs(loss - refLoss) <= 1e-5 * refLoss)
            optimizer.step(parameters: model.parameters, gradients: model.gradients)
            let after = try Reference.layerWeights(step.objects("weights_after_step"))
            for (i, layer) in model.layers.enumerated() where !layer.weightShapes.isEmpty {
                for (got, expected) in zip(model.weights(ofLayer: i), try #require(after[layer.name])) {
                    let ok = withinTolerance(got, expected)
                    #expect(ok, "\(network) \(schedule) \(step.path) \(layer.name)")
                    worst = max(worst, relativeError(got, expected))
                }
            }
        }
        model.forward(input, batch: batch)
        #expect(withinTolerance(model.probabilities, try ref.tensor("\(key).probabilities_after_last_step")))
        let table = try ref.json.object(
            schedule == .keras3 ? "nadam.momentum_schedule_keras3" : "nadam_keras2_schedule.momentum_schedule")
        let products = try table.value("u_product_1_to_t", as: [NSNumber].self).map { Float($0.doubleValue) }
        try #require(products.count >= 3, "\(table.path).u_product_1_to_t has \(products.count) entries")
        #expect(optimizer.scheduleProduct == products[2])
        for (t, u) in try table.value("u_t", as: [NSNumber].self).enumerated() {
            #expect(optimizer.momentum(at: t + 1) == Float(u.doubleValue))
        }
        print(
            "KerasReference \(network) \(schedule) \(convolution): worst weight relative error after 3 steps \(worst)")
    }

    /// Fed TensorFlow's own gradients, the optimizer reproduces the reference weights bit for bit
    /// (Keras 3: TF itself; Keras 2.2.4: the float32 mirror of its code), and the Keras 3 state.
    @Test(arguments: [
        (Network.cnnTiny, Nadam.Schedule.keras2), (.cnnTiny, .keras3), (.annTiny, .keras2), (.annTiny, .keras3),
    ])
    func nadamIsBitExactOnReferenceGradients(network: Network, schedule: Nadam.Schedule) throws {
        let (ref, model, _, _, _) = try Self.setUp(network)
        let key = schedule == .keras3 ? "nadam" : "nadam_keras2_schedule"
        let optimizer = Nadam(parameterCount: model.parameterCount, schedule: schedule)
        for step in try ref.json.objects("\(key).steps") {
            let gradients = try Reference.layerWeights(step.objects("gradients"))
            for (i, layer) in model.layers.enumerated() where !layer.weightShapes.isEmpty {
                let flat = try #require(gradients[layer.name]).flatMap { $0 }
                try #require(
                    flat.count == model.parameterRanges[i].count, "\(step.path) \(layer.name): \(flat.count) gradients")
                model.gradients.copy(from: flat, offset: model.parameterRanges[i].lowerBound)
            }
            optimizer.step(parameters: model.parameters, gradients: model.gradients)
            let after = try Reference.layerWeights(step.objects("weights_after_step"))
            for (i, layer) in model.layers.enumerated() where !layer.weightShapes.isEmpty {
                let exact = model.weights(ofLayer: i) == after[layer.name]
                #expect(exact, "\(network) \(schedule) \(step.path) \(layer.name)")
            }
        }
        guard schedule == .keras3 else { return }
        var state: [String: [Float]] = [:]
        for entry in try ref.json.objects("nadam.optimizer_state_after_last_step") {
            state[try entry.value("path", as: String.self)] = try Reference.tensor(entry.object("value"))
        }
        #expect(optimizer.iteration == 3 && state["nadam/iteration"] == [3])
        #expect([optimizer.scheduleProduct] == state["nadam/variable"])
        let saved = optimizer.state
        for (i, layer) in model.layers.enumerated() where !layer.weightShapes.isEmpty {
            var offset = model.parameterRanges[i].lowerBound
            for part in ["kernel", "bias"] {
                let m = try #require(state["nadam/sequential_\(layer.name)_\(part)_momentum"])
                let v = try #require(state["nadam/sequential_\(layer.name)_\(part)_velocity"])
                #expect(Array(saved.m[offset..<offset + m.count]) == m)
                #expect(Array(saved.v[offset..<offset + v.count]) == v)
                offset += m.count
            }
        }
    }

    func gradientWeights(_ model: Model, _ i: Int) -> [[Float]] {
        let range = model.parameterRanges[i]
        let kernel = model.layers[i].weightShapes[0].reduce(1, *)
        let all = Array(model.gradients.view(range))
        return [Array(all[..<kernel]), Array(all[kernel...])]
    }
}
