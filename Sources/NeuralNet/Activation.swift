import Foundation

/// The activation fused into a Conv2D or Dense layer.
///
/// `softmax` is only valid on the last layer: the layer itself is then linear (its output is
/// the logits) and the model's `SoftmaxCrossEntropy` head turns the logits into probabilities.
public enum Activation: String, Sendable, CaseIterable {
    case linear, relu, sigmoid, softmax

    /// Applies the activation in place to `count` values (`softmax` is left to the loss head).
    @inline(__always)
    func apply(_ y: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .linear, .softmax: break
        case .relu: for i in 0..<count { let v = y[i]; y[i] = v > 0 ? v : 0 }
        case .sigmoid: for i in 0..<count { y[i] = 1 / (1 + expf(-y[i])) }
        }
    }

    /// Multiplies the output gradient `dy` in place by the activation's derivative, expressed
    /// through the activation's output `y` (ReLU: y > 0; sigmoid: y·(1 − y)).
    @inline(__always)
    func backward(output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .linear, .softmax: break
        case .relu: for i in 0..<count { dy[i] = y[i] > 0 ? dy[i] : 0 }
        case .sigmoid: for i in 0..<count { dy[i] *= y[i] * (1 - y[i]) }
        }
    }
}
