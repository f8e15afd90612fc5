import MPI
import NeuralNet

/// Sums a model's gradients over the ranks of a training group during the backward pass.
///
/// Layers are grouped into buckets of at least `bucketBytes`, last layers first (the order in
/// which backward finishes them). When the last layer of a bucket is final, a non-blocking
/// in-place all-reduce of that slice of the gradient buffer starts, while backward continues
/// with earlier layers; `finish()` waits for all of them. With one rank it does nothing.
public final class GradientReducer {
    private let group: any Collective
    private let gradients: FloatBuffer
    /// For each layer: the bucket range to reduce once this layer is final, if it closes one.
    private var closes: [Int: Range<Int>] = [:]
    private var pending: [any CollectiveRequest] = []
    /// Seconds spent in `finish()` waiting for reductions (the exposed communication time).
    public private(set) var waitSeconds = 0.0

    public init(model: Model, group: any Collective, bucketBytes: Int = 4 << 20) {
        self.group = group
        self.gradients = model.gradients
        var upper: Int? = nil
        var bytes = 0
        let layersWithParameters = model.parameterRanges.enumerated().filter { !$0.element.isEmpty }
        for (i, range) in layersWithParameters.reversed() {
            if upper == nil { upper = range.upperBound }
            bytes += range.count * 4
            let isFirst = i == layersWithParameters.first!.offset
            if bytes >= bucketBytes || isFirst {
                closes[i] = range.lowerBound..<upper!
                upper = nil
                bytes = 0
            }
        }
    }

    /// The number of buckets.
    public var bucketCount: Int { closes.count }

    /// Call from `Model.backward`'s `onLayerGradientsReady` for every layer.
    public func layerReady(_ layer: Int) {
        guard group.size > 1 else { return }
        if let range = closes[layer] {
            pending.append(group.startAllReduce(gradients.view(range), .sum))
        }
        for request in pending { _ = request.test() } // let earlier buckets progress
    }

    /// Waits until every bucket is reduced.
    public func finish() {
        guard group.size > 1 else { return }
        let start = monotonicSeconds()
        for request in pending { request.wait() }
        pending.removeAll(keepingCapacity: true)
        waitSeconds += monotonicSeconds() - start
    }
}
