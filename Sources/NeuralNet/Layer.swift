/// One layer of a sequential network, as an explicit forward/backward pair (llm.c style).
///
/// Data are channels-last and batch-major: a batch of images is (N, H, W, C) row-major, a batch
/// of feature vectors (N, F). A layer owns no parameters: it reads its kernel and bias from a
/// view into the model's flat parameter buffer (kernel first, in Keras orientation, then bias)
/// and writes its gradients into the same offsets of the flat gradient buffer.
public protocol Layer: AnyObject {
    /// Keras layer name (`conv2d`, `conv2d_1`, `average_pooling2d`, `flatten`, `dense`, …).
    var name: String { get }
    /// Keras layer class name (`Conv2D`, `AveragePooling2D`, `Flatten`, `Dense`).
    var kind: String { get }
    /// Per-sample input shape, e.g. [59, 45, 1] or [8].
    var inputShape: [Int] { get }
    /// Per-sample output shape.
    var outputShape: [Int] { get }
    /// Shapes of the layer's weights in Keras order and orientation (kernel, bias); empty if none.
    var weightShapes: [[Int]] { get }
    /// The activation fused into the layer.
    var activation: Activation { get }

    /// y = layer(x) for `batch` samples. `parameters` points at the layer's first parameter.
    func forward(
        input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>, batch: Int,
        parameters: UnsafePointer<Float>)

    /// Back-propagates `dy` (d loss / d output, overwritten: the activation derivative is applied
    /// in place) to the parameter gradients (overwritten, not accumulated) and, unless
    /// `inputGradient` is nil, to d loss / d input. `x` and `y` are the forward input and output.
    func backward(
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
        outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
        batch: Int, parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>)
}

extension Layer {
    /// Number of values of one sample's input.
    public var inputSize: Int { inputShape.reduce(1, *) }
    /// Number of values of one sample's output.
    public var outputSize: Int { outputShape.reduce(1, *) }
    /// Number of trainable parameters.
    public var parameterCount: Int { weightShapes.reduce(0) { $0 + $1.reduce(1, *) } }
    /// Floating-point operations of one forward pass of one sample (multiply and add counted).
    public var forwardFlops: Int {
        guard let kernel = weightShapes.first else { return 0 }
        return 2 * kernel.reduce(1, *) * outputShape.dropLast().reduce(1, *)
    }
}
