import CHDF5

/// A group: a folder of groups and datasets inside an HDF5 file. The file's root is one too.
///
/// ```swift
/// let file = try HDF5File(creating: "events.h5")
/// let towers = try file.createGroup("towers")
/// let et = try towers.createDataset("et", of: Float.self, shape: [0], maxShape: [nil], chunk: [65536], deflate: 4)
/// try et.append([12.5, 3.25])
/// ```
public class HDF5Group: HDF5Object, @unchecked Sendable {
    /// Creates a group (and any missing intermediate groups) below this one. Objects are created
    /// without timestamps, so a file written twice from the same inputs has the same bytes.
    @discardableResult
    public func createGroup(_ name: String) throws(HDF5Error) -> HDF5Group {
        let full = childPath(name)
        return try HDF5Library.locked { () throws(HDF5Error) -> HDF5Group in
            let lcpl = H5Pcreate(ch5_p_link_create())
            defer { H5Pclose(lcpl) }
            H5Pset_create_intermediate_group(lcpl, 1)
            let gcpl = H5Pcreate(ch5_p_group_create())
            defer { H5Pclose(gcpl) }
            H5Pset_obj_track_times(gcpl, false) // no timestamps: same inputs, same bytes
            let gid = try check(
                H5Gcreate2(id, name, lcpl, gcpl, ch5_p_default()),
                file: filePath, object: full, "cannot create group")
            return HDF5Group(id: gid, filePath: filePath, path: full, owner: file, close: H5Gclose)
        }
    }

    /// Opens an existing group below this one.
    public func group(_ name: String) throws(HDF5Error) -> HDF5Group {
        let full = childPath(name)
        try requireExists(name, kind: "group")
        return try HDF5Library.locked { () throws(HDF5Error) -> HDF5Group in
            let gid = try check(
                H5Gopen2(id, name, ch5_p_default()), file: filePath, object: full,
                "is not a readable group")
            return HDF5Group(id: gid, filePath: filePath, path: full, owner: file, close: H5Gclose)
        }
    }

    /// Opens an existing dataset below this one.
    public func dataset(_ name: String) throws(HDF5Error) -> HDF5Dataset {
        let full = childPath(name)
        try requireExists(name, kind: "dataset")
        return try HDF5Library.locked { () throws(HDF5Error) -> HDF5Dataset in
            let did = try check(
                H5Dopen2(id, name, ch5_p_default()), file: filePath, object: full,
                "is not a readable dataset")
            return try HDF5Dataset(id: did, filePath: filePath, path: full, owner: file)
        }
    }

    /// Whether a link with this (possibly nested) name exists below this group.
    public func contains(_ name: String) -> Bool {
        HDF5Library.locked {
            var prefix = ""
            for component in name.split(separator: "/") {
                prefix += prefix.isEmpty ? String(component) : "/" + component
                if H5Lexists(id, prefix, ch5_p_default()) <= 0 { return false }
            }
            return !prefix.isEmpty
        }
    }

    /// The names of the links directly in this group, in creation-independent (name) order.
    public func childNames() throws(HDF5Error) -> [String] {
        try HDF5Library.locked { () throws(HDF5Error) -> [String] in
            var info = H5G_info_t()
            try check(H5Gget_info(id, &info), file: filePath, object: path, "cannot list group")
            return (0..<info.nlinks).map { i in
                let length = H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, ch5_p_default())
                var buffer = [CChar](repeating: 0, count: Int(max(length, 0)) + 1)
                H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, buffer.count, ch5_p_default())
                return String(decoding: buffer.prefix(Int(max(length, 0))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }

    /// Creates a dataset of `T` with the given shape. `maxShape` entries that are nil are
    /// unlimited (extendable; needs `chunk`). `deflate` (0–9) turns on deflate, after HDF5's byte
    /// shuffle when `shuffle` is set: the shuffle helps smooth numbers, and slows down and enlarges
    /// sparse images or values from a small set (cell centres), which deflate compresses best as
    /// they are.
    public func createDataset<T: HDF5Element>(
        _ name: String, of type: T.Type, shape: [Int], maxShape: [Int?]? = nil,
        chunk: [Int]? = nil, deflate: Int? = nil, shuffle: Bool = true
    ) throws(HDF5Error) -> HDF5Dataset {
        let full = childPath(name)
        if let maxShape, maxShape.count != shape.count {
            throw error("maxShape has \(maxShape.count) dimensions, shape has \(shape.count)", at: full)
        }
        if let chunk, chunk.count != shape.count || chunk.contains(where: { $0 <= 0 }) {
            throw error("chunk \(chunk) must have \(shape.count) positive dimensions", at: full)
        }
        let extendable = maxShape?.contains { $0 == nil } ?? false
        if (extendable || deflate != nil) && chunk == nil {
            throw error("an extendable or compressed dataset needs a chunk shape", at: full)
        }
        return try HDF5Library.locked { () throws(HDF5Error) -> HDF5Dataset in
            var dims = shape.map { hsize_t($0) }
            var maxDims = (maxShape ?? shape.map { Optional($0) }).map { $0.map { hsize_t($0) } ?? ch5_unlimited() }
            let space = try check(
                H5Screate_simple(Int32(dims.count), &dims, &maxDims), file: filePath,
                object: full, "cannot make a dataspace of shape \(shape)")
            defer { H5Sclose(space) }
            let dcpl = H5Pcreate(ch5_p_dataset_create())
            defer { H5Pclose(dcpl) }
            H5Pset_obj_track_times(dcpl, false) // no timestamps: same inputs, same bytes
            if var chunkDims = chunk?.map({ hsize_t($0) }) {
                try check(
                    H5Pset_chunk(dcpl, Int32(chunkDims.count), &chunkDims), file: filePath, object: full,
                    "invalid chunk shape \(chunk!)")
            }
            if let deflate {
                if shuffle { H5Pset_shuffle(dcpl) }
                H5Pset_deflate(dcpl, UInt32(min(max(deflate, 0), 9)))
            }
            let lcpl = H5Pcreate(ch5_p_link_create())
            defer { H5Pclose(lcpl) }
            H5Pset_create_intermediate_group(lcpl, 1)
            let did = try check(
                H5Dcreate2(id, name, T.hdf5Type, space, lcpl, dcpl, ch5_p_default()),
                file: filePath, object: full, "cannot create dataset")
            return try HDF5Dataset(id: did, filePath: filePath, path: full, owner: file)
        }
    }

    /// Creates a dataset holding `values` with `shape` (1-D by default) and writes them.
    @discardableResult
    public func write<T: HDF5Element>(
        _ name: String, _ values: [T], shape: [Int]? = nil,
        chunk: [Int]? = nil, deflate: Int? = nil
    ) throws(HDF5Error) -> HDF5Dataset {
        let shape = shape ?? [values.count]
        let dataset = try createDataset(name, of: T.self, shape: shape, chunk: chunk, deflate: deflate)
        try dataset.write(values)
        return dataset
    }

    /// Reads a whole dataset below this group, converted to `T`.
    public func read<T: HDF5Element>(_ name: String, as type: T.Type) throws(HDF5Error) -> [T] {
        try dataset(name).read(as: T.self)
    }

    private func requireExists(_ name: String, kind: String) throws(HDF5Error) {
        if !contains(name) { throw error("missing \(kind)", at: childPath(name)) }
    }
}
