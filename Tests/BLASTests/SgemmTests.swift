import BLAS
import Testing

/// sgemm/sgemv against naive loops (the oracle) on odd shapes, and shape errors.
struct SgemmTests {
    /// A deterministic pseudo-random fill in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Float(state >> 40) / Float(1 << 23) - 1
        }
    }

    /// Naive row-major C = op(A)·op(B) in Double.
    static func naive(
        _ a: [Float], _ ar: Int, _ ac: Int, _ ta: Bool,
        _ b: [Float], _ br: Int, _ bc: Int, _ tb: Bool
    ) -> [Double] {
        let m = ta ? ac : ar, k = ta ? ar : ac, n = tb ? br : bc
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = ta ? a[p * ac + i] : a[i * ac + p]
                    let bv = tb ? b[j * bc + p] : b[p * bc + j]
                    s += Double(av) * Double(bv)
                }
                c[i * n + j] = s
            }
        }
        return c
    }

    @Test(arguments: [(1, 1, 1), (3, 5, 7), (17, 1, 9), (64, 33, 45), (59, 45, 13), (2, 300, 3)])
    func sgemmMatchesNaiveLoop(shape: (Int, Int, Int)) throws {
        let (m, k, n) = shape
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            let a = Self.values(m * k, seed: UInt64(m * 31 + k)), b = Self.values(k * n, seed: UInt64(n * 7 + k))
            let (ar, ac) = ta ? (k, m) : (m, k)
            let (br, bc) = tb ? (n, k) : (k, n)
            var c = Self.values(m * n, seed: 99)
            let c0 = c
            try BLAS.sgemm(
                a: a, rows: ar, cols: ac, transA: ta ? .yes : .no, b: b, rows: br, cols: bc, transB: tb ? .yes : .no,
                into: &c, alpha: 0.5, beta: 2)
            let ref = Self.naive(a, ar, ac, ta, b, br, bc, tb)
            for i in 0..<(m * n) {
                let expected = 0.5 * ref[i] + 2 * Double(c0[i])
                #expect(abs(Double(c[i]) - expected) <= 1e-5 * Double(k) + 1e-6, "C[\(i)] for ta=\(ta) tb=\(tb)")
            }
        }
    }

    @Test func sgemvMatchesNaiveLoop() throws {
        let rows = 13, cols = 7
        let a = Self.values(rows * cols, seed: 5), x = Self.values(cols, seed: 6), xt = Self.values(rows, seed: 7)
        var y = [Float](repeating: 0, count: rows), yt = [Float](repeating: 0, count: cols)
        try a.withUnsafeBufferPointer { pa in
            try x.withUnsafeBufferPointer { px in
                try y.withUnsafeMutableBufferPointer { py in
                    try BLAS.sgemv(a: pa, rows: rows, cols: cols, x: px, into: py)
                }
            }
            try xt.withUnsafeBufferPointer { px in
                try yt.withUnsafeMutableBufferPointer { py in
                    try BLAS.sgemv(a: pa, rows: rows, cols: cols, trans: .yes, x: px, into: py)
                }
            }
        }
        let ref = Self.naive(a, rows, cols, false, x, cols, 1, false)
        let reft = Self.naive(a, rows, cols, true, xt, rows, 1, false)
        for i in 0..<rows { #expect(abs(Double(y[i]) - ref[i]) < 1e-5) }
        for i in 0..<cols { #expect(abs(Double(yt[i]) - reft[i]) < 1e-5) }
    }

    @Test func shapeMismatchIsAnErrorNotACrash() {
        var c = [Float](repeating: 0, count: 4)
        #expect(throws: BLASError.self) {
            try BLAS.sgemm(
                a: [Float](repeating: 1, count: 6), rows: 2, cols: 3, b: [Float](repeating: 1, count: 8),
                rows: 4, cols: 2, into: &c)
        }
        #expect(throws: BLASError.self) { // buffer shorter than its declared shape
            try BLAS.sgemm(
                a: [Float](repeating: 1, count: 5), rows: 2, cols: 3, b: [Float](repeating: 1, count: 6),
                rows: 3, cols: 2, into: &c)
        }
        var wrongC = [Float](repeating: 0, count: 3)
        #expect(throws: BLASError.self) {
            try BLAS.sgemm(
                a: [Float](repeating: 1, count: 6), rows: 2, cols: 3, b: [Float](repeating: 1, count: 6),
                rows: 3, cols: 2, into: &wrongC)
        }
    }
}
