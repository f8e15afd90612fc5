/// Keras Flatten in channels-last order: flat index (h·W + w)·C + c, which is the memory order
/// of an (H, W, C) sample, so forward and backward are copies.
public final class Flatten: Layer {
    public let name: String
    public let kind = "Flatten"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let activation = Activation.linear
    public let weightShapes: [[Int]] = []

    public init(name: String, inputShape: [Int]) {
        self.name = name
        self.inputShape = inputShape
        outputShape = [inputShape.reduce(1, *)]
    }

    public func forward(
        input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>, batch: Int,
        parameters: UnsafePointer<Float>
    ) {
        y.update(from: x, count: batch * outputSize)
    }

    public func backward(
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
        outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
        batch: Int, parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>
    ) {
        dx?.update(from: dy, count: batch * outputSize)
    }
}
