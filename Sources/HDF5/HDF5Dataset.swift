import CHDF5

/// An n-dimensional dataset of numbers, read and written whole or by hyperslab (a box given
/// by `start` and `count` per dimension). In a parallel file every transfer is collective:
/// every rank calls it, a rank with nothing to move passes a zero `count`.
public final class HDF5Dataset: HDF5Object, @unchecked Sendable {
    /// The current extent, e.g. [n, 59, 45].
    public private(set) var shape: [Int]

    init(id: hid_t, filePath: String, path: String, owner: HDF5File?) throws(HDF5Error) {
        shape = []
        super.init(id: id, filePath: filePath, path: path, owner: owner, close: H5Dclose)
        shape = try HDF5Library.locked { () throws(HDF5Error) in try currentShape() }
    }

    /// The number of elements (product of the shape).
    public var count: Int { shape.reduce(1, *) }

    /// Bytes the dataset takes in the file (after compression).
    public var storageBytes: Int { HDF5Library.locked { Int(H5Dget_storage_size(id)) } }

    /// Bytes of the data uncompressed (elements × element size in the file).
    public var rawBytes: Int {
        HDF5Library.locked {
            let type = H5Dget_type(id)
            defer { H5Tclose(type) }
            return count * H5Tget_size(type)
        }
    }

    /// Reads the whole dataset, converted to `T`.
    public func read<T: HDF5Element>(as type: T.Type) throws(HDF5Error) -> [T] {
        try read(as: T.self, start: shape.map { _ in 0 }, count: shape)
    }

    /// Reads the box `start ..< start + count`, converted to `T`, in row-major order.
    public func read<T: HDF5Element>(as type: T.Type, start: [Int], count: [Int]) throws(HDF5Error) -> [T] {
        var values = [T](repeating: T.zero, count: try validate(start: start, count: count))
        var failure: HDF5Error?
        values.withUnsafeMutableBufferPointer { buffer in
            do throws(HDF5Error) { try read(into: buffer, start: start, count: count) } catch { failure = error }
        }
        if let failure { throw failure }
        return values
    }

    /// Reads the box into caller-owned memory (which must hold the box's element count).
    public func read<T: HDF5Element>(into buffer: UnsafeMutableBufferPointer<T>, start: [Int], count: [Int])
        throws(HDF5Error)
    {
        let n = try validate(start: start, count: count)
        guard buffer.count >= n else { throw error("buffer of \(buffer.count) for a box of \(n) values") }
        try transfer(T.hdf5Type, start: start, count: count, "read") { memory, file, dxpl in
            H5Dread(id, T.hdf5Type, memory, file, dxpl, buffer.baseAddress)
        }
    }

    /// Writes the whole dataset.
    public func write<T: HDF5Element>(_ values: [T]) throws(HDF5Error) {
        try write(values, start: shape.map { _ in 0 }, count: shape)
    }

