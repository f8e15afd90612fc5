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
        case .relu:
            for i in 0..<count {
                let v = y[i]
                y[i] = v > 0 ? v : 0
            }
        case .sigmoid: for i in 0..<count { y[i] = 1 / (1 + expf(-y[i])) }
        }
    }

    /// Multiplies the output gradient `dy` in place by the activation's derivative, expressed
    /// through the activation's output `y` (ReLU: y > 0; sigmoid: y·(1 − y)).
    @inline(__always)
    func backward(output y: UnsafePointer<Float>, gradient dy: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .linear, .softmax: break
        case .relu: reluBackward(y, dy, count)
        case .sigmoid: for i in 0..<count { dy[i] *= y[i] * (1 - y[i]) }
        }
    }

    /// dy[i] = 0 where y[i] ≤ 0, eight lanes at a time (y and dy may not alias, but the
    /// compiler cannot know, so the loop is vectorised by hand).
    @inline(__always)
    private func reluBackward(_ y: UnsafePointer<Float>, _ dy: UnsafeMutablePointer<Float>, _ count: Int) {
        let vectorEnd = count & ~7
        let yRaw = UnsafeRawPointer(y), dyRaw = UnsafeMutableRawPointer(dy)
        var i = 0
        while i < vectorEnd {
            let offset = i * MemoryLayout<Float>.stride
            let yv = yRaw.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            var gv = UnsafeRawPointer(dyRaw).loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
            gv.replace(with: 0, where: .!(yv .> 0))
            dyRaw.storeBytes(of: gv, toByteOffset: offset, as: SIMD8<Float>.self)
            i += 8
        }
        while i < count {
            if !(y[i] > 0) { dy[i] = 0 }
            i += 1
        }
    }
}
