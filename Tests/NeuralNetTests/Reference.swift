import Foundation
import NeuralNet
import TestSupport

/// A Keras reference case, `Tests/Fixtures/nn/<name>.json` (made by tools/fixtures/make_nn_reference.py).
/// Missing files and fields are `FixtureError`s naming the file and the field.
struct Reference {
    let json: JSONObject

    init(_ name: String) throws {
        json = try Fixtures.json("nn/\(name).json")
    }

    /// The path of a Keras-written file of `Tests/Fixtures/nn/`.
    static func file(_ name: String) throws -> String {
        try Fixtures.url("nn/\(name)").path
    }

    /// The value at a dotted key path ("architecture.total_params").
    func value<T>(_ path: String, as type: T.Type = T.self) throws -> T {
        try json.value(path)
    }

    /// A `{shape, data}` tensor as a flat Float array (the JSON holds float32 values exactly).
    static func tensor(_ node: JSONObject) throws -> [Float] {
        try node.value("data", as: [NSNumber].self).map { Float($0.doubleValue) }
    }

    func tensor(_ path: String) throws -> [Float] { try Reference.tensor(json.object(path)) }

    /// A per-layer list (`initial_weights`, `gradients`, …) as layer name → [kernel, bias].
    static func layerWeights(_ entries: [JSONObject]) throws -> [String: [[Float]]] {
        var out: [String: [[Float]]] = [:]
        for entry in entries {
            out[try entry.value("layer", as: String.self)] = [
                try tensor(entry.object("kernel")), try tensor(entry.object("bias")),
            ]
        }
        return out
    }

    func layerWeights(_ path: String) throws -> [String: [[Float]]] { try Reference.layerWeights(json.objects(path)) }
}

/// max|a − ref| / max|ref|: the per-tensor relative error the README prescribes (infinite when
/// the sizes differ).
func relativeError(_ a: some Collection<Float>, _ ref: [Float]) -> Double {
    guard a.count == ref.count else { return .infinity }
    let scale = ref.map { abs(Double($0)) }.max() ?? 0
    let diff = zip(a, ref).map { abs(Double($0) - Double($1)) }.max() ?? 0
    return scale == 0 ? diff : diff / scale
}

/// |a − ref| ≤ rel·max|ref| + abs for every element (false when the sizes differ).
func withinTolerance(_ a: some Collection<Float>, _ ref: [Float], relative: Double = 1e-5, absolute: Double = 1e-7)
    -> Bool
{
    let scale = ref.map { abs(Double($0)) }.max() ?? 0
    return a.count == ref.count
        && zip(a, ref).allSatisfy { abs(Double($0) - Double($1)) <= relative * scale + absolute }
}

extension Model {
    /// Loads weights given as layer name → [kernel, bias]; throws if a layer is missing.
    func load(_ weights: [String: [[Float]]]) throws {
        for (i, layer) in layers.enumerated() where !layer.weightShapes.isEmpty {
            guard let values = weights[layer.name] else {
                throw FixtureError(Fixtures.folder, "no weights for layer \(layer.name) of \(name)")
            }
            setWeights(ofLayer: i, values)
        }
    }
}
