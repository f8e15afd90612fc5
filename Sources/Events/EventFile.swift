import Foundation
import HDF5

/// Streaming writer of a `vbfgrid.events` v1 file (docs/formats.md). Events are buffered and
/// appended to chunked, compressed datasets every `flushEvents` events, so memory is bounded
/// by one flush. The file is written under a temporary name and renamed into place by `finish`.
/// Optional extra per-event int32 columns (e.g. `pileup/n`) are named at creation and given
/// with each event.
public final class EventFileWriter {
    let writer: JaggedFileWriter<Columns>
    public var path: String { writer.path }
    public var count: Int { writer.count }

    /// The datasets of an events file and their buffers.
    final class Columns: JaggedFileContent {
        let file: HDF5File
        let towers: JaggedGroupWriter, jets: JaggedGroupWriter, leptons: JaggedGroupWriter
        let metValue: PerEventColumn<Float>, metPhi: PerEventColumn<Float>
        let labels: LabelColumns
        let extras: [PerEventColumn<Int32>]

        init(_ path: String, extraColumns: [String]) throws {
            file = try HDF5File(creating: path)
            towers = try JaggedGroupWriter(
                file: file, group: "towers", floats: ["et", "eta", "phi"], int: nil, chunk: 65536,
                storage: ["et": .uncompressed, "eta": .gridValues, "phi": .gridValues])
            jets = try JaggedGroupWriter(
                file: file, group: "jets", floats: ["pt", "eta", "phi", "mass"], int: nil, chunk: 16384)
            leptons = try JaggedGroupWriter(
                file: file, group: "leptons", floats: ["pt", "eta", "phi"], int: "pid", chunk: 4096)
            metValue = try PerEventColumn(file: file, name: "met/value")
            metPhi = try PerEventColumn(file: file, name: "met/phi")
            labels = try LabelColumns(file: file)
            let file = self.file
            extras = try extraColumns.map { try PerEventColumn(file: file, name: $0) }
        }

        func append(_ record: (event: Event, extras: [Int32])) {
            let event = record.event
            precondition(
                record.extras.count == extras.count,
                "\(record.extras.count) extra values for \(extras.count) extra columns")
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
            metValue.buffer.append(event.met.value)
            metPhi.buffer.append(event.met.phi)
            labels.append(event)
            for (column, value) in zip(extras, record.extras) { column.buffer.append(value) }
        }

        func flush() throws {
            try towers.flush()
            try jets.flush()
            try leptons.flush()
            try metValue.flush()
            try metPhi.flush()
            try labels.flush()
            for column in extras { try column.flush() }
        }
    }

    /// Starts a file; `header.nGenerated` may be updated by `finish`. `extraColumns` names
    /// optional per-event int32 datasets (e.g. "pileup/n").
    public init(path: String, header: FileHeader, flushEvents: Int = 4096, extraColumns: [String] = []) throws {
        writer = try JaggedFileWriter(path: path, header: header, flushEvents: flushEvents) {
            try Columns($0, extraColumns: extraColumns)
        }
    }

    /// Appends an event with its values of the extra columns (in the order they were named).
    public func append(_ event: Event, extras: [Int32] = []) throws {
        try writer.append((event, extras))
    }

    /// Writes the remaining events and the root attributes, closes and renames the file into place.
    public func finish(nGenerated: Int? = nil) throws {
        try writer.finish(nGenerated: nGenerated)
    }
}

/// Reader of a `vbfgrid.events` v1 file: checks the format, the version, the datasets and the
/// offsets, and reads events by ranges, so memory is bounded by the range.
public final class EventFileReader {
    let reader: JaggedFileReader
    public var path: String { reader.path }
    public var header: FileHeader { reader.header }
    /// Number of events.
    public var count: Int { reader.count }
    let towers: JaggedGroupReader, jets: JaggedGroupReader, leptons: JaggedGroupReader
    let metValue: HDF5Dataset, metPhi: HDF5Dataset

    public init(path: String) throws {
        let r = try JaggedFileReader(path: path, format: FileHeader.eventsFormat)
        reader = r
        metValue = try r.perEvent("met/value")
        metPhi = try r.perEvent("met/phi")
        towers = try JaggedGroupReader(
            file: r.file, group: "towers", floats: ["et", "eta", "phi"], int: nil, events: r.count)
        jets = try JaggedGroupReader(
            file: r.file, group: "jets", floats: ["pt", "eta", "phi", "mass"], int: nil, events: r.count)
        leptons = try JaggedGroupReader(
            file: r.file, group: "leptons", floats: ["pt", "eta", "phi"], int: "pid", events: r.count)
    }

    /// Events start ..< start + n; `withTowers: false` skips the towers (most of the bytes) for
    /// readers that need only the reconstructed objects, e.g. the baseline selection.
    public func read(start: Int, count n: Int, withTowers: Bool = true) throws -> [Event] {
        precondition(start >= 0 && n >= 0 && start + n <= count, "event range out of bounds")
        if n == 0 { return [] }
        let t =
            withTowers
            ? try towers.read(start: start, count: n)
            : (offsets: [Int64](repeating: 0, count: n + 1), floats: [[], [], []], ints: [])
        let j = try jets.read(start: start, count: n)
        let l = try leptons.read(start: start, count: n)
        let mv = try metValue.read(as: Float.self, start: [start], count: [n])
        let mp = try metPhi.read(as: Float.self, start: [start], count: [n])
        let w = try reader.weights(start: start, count: n)
        let c = try reader.channels(start: start, count: n)
        var events: [Event] = []
        events.reserveCapacity(n)
        for i in 0..<n {
            let t0 = Int(t.offsets[i] - t.offsets[0]), t1 = Int(t.offsets[i + 1] - t.offsets[0])
            let j0 = Int(j.offsets[i] - j.offsets[0]), j1 = Int(j.offsets[i + 1] - j.offsets[0])
            let l0 = Int(l.offsets[i] - l.offsets[0]), l1 = Int(l.offsets[i + 1] - l.offsets[0])
            events.append(
                Event(
                    towers: (t0..<t1).map { Tower(et: t.floats[0][$0], eta: t.floats[1][$0], phi: t.floats[2][$0]) },
                    jets: (j0..<j1).map {
                        Jet(pt: j.floats[0][$0], eta: j.floats[1][$0], phi: j.floats[2][$0], mass: j.floats[3][$0])
                    },
                    leptons: (l0..<l1).map {
                        RecoObject(pt: l.floats[0][$0], eta: l.floats[1][$0], phi: l.floats[2][$0], pid: l.ints[$0])
                    },
                    met: MissingET(value: mv[i], phi: mp[i]), channel: c[i], weight: w[i]))
        }
        return events
    }

    /// An optional per-event int32 column (e.g. "pileup/n") for events start ..< start + n;
    /// nil when the file has no such column.
    public func extraColumn(_ name: String, start: Int, count n: Int) throws -> [Int32]? {
        guard reader.file.contains(name) else { return nil }
        return try reader.perEvent(name).read(as: Int32.self, start: [start], count: [n])
    }

    /// Calls `body` with consecutive ranges of at most `size` events.
    public func forEachChunk(size: Int = 4096, withTowers: Bool = true, _ body: ([Event]) throws -> Void) throws {
        try reader.forEachRange(size: size) { try body(try read(start: $0, count: $1, withTowers: withTowers)) }
    }
}
