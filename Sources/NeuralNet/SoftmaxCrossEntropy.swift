import Foundation

/// Fused softmax + categorical cross-entropy over (N, classes) logits, numerically stable.
///
/// Loss per sample: −Σ_k y_k log p_k = Σ_k y_k (logsumexp(z) − z_k), evaluated from the logits
/// as Keras 3 does (`softmax_cross_entropy_with_logits`). Gradient of the loss summed over the
/// batch and divided by `divisor`: d/dz = (p − y) / divisor (divisor = the global batch size).
public enum SoftmaxCrossEntropy {
    /// p = softmax(z) row by row.
    public static func probabilities(
        logits z: UnsafePointer<Float>, into p: UnsafeMutablePointer<Float>,
        batch: Int, classes: Int
    ) {
        for n in 0..<batch {
            let zr = z + n * classes, pr = p + n * classes
            var top = zr[0]
            for k in 1..<classes { top = max(top, zr[k]) }
            var sum: Float = 0
            for k in 0..<classes {
                pr[k] = expf(zr[k] - top)
                sum += pr[k]
            }
            for k in 0..<classes { pr[k] /= sum }
        }
    }

    /// Σ over the batch of −Σ_k y_k log p_k, from the logits (accumulated in Double).
    public static func lossSum(
        logits z: UnsafePointer<Float>, targets y: UnsafePointer<Float>,
        batch: Int, classes: Int
    ) -> Double {
        var total = 0.0
        for n in 0..<batch {
            let zr = z + n * classes, yr = y + n * classes
            var top = zr[0]
            for k in 1..<classes { top = max(top, zr[k]) }
            var sum = 0.0
            for k in 0..<classes { sum += exp(Double(zr[k] - top)) }
            let logSumExp = Double(top) + log(sum)
            for k in 0..<classes where yr[k] != 0 { total += Double(yr[k]) * (logSumExp - Double(zr[k])) }
        }
        return total
    }

    /// dz = (p − y) / divisor.
    public static func gradient(
        probabilities p: UnsafePointer<Float>, targets y: UnsafePointer<Float>,
        into dz: UnsafeMutablePointer<Float>, count: Int, divisor: Int
    ) {
        let scale = 1 / Float(divisor)
        for i in 0..<count { dz[i] = (p[i] - y[i]) * scale }
    }
}
