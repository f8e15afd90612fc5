/// AveragePooling2D(2×2, stride 2, 'valid'), channels-last: output ⌊H/2⌋ × ⌊W/2⌋; an odd last
/// row or column is dropped and receives zero gradient.
public final class AveragePooling2D: Layer {
    public let name: String
    public let kind = "AveragePooling2D"
    public let inputShape: [Int]
    public let outputShape: [Int]
    public let activation = Activation.linear
    public let weightShapes: [[Int]] = []
    let height: Int, width: Int, channels: Int

    public init(name: String, inputShape: [Int]) {
        precondition(
            inputShape.count == 3 && inputShape[0] >= 2 && inputShape[1] >= 2,
            "AveragePooling2D needs an (H ≥ 2, W ≥ 2, C) input, got \(inputShape)")
        self.name = name
        self.inputShape = inputShape
        (height, width, channels) = (inputShape[0], inputShape[1], inputShape[2])
        outputShape = [height / 2, width / 2, channels]
    }

    public func forward(
        input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>, batch: Int,
        parameters: UnsafePointer<Float>
    ) {
        let (oh, ow, c) = (height / 2, width / 2, channels)
        for n in 0..<batch {
            let xi = x + n * height * width * c, yo = y + n * oh * ow * c
            for i in 0..<oh {
                for j in 0..<ow {
                    let a = xi + ((2 * i) * width + 2 * j) * c, b = a + width * c
                    let o = yo + (i * ow + j) * c
                    for k in 0..<c { o[k] = (a[k] + a[c + k] + b[k] + b[c + k]) * 0.25 }
                }
            }
        }
    }

    public func backward(
        input x: UnsafePointer<Float>, output y: UnsafePointer<Float>,
        outputGradient dy: UnsafeMutablePointer<Float>, inputGradient dx: UnsafeMutablePointer<Float>?,
        batch: Int, parameters: UnsafePointer<Float>, gradients: UnsafeMutablePointer<Float>
    ) {
        guard let dx else { return }
        let (oh, ow, c) = (height / 2, width / 2, channels)
        dx.update(repeating: 0, count: batch * inputSize)
        for n in 0..<batch {
            let di = dx + n * height * width * c, go = dy + n * oh * ow * c
            for i in 0..<oh {
                for j in 0..<ow {
                    let a = di + ((2 * i) * width + 2 * j) * c, b = a + width * c
                    let g = go + (i * ow + j) * c
                    for k in 0..<c {
                        let v = g[k] * 0.25
                        a[k] = v
                        a[c + k] = v
                        b[k] = v
                        b[c + k] = v
                    }
                }
            }
        }
    }
}
