extension Model {
    /// A Keras-style table of the layers, their output shapes and parameter counts.
    public var summary: String {
        func shape(_ s: [Int]) -> String { "(" + s.map(String.init).joined(separator: ", ") + ")" }
        func pad(_ s: String, _ n: Int) -> String {
            s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count)
        }
        var lines = [
            "Model: \(name)   input \(shape(inputShape))",
            pad("Layer (type)", 34) + pad("Output shape", 18) + "Param #",
        ]
        for layer in layers {
            let act = layer.activation == .linear ? "" : ", \(layer.activation.rawValue)"
            lines.append(
                pad("\(layer.name) (\(layer.kind)\(act))", 34) + pad(shape(layer.outputShape), 18)
                    + groupedThousands(layer.parameterCount))
        }
        lines.append("Trainable parameters: \(groupedThousands(parameterCount))")
        return lines.joined(separator: "\n")
    }
}

/// 1182590 → "1,182,590".
func groupedThousands(_ value: Int) -> String {
    let digits = Array(String(value))
    var out = ""
    for (i, d) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(d)
    }
    return out
}
