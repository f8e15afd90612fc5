import Foundation

/// Monotonic time in seconds, for the per-layer profile and the benchmarks.
@inline(__always)
public func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// CPU time of the calling thread in seconds (with `monotonicSeconds`, shows how much of a
/// measurement the thread actually ran on a shared machine).
@inline(__always)
public func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Accumulated wall time of each layer's forward and backward passes.
public struct LayerProfile: Sendable {
    public var forwardSeconds: [Double]
    public var backwardSeconds: [Double]
    public init(layers: Int) {
        forwardSeconds = Array(repeating: 0, count: layers)
        backwardSeconds = Array(repeating: 0, count: layers)
    }
}
