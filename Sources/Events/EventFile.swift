import Foundation
import HDF5

/// Streaming writer of a `vbfgrid.events` v1 file (docs/formats.md). Events are buffered and
/// appended to chunked, compressed datasets every `flushEvents` events, so memory is bounded
/// by one flush. The file is written under a temporary name and renamed into place by `finish`.
/// Optional extra per-event int32 columns (e.g. `pileup/n`) are named at creation and given
/// with each event.
public final class EventFileWriter {
    public let path: String
    public private(set) var count = 0
    let temporary: String
    let flushEvents: Int
    var header: FileHeader
    var sink: Sink?

    /// The open file, its datasets and the buffers (released as a whole to close the file).
    final class Sink {
        let file: HDF5File
        let towers: JaggedGroupWriter, jets: JaggedGroupWriter, leptons: JaggedGroupWriter
        let metValue: HDF5Dataset, metPhi: HDF5Dataset, weight: HDF5Dataset, channel: HDF5Dataset
        let extras: [HDF5Dataset]
        var metValueBuffer: [Float] = [], metPhiBuffer: [Float] = [], weightBuffer: [Float] = [], channelBuffer: [UInt8] = []
        var extraBuffers: [[Int32]]

        init(_ path: String, extraColumns: [String]) throws {
            file = try HDF5File(creating: path)
            towers = try JaggedGroupWriter(file: file, group: "towers", floats: ["et", "eta", "phi"], int: nil, chunk: 65536)
            jets = try JaggedGroupWriter(file: file, group: "jets", floats: ["pt", "eta", "phi", "mass"], int: nil, chunk: 16384)
            leptons = try JaggedGroupWriter(file: file, group: "leptons", floats: ["pt", "eta", "phi"], int: "pid", chunk: 4096)
            let file = self.file
            func perEvent<T: HDF5Element>(_ name: String, _ type: T.Type) throws -> HDF5Dataset {
                try file.createDataset(name, of: type, shape: [0], maxShape: [nil], chunk: [4096], deflate: 4)
            }
            metValue = try perEvent("met/value", Float.self); metPhi = try perEvent("met/phi", Float.self)
            channel = try perEvent("channel", UInt8.self); weight = try perEvent("weight", Float.self)
            extras = try extraColumns.map { try perEvent($0, Int32.self) }
            extraBuffers = extraColumns.map { _ in [] }
        }

        func append(_ event: Event) {
            // Column by column (one append per column and event, not per value).
            towers.floatBuffers[0].append(contentsOf: event.towers.lazy.map(\.et))
            towers.floatBuffers[1].append(contentsOf: event.towers.lazy.map(\.eta))
            towers.floatBuffers[2].append(contentsOf: event.towers.lazy.map(\.phi))
            towers.endEvent(entries: event.towers.count)
            jets.floatBuffers[0].append(contentsOf: event.jets.lazy.map(\.pt))
            jets.floatBuffers[1].append(contentsOf: event.jets.lazy.map(\.eta))
            jets.floatBuffers[2].append(contentsOf: event.jets.lazy.map(\.phi))
            jets.floatBuffers[3].append(contentsOf: event.jets.lazy.map(\.mass))
            jets.endEvent(entries: event.jets.count)
            leptons.floatBuffers[0].append(contentsOf: event.leptons.lazy.map(\.pt))
            leptons.floatBuffers[1].append(contentsOf: event.leptons.lazy.map(\.eta))
            leptons.floatBuffers[2].append(contentsOf: event.leptons.lazy.map(\.phi))
            leptons.intBuffer.append(contentsOf: event.leptons.lazy.map(\.pid))
            leptons.endEvent(entries: event.leptons.count)
            metValueBuffer.append(event.met.value); metPhiBuffer.append(event.met.phi)
            weightBuffer.append(event.weight); channelBuffer.append(event.channel.rawValue)
        }

        func flush() throws {
            try towers.flush(); try jets.flush(); try leptons.flush()
            if !metValueBuffer.isEmpty {
                try metValue.append(metValueBuffer); try metPhi.append(metPhiBuffer)
                try weight.append(weightBuffer); try channel.append(channelBuffer)
                for (dataset, buffer) in zip(extras, extraBuffers) { try dataset.append(buffer) }
            }
            metValueBuffer.removeAll(keepingCapacity: true); metPhiBuffer.removeAll(keepingCapacity: true)
            weightBuffer.removeAll(keepingCapacity: true); channelBuffer.removeAll(keepingCapacity: true)
            for i in extraBuffers.indices { extraBuffers[i].removeAll(keepingCapacity: true) }
        }
    }

    /// Starts a file; `header.nGenerated` may be updated by `finish`. `extraColumns` names
    /// optional per-event int32 datasets (e.g. "pileup/n").
    public init(path: String, header: FileHeader, flushEvents: Int = 4096, extraColumns: [String] = []) throws {
        self.path = path
        self.header = header
        self.flushEvents = flushEvents
        temporary = HDF5File.temporaryPath(for: path)
        sink = try Sink(temporary, extraColumns: extraColumns)
    }

    deinit {
        if sink != nil { sink = nil; try? FileManager.default.removeItem(atPath: temporary) }
    }

    /// Appends an event with its values of the extra columns (in the order they were named).
    public func append(_ event: Event, extras: [Int32] = []) throws {
        guard let sink else { preconditionFailure("append after finish") }
        precondition(extras.count == sink.extras.count, "\(extras.count) extra values for \(sink.extras.count) extra columns")
        sink.append(event)
        for (i, value) in extras.enumerated() { sink.extraBuffers[i].append(value) }
        count += 1
        if sink.metValueBuffer.count >= flushEvents { try sink.flush() }
    }