    /// Writes `values` (row-major) into the box `start ..< start + count`.
    public func write<T: HDF5Element>(_ values: [T], start: [Int], count: [Int]) throws(HDF5Error) {
        var failure: HDF5Error?
        values.withUnsafeBufferPointer { p in
            do throws(HDF5Error) { try write(p, start: start, count: count) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes caller-owned memory (row-major) into the box `start ..< start + count`.
    public func write<T: HDF5Element>(_ values: UnsafeBufferPointer<T>, start: [Int], count: [Int]) throws(HDF5Error) {
        let n = try validate(start: start, count: count)
        guard values.count == n else {
            throw error("\(values.count) values for a box of \(count) = \(n) values")
        }
        try file.ensureSpace(n * MemoryLayout<T>.stride)
        try transfer(T.hdf5Type, start: start, count: count, "write") { memory, file, dxpl in
            H5Dwrite(id, T.hdf5Type, memory, file, dxpl, values.baseAddress)
        }
    }

    /// Stores one chunk as given: `bytes` must already be what the dataset's filters would make
    /// of it (for a dataset whose only filter is deflate, a zlib stream of the whole chunk, rows
    /// past the extent included). `offset` is the chunk's first element and lies within the
    /// extent. Skips HDF5's filter pipeline; serial files only.
    public func writeChunk(at offset: [Int], bytes: [UInt8]) throws(HDF5Error) {
        guard offset.count == shape.count, zip(offset, shape).allSatisfy({ $0 >= 0 && $0 < $1 }) else {
            throw error("chunk offset \(offset) outside the extent \(shape)")
        }
        try file.ensureSpace(bytes.count)
        try HDF5Library.locked { () throws(HDF5Error) in
            var start = offset.map { hsize_t($0) }
            let status = bytes.withUnsafeBytes {
                H5Dwrite_chunk(id, ch5_p_default(), 0, &start, $0.count, $0.baseAddress)
            }
            try check(status, file: filePath, object: path, "cannot write the chunk at \(offset)")
        }
    }

    /// Grows the first dimension to `rows` (the dataset must be extendable).
    public func extend(toRows rows: Int) throws(HDF5Error) {
        var newShape = shape
        newShape[0] = rows
        try HDF5Library.locked { () throws(HDF5Error) in
            var dims = newShape.map { hsize_t($0) }
            try check(
                H5Dset_extent(id, &dims), file: filePath, object: path,
                "cannot extend to \(newShape) (is the dataset chunked with an unlimited first dimension?)")
            shape = try currentShape()
        }
    }

    /// Appends rows to an extendable dataset: `values.count` must be a whole number of rows.
    public func append<T: HDF5Element>(_ values: [T]) throws(HDF5Error) {
        var failure: HDF5Error?
        values.withUnsafeBufferPointer { p in
            do throws(HDF5Error) { try append(p) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Appends rows from caller-owned memory.
    public func append<T: HDF5Element>(_ values: UnsafeBufferPointer<T>) throws(HDF5Error) {
        let rowSize = shape.dropFirst().reduce(1, *)
        guard rowSize > 0, values.count % rowSize == 0 else {
            throw error("cannot append \(values.count) values in rows of \(rowSize)")
        }
        let rows = values.count / rowSize
        if rows == 0 { return }
        let start = shape[0]
        try extend(toRows: start + rows)
        var boxStart = shape.map { _ in 0 }, boxCount = shape
        boxStart[0] = start
        boxCount[0] = rows
        try write(values, start: boxStart, count: boxCount)
    }

    // MARK: Internals

    private func currentShape() throws(HDF5Error) -> [Int] {
        let space = try check(H5Dget_space(id), file: filePath, object: path, "cannot read dataspace")
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        var dims = [hsize_t](repeating: 0, count: max(rank, 0))
        H5Sget_simple_extent_dims(space, &dims, nil)
        return dims.map { Int($0) }
    }

    private func validate(start: [Int], count: [Int]) throws(HDF5Error) -> Int {
        guard start.count == shape.count, count.count == shape.count else {
            throw error("box start \(start) / count \(count) for a dataset of shape \(shape)")
        }
        for d in shape.indices where start[d] < 0 || count[d] < 0 || start[d] + count[d] > shape[d] {
            throw error("box start \(start) count \(count) lies outside the dataset's shape \(shape)")
        }
        return count.reduce(1, *)
    }

    private func transfer(
        _ memoryType: hid_t, start: [Int], count: [Int], _ verb: String,
        _ body: (hid_t, hid_t, hid_t) -> herr_t
    ) throws(HDF5Error) {
        try HDF5Library.locked { () throws(HDF5Error) in
            let fileSpace = try check(H5Dget_space(id), file: filePath, object: path, "cannot read dataspace")
            defer { H5Sclose(fileSpace) }
            let n = count.reduce(1, *)
            // The memory space has the box's own shape: with the same shape as the file
            // selection HDF5 maps whole chunks at once instead of element by element.
            var memoryDims = n == 0 || shape.isEmpty ? [hsize_t(max(n, 1))] : count.map { hsize_t($0) }
            let memorySpace = H5Screate_simple(Int32(memoryDims.count), &memoryDims, nil)
            defer { H5Sclose(memorySpace) }
            if n == 0 {
                H5Sselect_none(fileSpace)
                H5Sselect_none(memorySpace)
            } else if !shape.isEmpty {
                var s = start.map { hsize_t($0) }, c = count.map { hsize_t($0) }
                try check(
                    H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, &s, nil, &c, nil), file: filePath,
                    object: path, "invalid box start \(start) count \(count)")
            }
            let dxpl = H5Pcreate(ch5_p_dataset_xfer())
            defer { H5Pclose(dxpl) }
            if file.isParallel { H5Pset_dxpl_mpio(dxpl, H5FD_MPIO_COLLECTIVE) }
            let box = shape.isEmpty ? "" : " of box start \(start) count \(count)"
            try check(body(memorySpace, fileSpace, dxpl), file: filePath, object: path, "\(verb)\(box) failed")
        }
    }
}
