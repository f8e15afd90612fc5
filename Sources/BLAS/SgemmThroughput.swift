import Foundation

extension BLAS {
    /// Measures sgemm throughput on this machine: C[m×n] = A[m×k]·B[k×n], one warm-up call,
    /// then repeated calls for at least `minimumSeconds`; returns the best GFLOP/s of the
    /// timed calls (2·m·n·k flops per call). Uses the current `BLAS.threads` setting.
    public static func measureSgemmGFLOPS(
        m: Int = 512, k: Int = 512, n: Int = 512,
        minimumSeconds: Double = 0.5
    ) -> Double {
        let a = [Float](repeating: 0.5, count: m * k), b = [Float](repeating: 0.25, count: k * n)
        var c = [Float](repeating: 0, count: m * n)
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        var best = 0.0
        let start = Date()
        var calls = 0
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    repeat {
                        let t0 = DispatchTime.now().uptimeNanoseconds
                        sgemmUnchecked(
                            .no, .no, m: m, n: n, k: k, alpha: 1, a: pa.baseAddress!, lda: k,
                            b: pb.baseAddress!, ldb: n, beta: 0, c: pc.baseAddress!, ldc: n)
                        let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                        if calls > 0 { best = max(best, flops / seconds / 1e9) }
                        calls += 1
                    } while Date().timeIntervalSince(start) < minimumSeconds || calls < 3
                }
            }
        }
        return best
    }
}