    /// Writes the remaining events and the root attributes, closes and renames the file into place.
    public func finish(nGenerated: Int? = nil) throws {
        guard let open = sink else { return }
        try open.flush()
        if let nGenerated { header.nGenerated = nGenerated }
        try header.write(to: open.file)
        try open.file.close()
        sink = nil   // releases every HDF5 object, which closes the file
        try HDF5File.replace(path, with: temporary)
    }
}

/// Reader of a `vbfgrid.events` v1 file: checks the format, the version, the datasets and the
/// offsets, and reads events by ranges, so memory is bounded by the range.
public final class EventFileReader {
    public let path: String
    public let header: FileHeader
    /// Number of events.
    public let count: Int
    let file: HDF5File
    let towers: JaggedGroupReader, jets: JaggedGroupReader, leptons: JaggedGroupReader
    let metValue: HDF5Dataset, metPhi: HDF5Dataset, weight: HDF5Dataset, channel: HDF5Dataset

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw EventFileError(file: path, path: "/", message: "no such file")
        }
        let f = try HDF5File(opening: path, mode: .readOnly)
        file = f
        header = try FileHeader.read(from: f, expectedFormat: FileHeader.eventsFormat)
        func open(_ name: String) throws -> HDF5Dataset {
            guard f.contains(name) else { throw EventFileError(file: path, path: "/" + name, message: "missing dataset") }
            return try f.dataset(name)
        }
        let channel = try open("channel")
        let n = channel.shape.first ?? 0
        let metValue = try open("met/value"), metPhi = try open("met/phi"), weight = try open("weight")
        for d in [metValue, metPhi, weight] where d.shape != [n] {
            throw EventFileError(file: path, path: d.path, message: "has shape \(d.shape), expected [\(n)] (one per event)")
        }
        self.channel = channel; self.metValue = metValue; self.metPhi = metPhi; self.weight = weight; count = n
        towers = try JaggedGroupReader(file: f, group: "towers", floats: ["et", "eta", "phi"], int: nil, events: n)
        jets = try JaggedGroupReader(file: f, group: "jets", floats: ["pt", "eta", "phi", "mass"], int: nil, events: n)
        leptons = try JaggedGroupReader(file: f, group: "leptons", floats: ["pt", "eta", "phi"], int: "pid", events: n)
    }

    /// Events start ..< start + n; `withTowers: false` skips the towers (most of the bytes) for
    /// readers that need only the reconstructed objects, e.g. the baseline selection.
    public func read(start: Int, count n: Int, withTowers: Bool = true) throws -> [Event] {
        precondition(start >= 0 && n >= 0 && start + n <= count, "event range out of bounds")
        if n == 0 { return [] }
        let t = withTowers ? try towers.read(start: start, count: n)
                           : (offsets: [Int64](repeating: 0, count: n + 1), floats: [[], [], []], ints: [])
        let j = try jets.read(start: start, count: n)
        let l = try leptons.read(start: start, count: n)
        let mv = try metValue.read(as: Float.self, start: [start], count: [n])
        let mp = try metPhi.read(as: Float.self, start: [start], count: [n])
        let w = try weight.read(as: Float.self, start: [start], count: [n])
        let c = try channel.read(as: UInt8.self, start: [start], count: [n])
        var events: [Event] = []
        events.reserveCapacity(n)
        for i in 0..<n {
            guard let ch = Channel(rawValue: c[i]) else {
                throw EventFileError(file: path, path: "/channel", message: "entry \(start + i) is \(c[i]), expected 0…6")
            }
            let t0 = Int(t.offsets[i] - t.offsets[0]), t1 = Int(t.offsets[i + 1] - t.offsets[0])
            let j0 = Int(j.offsets[i] - j.offsets[0]), j1 = Int(j.offsets[i + 1] - j.offsets[0])
            let l0 = Int(l.offsets[i] - l.offsets[0]), l1 = Int(l.offsets[i + 1] - l.offsets[0])
            events.append(Event(
                towers: (t0..<t1).map { Tower(et: t.floats[0][$0], eta: t.floats[1][$0], phi: t.floats[2][$0]) },
                jets: (j0..<j1).map { Jet(pt: j.floats[0][$0], eta: j.floats[1][$0], phi: j.floats[2][$0], mass: j.floats[3][$0]) },
                leptons: (l0..<l1).map { RecoObject(pt: l.floats[0][$0], eta: l.floats[1][$0], phi: l.floats[2][$0], pid: l.ints[$0]) },
                met: MissingET(value: mv[i], phi: mp[i]), channel: ch, weight: w[i]))
        }
        return events
    }

    /// An optional per-event int32 column (e.g. "pileup/n") for events start ..< start + n;
    /// nil when the file has no such column.
    public func extraColumn(_ name: String, start: Int, count n: Int) throws -> [Int32]? {
        guard file.contains(name) else { return nil }
        let dataset = try file.dataset(name)
        guard dataset.shape == [count] else {
            throw EventFileError(file: path, path: dataset.path, message: "has shape \(dataset.shape), expected [\(count)] (one per event)")
        }
        return try dataset.read(as: Int32.self, start: [start], count: [n])
    }

    /// Calls `body` with consecutive ranges of at most `size` events.
    public func forEachChunk(size: Int = 4096, withTowers: Bool = true, _ body: ([Event]) throws -> Void) throws {
        var start = 0
        while start < count {
            let n = min(size, count - start)
            try body(try read(start: start, count: n, withTowers: withTowers))
            start += n
        }
    }
}
