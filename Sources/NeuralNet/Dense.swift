import BLAS

/// Fully connected layer: y = act(x·K + b), K of shape (in, out) as in Keras.
public final class Dense: Layer {
    public let name: String
    public let kind = "Dense"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let activation: Activation
    let inputs: Int, units: Int

    public init(name: String, inputs: Int, units: Int, activation: Activation) {
        self.name = name
        self.inputs = inputs
        self.units = units
        self.activation = activation
        inputShape = [inputs]
        outputShape = [units]
    }

    public var weightShapes: [[Int]] { [[inputs, units], [units]] }

    public func forward(
        input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>, batch: Int,
        parameters: UnsafePointer<Float>
    ) {
        BLAS.sgemmUnchecked(
            .no, .no, m: batch, n: units, k: inputs, alpha: 1,
            a: x, lda: inputs, b: parameters, ldb: units, beta: 0, c: y, ldc: units)
        addBiasAndActivate(y, rows: batch, cols: units, bias: parameters + inputs * units, activation: activation)
    }

    public func backward(
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
        outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
        batch: Int, parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>
    ) {
        activation.backward(output: y, gradient: dy, count: batch * units)
        BLAS.sgemmUnchecked(
            .yes, .no, m: inputs, n: units, k: batch, alpha: 1,
            a: x, lda: inputs, b: dy, ldb: units, beta: 0, c: gradients, ldc: units)
        sumRows(dy, rows: batch, cols: units, into: gradients + inputs * units)
        if let dx {
            BLAS.sgemmUnchecked(
                .no, .yes, m: batch, n: inputs, k: units, alpha: 1,
                a: dy, lda: units, b: parameters, ldb: units, beta: 0, c: dx, ldc: inputs)
        }
    }
}

/// y[r, c] = act(y[r, c] + bias[c]) for a row-major rows × cols matrix, in one pass.
@inline(__always)
func addBiasAndActivate(
    _ y: UnsafeMutablePointer<Float>, rows: Int, cols: Int, bias: UnsafePointer<Float>,
    activation: Activation
) {
    for r in 0..<rows {
        let row = y + r * cols
        for c in 0..<cols { row[c] += bias[c] }
        activation.apply(row, count: cols)
    }
}

/// out[c] = Σ_r a[r, c] for a row-major rows × cols matrix.
@inline(__always)
func sumRows(_ a: UnsafePointer<Float>, rows: Int, cols: Int, into out: UnsafeMutablePointer<Float>) {
    out.update(repeating: 0, count: cols)
    for r in 0..<rows {
        let row = a + r * cols
        for c in 0..<cols { out[c] += row[c] }
    }
}
