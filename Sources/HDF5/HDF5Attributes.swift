import CHDF5

/// Attributes: small named values on a group, a dataset or the file's root.
///
/// Strings are written as fixed-length, null-padded byte strings (what Keras 2 and h5py's
/// `np.bytes_` use); both fixed- and variable-length strings are read.
extension HDF5Object {
    /// Sets a string attribute (replacing an existing one).
    public func setAttribute(_ name: String, _ value: String) throws(HDF5Error) {
        try setStrings(name, [value], scalar: true)
    }

    /// Sets an array-of-strings attribute, e.g. Keras' `layer_names`.
    public func setAttribute(_ name: String, _ values: [String]) throws(HDF5Error) {
        try setStrings(name, values, scalar: false)
    }

    /// Sets an integer attribute (stored as int64).
    public func setAttribute(_ name: String, _ value: Int) throws(HDF5Error) {
        try setNumbers(name, [value], scalar: true)
    }

    /// Sets a floating-point attribute (stored as float64).
    public func setAttribute(_ name: String, _ value: Double) throws(HDF5Error) {
        try setNumbers(name, [value], scalar: true)
    }

    /// Sets a 1-D numeric array attribute.
    public func setAttribute<T: HDF5Element>(_ name: String, _ values: [T]) throws(HDF5Error) {
        try setNumbers(name, values, scalar: false)
    }

    /// Whether the attribute exists.
    public func hasAttribute(_ name: String) -> Bool {
        HDF5Library.locked { H5Aexists(id, name) > 0 }
    }

    /// Reads a numeric attribute (converted to `T`); a 1-element array is accepted as a scalar.
    public func attribute<T: HDF5Element>(_ name: String, as type: T.Type) throws(HDF5Error) -> T {
        let values = try numericAttribute(name, as: T.self)
        guard values.count == 1 else { throw error("attribute '\(name)' has \(values.count) values, expected 1") }
        return values[0]
    }

    /// Reads a numeric array attribute (converted to `T`).
    public func numericAttribute<T: HDF5Element>(_ name: String, as type: T.Type) throws(HDF5Error) -> [T] {
        try withAttribute(name) { attr, space throws(HDF5Error) in
            let n = Int(H5Sget_simple_extent_npoints(space))
            var values = [T](repeating: T.zero, count: n)
            if n > 0 {
                let status = values.withUnsafeMutableBytes { H5Aread(attr, T.hdf5Type, $0.baseAddress) }
                try check(status, file: filePath, object: path, "attribute '\(name)' is not numeric")
            }
            return values
        }
    }

    /// Reads a string attribute (fixed- or variable-length).
    public func stringAttribute(_ name: String) throws(HDF5Error) -> String {
        let values = try stringArrayAttribute(name)
        guard values.count == 1 else { throw error("attribute '\(name)' has \(values.count) strings, expected 1") }
        return values[0]
    }

    /// Reads an array-of-strings attribute (fixed- or variable-length). A numeric empty array
    /// (how Keras 3 writes an empty `weight_names`) reads as no strings.
    public func stringArrayAttribute(_ name: String) throws(HDF5Error) -> [String] {
        try withAttribute(name) { attr, space throws(HDF5Error) in
            let n = Int(H5Sget_simple_extent_npoints(space))
            let fileType = H5Aget_type(attr)
            defer { H5Tclose(fileType) }
            guard H5Tget_class(fileType) == H5T_STRING else {
                if n == 0 { return [] }
                throw error("attribute '\(name)' is not a string")
            }
            if n == 0 { return [] }
            if H5Tis_variable_str(fileType) > 0 {
                let memoryType = H5Tcopy(ch5_c_s1())
                defer { H5Tclose(memoryType) }
                H5Tset_size(memoryType, Int(bitPattern: UInt(bitPattern: -1))) // H5T_VARIABLE
                H5Tset_cset(memoryType, H5Tget_cset(fileType))
                var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: n)
                try check(
                    H5Aread(attr, memoryType, &pointers), file: filePath, object: path,
                    "cannot read string attribute '\(name)'")
                defer { H5Dvlen_reclaim(memoryType, space, ch5_p_default(), &pointers) }
                return pointers.map { $0.map { String(cString: $0) } ?? "" }
            }
            let size = H5Tget_size(fileType)
            let memoryType = H5Tcopy(ch5_c_s1())
            defer { H5Tclose(memoryType) }
            H5Tset_size(memoryType, size)
            H5Tset_strpad(memoryType, H5T_STR_NULLPAD)
            H5Tset_cset(memoryType, H5Tget_cset(fileType))
            var bytes = [UInt8](repeating: 0, count: n * size)
            try check(
                H5Aread(attr, memoryType, &bytes), file: filePath, object: path,
                "cannot read string attribute '\(name)'")
            return (0..<n).map { i in
                let slice = bytes[(i * size)..<((i + 1) * size)]
                return String(decoding: slice.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
    }

    // MARK: Internals

    private func withAttribute<R>(_ name: String, _ body: (hid_t, hid_t) throws(HDF5Error) -> R) throws(HDF5Error) -> R
    {
        try HDF5Library.locked { () throws(HDF5Error) -> R in
            guard H5Aexists(id, name) > 0 else { throw error("missing attribute '\(name)'") }
            let attr = try check(
                H5Aopen(id, name, ch5_p_default()), file: filePath, object: path,
                "cannot open attribute '\(name)'")
            defer { H5Aclose(attr) }
            let space = H5Aget_space(attr)
            defer { H5Sclose(space) }
            return try body(attr, space)
        }
    }

    private func create(
        _ name: String, type: hid_t, count: Int, scalar: Bool,
        _ write: (hid_t) -> herr_t
    ) throws(HDF5Error) {
        try HDF5Library.locked { () throws(HDF5Error) in
            if H5Aexists(id, name) > 0 { H5Adelete(id, name) }
            var dims = [hsize_t(count)]
            let space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
            defer { H5Sclose(space) }
            let attr = try check(
                H5Acreate2(id, name, type, space, ch5_p_default(), ch5_p_default()),
                file: filePath, object: path, "cannot create attribute '\(name)'")
            defer { H5Aclose(attr) }
            try check(write(attr), file: filePath, object: path, "cannot write attribute '\(name)'")
        }
    }

    private func setNumbers<T: HDF5Element>(_ name: String, _ values: [T], scalar: Bool) throws(HDF5Error) {
        try create(name, type: T.hdf5Type, count: values.count, scalar: scalar) { attr in
            values.isEmpty ? 0 : values.withUnsafeBytes { H5Awrite(attr, T.hdf5Type, $0.baseAddress) }
        }
    }

    private func setStrings(_ name: String, _ values: [String], scalar: Bool) throws(HDF5Error) {
        let size = max(values.map { $0.utf8.count }.max() ?? 1, 1)
        var bytes = [UInt8](repeating: 0, count: values.count * size)
        for (i, value) in values.enumerated() {
            for (j, byte) in value.utf8.enumerated() { bytes[i * size + j] = byte }
        }
        let type = HDF5Library.locked { () -> hid_t in
            let t = H5Tcopy(ch5_c_s1())
            H5Tset_size(t, size)
            H5Tset_strpad(t, H5T_STR_NULLPAD)
            return t
        }
        defer { HDF5Library.locked { _ = H5Tclose(type) } }
        try create(name, type: type, count: values.count, scalar: scalar) { attr in
            values.isEmpty ? 0 : H5Awrite(attr, type, bytes)
        }
    }
}
