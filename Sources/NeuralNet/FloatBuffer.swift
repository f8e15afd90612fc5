/// A fixed-size, 64-byte-aligned, zero-initialised Float buffer with reference semantics.
///
/// The engine keeps every parameter of a model in one `FloatBuffer` and every gradient in
/// another, so that the optimizer and an MPI all-reduce are a single loop or call over
/// `pointer[0..<count]`. Layers see views into them.
public final class FloatBuffer: @unchecked Sendable {
    /// The first element; valid for `count` elements while the buffer is alive.
    public let pointer: UnsafeMutablePointer<Float>
    /// The number of elements.
    public let count: Int

    /// A buffer of `count` zeros.
    public init(count: Int) {
        precondition(count >= 0, "FloatBuffer: negative count \(count)")
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
        self.count = count
    }

    /// A buffer holding a copy of `values`.
    public convenience init(_ values: [Float]) {
        self.init(count: values.count)
        copy(from: values)
    }

    deinit { pointer.deallocate() }

    /// The whole buffer as a mutable buffer pointer.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    /// The elements `range` as a mutable buffer pointer (a view, no copy).
    public func view(_ range: Range<Int>) -> UnsafeMutableBufferPointer<Float> {
        precondition(
            range.lowerBound >= 0 && range.upperBound <= count, "FloatBuffer: view \(range) outside 0..<\(count)")
        return UnsafeMutableBufferPointer(start: pointer + range.lowerBound, count: range.count)
    }

    public subscript(index: Int) -> Float {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    /// A copy of the contents as an array.
    public var array: [Float] { Array(buffer) }

    /// Overwrites the contents with `values` (same count), or the elements from `offset` on.
    public func copy(from values: [Float], offset: Int = 0) {
        precondition(
            offset >= 0 && offset + values.count <= count,
            "FloatBuffer: \(values.count) values at \(offset) do not fit in \(count)")
        values.withUnsafeBufferPointer { (pointer + offset).update(from: $0.baseAddress!, count: values.count) }
    }

    /// Sets every element to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }
}
