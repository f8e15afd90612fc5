import Foundation
import HDF5

/// What both file types store for every event besides its jagged groups: the channel and the weight.
protocol LabelledEvent {
    var channel: Channel { get }
    var weight: Float { get }
}

extension Event: LabelledEvent {}
extension ParticleEvent: LabelledEvent {}

/// One value per event (e.g. `met/value`), buffered up to a flush.
final class PerEventColumn<Value: HDF5Element> {
    let dataset: HDF5Dataset
    var buffer: [Value] = []

    init(file: HDF5File, name: String) throws {
        dataset = try file.createDataset(name, of: Value.self, shape: [0], maxShape: [nil], chunk: [4096], deflate: 4)
    }

    func flush() throws {
        if !buffer.isEmpty { try dataset.append(buffer) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The `channel` uint8 [n] and `weight` float32 [n] columns of every events or particles file.
/// Created channel first and written weight first, the order of the v1 files (it decides where
/// the chunks land, and so the bytes).
final class LabelColumns {
    let weight: PerEventColumn<Float>
    let channel: PerEventColumn<UInt8>

    init(file: HDF5File) throws {
        channel = try PerEventColumn(file: file, name: "channel")
        weight = try PerEventColumn(file: file, name: "weight")
    }

    func append(_ event: some LabelledEvent) {
        weight.buffer.append(event.weight)
        channel.buffer.append(event.channel.rawValue)
    }

    func flush() throws {
        try weight.flush()
        try channel.flush()
    }
}

/// The datasets and buffers of one file type, released as a whole to close the file.
protocol JaggedFileContent: AnyObject {
    associatedtype Record
    var file: HDF5File { get }
    func append(_ record: Record)
    /// Writes the buffered events to the file.
    func flush() throws
}

/// The streaming writer behind `EventFileWriter` and `ParticleFileWriter`: events are buffered
/// and written every `flushEvents` events, so memory is bounded by one flush. The file is
/// written under a temporary name and renamed into place by `finish`, with the root attributes
/// of `FileHeader`; a writer dropped before `finish` removes its temporary file.
final class JaggedFileWriter<Content: JaggedFileContent> {
    let path: String
    private(set) var count = 0
    let temporary: String
    let flushEvents: Int
    var header: FileHeader
    private(set) var content: Content?
    private var buffered = 0

    /// `create` makes the datasets in the (temporary) file at the path it is given.
    init(path: String, header: FileHeader, flushEvents: Int, create: (String) throws -> Content) throws {
        self.path = path
        self.header = header
        self.flushEvents = flushEvents
        temporary = HDF5File.temporaryPath(for: path)
        content = try create(temporary)
    }

    deinit {
        if content != nil {
            content = nil
            try? FileManager.default.removeItem(atPath: temporary)
        }
    }

    func append(_ record: Content.Record) throws {
        guard let content else { preconditionFailure("append after finish") }
        content.append(record)
        count += 1
        buffered += 1
        if buffered >= flushEvents {
            try content.flush()
            buffered = 0
        }
    }

    /// Writes the remaining events and the root attributes, closes and renames the file into place.
    func finish(nGenerated: Int?) throws {
        guard let open = content else { return }
        try open.flush()
        if let nGenerated { header.nGenerated = nGenerated }
        try header.write(to: open.file)
        try open.file.close()
        content = nil // releases every HDF5 object, which closes the file
        try HDF5File.replace(path, with: temporary)
    }
}

/// What the readers of both file types share: the checks of the file, its format and version and
/// its per-event datasets, the channel and weight columns, and the walk over ranges of events.
struct JaggedFileReader {
    let path: String
    let header: FileHeader
    /// Number of events (the length of `channel`).
    let count: Int
    let file: HDF5File
    let channel: HDF5Dataset, weight: HDF5Dataset

    init(path: String, format: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw EventFileError(file: path, path: "/", message: "no such file")
        }
        file = try HDF5File(opening: path, mode: .readOnly)
        header = try FileHeader.read(from: file, expectedFormat: format)
        guard file.contains("channel") else {
            throw EventFileError(file: path, path: "/channel", message: "missing dataset")
        }
        channel = try file.dataset("channel")
        count = channel.shape.first ?? 0
        weight = try Self.perEvent("weight", file: file, path: path, count: count)
    }

    /// A dataset of one value per event, which must exist.
    func perEvent(_ name: String) throws -> HDF5Dataset {
        try Self.perEvent(name, file: file, path: path, count: count)
    }

    private static func perEvent(_ name: String, file: HDF5File, path: String, count: Int) throws -> HDF5Dataset {
        guard file.contains(name) else {
            throw EventFileError(file: path, path: "/" + name, message: "missing dataset")
        }
        let dataset = try file.dataset(name)
        guard dataset.shape == [count] else {
            throw EventFileError(
                file: path, path: dataset.path,
                message: "has shape \(dataset.shape), expected [\(count)] (one per event)")
        }
        return dataset
    }

    /// The weights of events start ..< start + n.
    func weights(start: Int, count n: Int) throws -> [Float] {
        try weight.read(as: Float.self, start: [start], count: [n])
    }

    /// The channels of events start ..< start + n, each checked to be a known channel.
    func channels(start: Int, count n: Int) throws -> [Channel] {
        let raw = try channel.read(as: UInt8.self, start: [start], count: [n])
        return try raw.enumerated().map { i, value in
            guard let channel = Channel(rawValue: value) else {
                throw EventFileError(
                    file: path, path: "/channel", message: "entry \(start + i) is \(value), expected 0…6")
            }
            return channel
        }
    }

    /// Calls `body` with the start and length of consecutive ranges of at most `size` events.
    func forEachRange(size: Int, _ body: (Int, Int) throws -> Void) rethrows {
        var start = 0
        while start < count {
            let n = min(size, count - start)
            try body(start, n)
            start += n
        }
    }
}
