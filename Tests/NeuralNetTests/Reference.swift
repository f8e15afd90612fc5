import Foundation
import NeuralNet
import TestSupport

/// A Keras reference case from `shared/reference/nn/<name>.json`, read with JSONSerialization.
struct Reference {
    let json: [String: Any]

    init(_ name: String) throws {
        let url = TestPaths.shared.appendingPathComponent("reference/nn/\(name).json")
        json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    /// The value at a dotted key path ("forward.probabilities").
    func value(_ path: String) -> Any {
        var node: Any = json
        for key in path.split(separator: ".") { node = (node as! [String: Any])[String(key)]! }
        return node
    }

    /// A `{shape, data}` tensor as a flat Float array (the JSON holds float32 values exactly).
    static func tensor(_ node: Any) -> [Float] {
        ((node as! [String: Any])["data"] as! [Any]).map { Float(($0 as! NSNumber).doubleValue) }
    }

    func tensor(_ path: String) -> [Float] { Reference.tensor(value(path)) }

    /// A per-layer list (`initial_weights`, `gradients`, …) as layer name → [kernel, bias].
    static func layerWeights(_ node: Any) -> [String: [[Float]]] {
        var out: [String: [[Float]]] = [:]
        for entry in node as! [[String: Any]] {
            out[entry["layer"] as! String] = [tensor(entry["kernel"]!), tensor(entry["bias"]!)]
        }
        return out
    }

    func layerWeights(_ path: String) -> [String: [[Float]]] { Reference.layerWeights(value(path)) }
}

/// max|a − ref| / max|ref|: the per-tensor relative error the README prescribes.
func relativeError(_ a: some Collection<Float>, _ ref: [Float]) -> Double {
    precondition(a.count == ref.count, "compared tensors differ in size: \(a.count) vs \(ref.count)")
    let scale = ref.map { abs(Double($0)) }.max() ?? 0
    let diff = zip(a, ref).map { abs(Double($0) - Double($1)) }.max() ?? 0
    return scale == 0 ? diff : diff / scale
}

/// |a − ref| ≤ rel·max|ref| + abs for every element.
func withinTolerance(_ a: some Collection<Float>, _ ref: [Float], relative: Double = 1e-5, absolute: Double = 1e-7) -> Bool {
    let scale = ref.map { abs(Double($0)) }.max() ?? 0
    return zip(a, ref).allSatisfy { abs(Double($0) - Double($1)) <= relative * scale + absolute }
}

extension Model {
    /// Loads weights given as layer name → [kernel, bias].
    func load(_ weights: [String: [[Float]]]) {
        for (i, layer) in layers.enumerated() where !layer.weightShapes.isEmpty {
            setWeights(ofLayer: i, weights[layer.name]!)
        }
    }
}
