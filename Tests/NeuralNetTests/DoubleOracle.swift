import Foundation
import NeuralNet
import Random

/// An independent float64 implementation of the layers (plain loops, explicit TensorFlow
/// padding), used as the oracle for finite-difference gradient checks.
enum DoubleOracle {
    /// Conv2D, stride 1, 'same' (before = ⌊(k−1)/2⌋), x (N,H,W,C), K (k,k,C,O), b (O).
    static func conv(_ x: [Double], n: Int, h: Int, w: Int, c: Int, kernel: [Double], k: Int, o: Int, bias: [Double])
        -> [Double]
    {
        let before = (k - 1) / 2
        var y = [Double](repeating: 0, count: n * h * w * o)
        for s in 0..<n {
            for i in 0..<h {
                for j in 0..<w {
                    for f in 0..<o {
                        var z = bias[f]
                        for a in 0..<k {
                            for b in 0..<k {
                                let si = i + a - before, sj = j + b - before
                                guard si >= 0, si < h, sj >= 0, sj < w else { continue }
                                for ch in 0..<c {
                                    z += x[((s * h + si) * w + sj) * c + ch] * kernel[((a * k + b) * c + ch) * o + f]
                                }
                            }
                        }
                        y[((s * h + i) * w + j) * o + f] = z
                    }
                }
            }
        }
        return y
    }

    /// AveragePooling2D(2, 2, valid).
    static func pool(_ x: [Double], n: Int, h: Int, w: Int, c: Int) -> [Double] {
        let oh = h / 2, ow = w / 2
        var y = [Double](repeating: 0, count: n * oh * ow * c)
        for s in 0..<n {
            for i in 0..<oh {
                for j in 0..<ow {
                    for ch in 0..<c {
                        var sum = 0.0
                        for a in 0..<2 { for b in 0..<2 { sum += x[((s * h + 2 * i + a) * w + 2 * j + b) * c + ch] } }
                        y[((s * oh + i) * ow + j) * c + ch] = sum / 4
                    }
                }
            }
        }
        return y
    }

    /// Dense: x (N, in) · K (in, out) + b.
    static func dense(_ x: [Double], n: Int, inputs: Int, kernel: [Double], units: Int, bias: [Double]) -> [Double] {
        var y = [Double](repeating: 0, count: n * units)
        for s in 0..<n {
            for u in 0..<units {
                var z = bias[u]
                for i in 0..<inputs { z += x[s * inputs + i] * kernel[i * units + u] }
                y[s * units + u] = z
            }
        }
        return y
    }

    static func activate(_ z: [Double], _ activation: Activation) -> [Double] {
        switch activation {
        case .linear, .softmax: z
        case .relu: z.map { max($0, 0) }
        case .sigmoid: z.map { 1 / (1 + exp(-$0)) }
        }
    }

    /// Σ over the batch of the cross-entropy of softmax(logits) against targets.
    static func crossEntropySum(_ logits: [Double], _ targets: [Double], classes: Int) -> Double {
        var total = 0.0
        for s in 0..<logits.count / classes {
            let z = logits[s * classes..<(s + 1) * classes]
            let top = z.max()!
            let lse = top + log(z.map { exp($0 - top) }.reduce(0, +))
            for k in 0..<classes { total += targets[s * classes + k] * (lse - z[s * classes + k]) }
        }
        return total
    }

    /// A whole sequential model (built by the engine, for its shapes) in float64.
    static func logits(_ model: Model, parameters: [Double], input: [Double], batch n: Int) -> [Double] {
        var x = input
        for (i, layer) in model.layers.enumerated() {
            let p = Array(parameters[model.parameterRanges[i]])
            let s = layer.inputShape
            switch layer {
            case let conv as Conv2D:
                let kshape = conv.weightShapes[0]
                let kn = kshape.reduce(1, *)
                x = activate(
                    DoubleOracle.conv(
                        x, n: n, h: s[0], w: s[1], c: s[2], kernel: Array(p[..<kn]), k: kshape[0],
                        o: kshape[3], bias: Array(p[kn...])), conv.activation)
            case is AveragePooling2D: x = pool(x, n: n, h: s[0], w: s[1], c: s[2])
            case is Flatten: break
            case let d as Dense:
                let units = d.outputShape[0], kn = s[0] * units
                x = activate(
                    dense(x, n: n, inputs: s[0], kernel: Array(p[..<kn]), units: units, bias: Array(p[kn...])),
                    d.activation)
            default: fatalError("DoubleOracle: unknown layer \(layer.kind)")
            }
        }
        return x
    }
}

/// Deterministic test values.
func randomValues(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var rng = SplitMix64(seed: seed)
    return (0..<count).map { _ in (2 * rng.nextUnitFloat() - 1) * scale }
}
