import HDF5

/// How one column of a jagged group is compressed.
struct ColumnStorage {
    var deflate: Int?
    var shuffle: Bool

    /// Shuffle + deflate 4: smooth numbers (momenta, masses, particle directions).
    static let smooth = ColumnStorage(deflate: 4, shuffle: true)
    /// Deflate 1 without the shuffle: values from a small set, as the η and φ of towers (cell
    /// centres), which deflate finds as repeated 4-byte strings (13 and 35 µs per event of
    /// 1,500 towers, 21× and 5×; with the shuffle at level 4 33 and 82 µs, 13× and 3.3×).
    static let gridValues = ColumnStorage(deflate: 1, shuffle: false)
    /// Stored as they are: smeared tower energies, whose mantissas do not compress (1.2× at deflate
    /// level 1 for 95 µs per event of 1,500 towers — a third of the pileup overlay).
    static let uncompressed = ColumnStorage(deflate: nil, shuffle: false)
}

/// One jagged group of an events/particles file: float32 columns and optionally one int32
/// column, all of the same flat length, plus `offsets` int64 [n + 1] (event i owns entries
/// offsets[i] ..< offsets[i + 1]). Written by appending whole events, buffered up to a flush.
final class JaggedGroupWriter {
    let floatColumns: [HDF5Dataset]
    let intColumn: HDF5Dataset?
    let offsets: HDF5Dataset
    var floatBuffers: [[Float]]
    var intBuffer: [Int32] = []
    var offsetBuffer: [Int64] = []
    var total: Int64 = 0

    /// `storage` decides how a column is compressed (by name; `.smooth` when absent).
    init(
        file: HDF5File, group: String, floats: [String], int: String?, chunk: Int,
        storage: [String: ColumnStorage] = [:]
    ) throws {
        func create<T: HDF5Element>(_ name: String, _ type: T.Type) throws -> HDF5Dataset {
            let column = storage[name] ?? .smooth
            return try file.createDataset(
                "\(group)/\(name)", of: type, shape: [0], maxShape: [nil], chunk: [chunk],
                deflate: column.deflate, shuffle: column.shuffle)
        }
        floatColumns = try floats.map { try create($0, Float.self) }
        intColumn = try int.map { try create($0, Int32.self) }
        offsets = try file.createDataset(
            "\(group)/offsets", of: Int64.self, shape: [0], maxShape: [nil],
            chunk: [max(1024, chunk / 16)], deflate: 4)
        floatBuffers = Array(repeating: [], count: floats.count)
        offsetBuffer = [0]
    }

    /// Closes the current event, whose `entries` values were appended to the buffers.
    func endEvent(entries: Int) {
        total += Int64(entries)
        offsetBuffer.append(total)
    }

    /// Writes the buffered events to the file.
    func flush() throws {
        for (dataset, buffer) in zip(floatColumns, floatBuffers) where !buffer.isEmpty { try dataset.append(buffer) }
        if let intColumn, !intBuffer.isEmpty { try intColumn.append(intBuffer) }
        if !offsetBuffer.isEmpty { try offsets.append(offsetBuffer) }
        for i in floatBuffers.indices { floatBuffers[i].removeAll(keepingCapacity: true) }
        intBuffer.removeAll(keepingCapacity: true)
        offsetBuffer.removeAll(keepingCapacity: true)
    }
}

/// Reads ranges of events from one jagged group, checking the offsets.
struct JaggedGroupReader {
    let file: String
    let group: String
    let floatColumns: [HDF5Dataset]
    let intColumn: HDF5Dataset?
    let offsets: HDF5Dataset
    let entries: Int

    init(file: HDF5File, group: String, floats: [String], int: String?, events: Int) throws {
        self.file = file.filePath
        self.group = group
        func open(_ name: String) throws -> HDF5Dataset {
            let path = "\(group)/\(name)"
            guard file.contains(path) else {
                throw EventFileError(file: file.filePath, path: "/" + path, message: "missing dataset")
            }
            return try file.dataset(path)
        }
        floatColumns = try floats.map(open)
        intColumn = try int.map(open)
        offsets = try open("offsets")
        guard offsets.shape == [events + 1] else {
            throw EventFileError(
                file: file.filePath, path: "/\(group)/offsets",
                message: "has shape \(offsets.shape), expected [\(events + 1)] (events + 1)")
        }
        let first = try offsets.read(as: Int64.self, start: [0], count: [1])[0]
        let last = try offsets.read(as: Int64.self, start: [events], count: [1])[0]
        guard first == 0 else {
            throw EventFileError(
                file: file.filePath, path: "/\(group)/offsets", message: "starts at \(first), expected 0")
        }
        entries = Int(last)
        for column in floatColumns + (intColumn.map { [$0] } ?? []) where column.shape != [entries] {
            throw EventFileError(
                file: file.filePath, path: column.path,
                message: "has shape \(column.shape), expected [\(entries)] (the last offset)")
        }
    }

    /// Offsets of events start ..< start + count (count + 1 values, absolute) and the columns of
    /// their entries.
    func read(start: Int, count: Int) throws -> (offsets: [Int64], floats: [[Float]], ints: [Int32]) {
        let offs = try offsets.read(as: Int64.self, start: [start], count: [count + 1])
        for i in 0..<count where offs[i + 1] < offs[i] || offs[i + 1] > Int64(entries) {
            throw EventFileError(
                file: file, path: "/\(group)/offsets",
                message: "entry \(start + i + 1) = \(offs[i + 1]) is not within [\(offs[i]), \(entries)]")
        }
        let lo = Int(offs[0]), n = Int(offs[count]) - lo
        if n == 0 { return (offs, floatColumns.map { _ in [] }, []) }
        let floats = try floatColumns.map { try $0.read(as: Float.self, start: [lo], count: [n]) }
        let ints = try intColumn?.read(as: Int32.self, start: [lo], count: [n]) ?? []
        return (offs, floats, ints)
    }
}
