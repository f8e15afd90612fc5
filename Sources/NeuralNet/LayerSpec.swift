/// A layer of a sequential network before it is built (shapes and Keras names are derived
/// from the input shape and the order, as Keras does in a fresh session).
public enum LayerSpec: Sendable, Equatable {
    /// Conv2D(filters, k×k, stride 1, 'same').
    case conv2D(filters: Int, kernelSize: Int = 4, activation: Activation)
    /// AveragePooling2D(2×2, stride 2, 'valid').
    case averagePooling2D
    /// Flatten (channels-last).
    case flatten
    /// Dense(units).
    case dense(units: Int, activation: Activation)

    /// Keras's base name for the layer class; the n-th layer of a class gets `base_n` (n ≥ 1).
    var kerasBaseName: String {
        switch self {
        case .conv2D: "conv2d"
        case .averagePooling2D: "average_pooling2d"
        case .flatten: "flatten"
        case .dense: "dense"
        }
    }

    /// Builds the layer for a per-sample input shape (convolutions on `convolution`).
    func build(name: String, inputShape: [Int], convolution: ConvolutionBackend) -> any Layer {
        switch self {
        case let .conv2D(filters, kernelSize, activation):
            return Conv2D(
                name: name, inputShape: inputShape, filters: filters, kernelSize: kernelSize, activation: activation,
                backend: convolution)
        case .averagePooling2D:
            return AveragePooling2D(name: name, inputShape: inputShape)
        case .flatten:
            return Flatten(name: name, inputShape: inputShape)
        case let .dense(units, activation):
            precondition(inputShape.count == 1, "Dense needs a flat input, got \(inputShape); add a Flatten")
            return Dense(name: name, inputs: inputShape[0], units: units, activation: activation)
        }
    }
}
