import COpenBLAS

/// Single-precision BLAS (OpenBLAS) with shape checks.
///
/// Matrices are row-major and described by their stored shape; `Transpose.yes` means the
/// operation uses the transpose of what is stored.
///
/// ```swift
/// var c = [Float](repeating: 0, count: 2 * 2)
/// try BLAS.sgemm(a: a, rows: 2, cols: 3, b: b, rows: 3, cols: 2, into: &c)   // a is 2×3, b is 3×2
/// ```
public enum BLAS {
    /// Whether an operand is used as stored or transposed.
    public enum Transpose: Sendable {
        case no, yes
        var cblas: CBLAS_TRANSPOSE { self == .no ? CblasNoTrans : CblasTrans }
    }

    /// OpenBLAS build configuration, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH … Zen".
    public static var config: String { String(cString: openblas_get_config()) }
    /// The CPU kernel OpenBLAS selected, e.g. "Zen".
    public static var coreName: String { String(cString: openblas_get_corename()) }
    /// The number of threads OpenBLAS uses for one call.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(newValue)) }
    }

    /// C = alpha·op(A)·op(B) + beta·C, all row-major, with the shapes checked.
    public static func sgemm(
        a: UnsafeBufferPointer<Float>, rows aRows: Int, cols aCols: Int, transA: Transpose = .no,
        b: UnsafeBufferPointer<Float>, rows bRows: Int, cols bCols: Int, transB: Transpose = .no,
        into c: UnsafeMutableBufferPointer<Float>, alpha: Float = 1, beta: Float = 0
    ) throws(BLASError) {
        let (m, k) = transA == .no ? (aRows, aCols) : (aCols, aRows)
        let (kb, n) = transB == .no ? (bRows, bCols) : (bCols, bRows)
        try check(a.count, aRows, aCols, "A")
        try check(b.count, bRows, bCols, "B")
        guard k == kb else {
            throw .shapeMismatch("sgemm: op(A) is \(m)×\(k) but op(B) is \(kb)×\(n); inner dimensions differ")
        }
        guard c.count == m * n else {
            throw .shapeMismatch("sgemm: C holds \(c.count) values, expected \(m)×\(n) = \(m * n)")
        }
        try checkInt32(m, n, k)
        if m == 0 || n == 0 { return }
        sgemmUnchecked(
            transA, transB, m: m, n: n, k: k, alpha: alpha,
            a: a.baseAddress!, lda: aCols, b: b.baseAddress!, ldb: bCols,
            beta: beta, c: c.baseAddress!, ldc: n)
    }

    /// Array form of `sgemm`: C = alpha·op(A)·op(B) + beta·C.
    public static func sgemm(
        a: [Float], rows aRows: Int, cols aCols: Int, transA: Transpose = .no,
        b: [Float], rows bRows: Int, cols bCols: Int, transB: Transpose = .no,
        into c: inout [Float], alpha: Float = 1, beta: Float = 0
    ) throws(BLASError) {
        let result: Result<Void, BLASError> = a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    Result { () throws(BLASError) in
                        try sgemm(
                            a: pa, rows: aRows, cols: aCols, transA: transA, b: pb, rows: bRows, cols: bCols,
                            transB: transB,
                            into: pc, alpha: alpha, beta: beta)
                    }
                }
            }
        }
        try result.get()
    }

    /// y = alpha·op(A)·x + beta·y with A row-major (rows × cols), shapes checked.
    public static func sgemv(
        a: UnsafeBufferPointer<Float>, rows: Int, cols: Int, trans: Transpose = .no,
        x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>,
        alpha: Float = 1, beta: Float = 0
    ) throws(BLASError) {
        try check(a.count, rows, cols, "A")
        let (outLen, inLen) = trans == .no ? (rows, cols) : (cols, rows)
        guard x.count == inLen else { throw .shapeMismatch("sgemv: x has \(x.count) values, op(A) needs \(inLen)") }
        guard y.count == outLen else { throw .shapeMismatch("sgemv: y has \(y.count) values, op(A) gives \(outLen)") }
        try checkInt32(rows, cols, 1)
        if rows == 0 || cols == 0 { return }
        cblas_sgemv(
            CblasRowMajor, trans.cblas, Int32(rows), Int32(cols), alpha, a.baseAddress!, Int32(cols),
            x.baseAddress!, 1, beta, y.baseAddress!, 1)
    }

    /// Unchecked sgemm with explicit leading dimensions, for hot loops whose shapes are
    /// already validated (e.g. a layer whose shapes were fixed at construction).
    @inline(__always)
    public static func sgemmUnchecked(
        _ transA: Transpose, _ transB: Transpose, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(k), alpha,
            a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    private static func check(_ count: Int, _ rows: Int, _ cols: Int, _ name: String) throws(BLASError) {
        guard rows >= 0, cols >= 0 else { throw .shapeMismatch("\(name) has a negative dimension \(rows)×\(cols)") }
        guard count == rows * cols else {
            throw .shapeMismatch("\(name) holds \(count) values, but its shape \(rows)×\(cols) needs \(rows * cols)")
        }
    }

    private static func checkInt32(_ dims: Int...) throws(BLASError) {
        for d in dims where d > Int(Int32.max) {
            throw .shapeMismatch("dimension \(d) exceeds the 32-bit BLAS interface")
        }
    }
}

/// A BLAS call that was refused before reaching OpenBLAS.
public enum BLASError: Error, CustomStringConvertible, Equatable {
    case shapeMismatch(String)
    public var description: String {
        switch self {
        case .shapeMismatch(let m): return "BLAS shape mismatch: \(m)"
        }
    }
}
