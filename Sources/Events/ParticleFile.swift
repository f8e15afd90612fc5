import Foundation
import HDF5

/// Streaming writer of a `vbfgrid.particles` v1 file: `particles/{pt,eta,phi}` float32,
/// `particles/pid` int32, `particles/offsets` int64 [n + 1], `channel` uint8 [n],
/// `weight` float32 [n], and the root attributes of `FileHeader`.
public final class ParticleFileWriter {
    let writer: JaggedFileWriter<Columns>
    public var path: String { writer.path }
    public var count: Int { writer.count }

    /// The datasets of a particles file and their buffers.
    final class Columns: JaggedFileContent {
        let file: HDF5File
        let particles: JaggedGroupWriter
        let labels: LabelColumns

        init(_ path: String) throws {
            file = try HDF5File(creating: path)
            particles = try JaggedGroupWriter(
                file: file, group: "particles", floats: ["pt", "eta", "phi"], int: "pid", chunk: 65536)
            labels = try LabelColumns(file: file)
        }

        func append(_ event: ParticleEvent) {
            for p in event.particles {
                particles.floatBuffers[0].append(p.pt)
                particles.floatBuffers[1].append(p.eta)
                particles.floatBuffers[2].append(p.phi)
                particles.intBuffer.append(p.pid)
            }
            particles.endEvent(entries: event.particles.count)
            labels.append(event)
        }

        func flush() throws {
            try particles.flush()
            try labels.flush()
        }
    }

    public init(path: String, header: FileHeader, flushEvents: Int = 4096) throws {
        writer = try JaggedFileWriter(path: path, header: header, flushEvents: flushEvents) { try Columns($0) }
    }

    public func append(_ event: ParticleEvent) throws {
        try writer.append(event)
    }

    /// Writes the remaining events and the root attributes, closes and renames the file into place.
    public func finish(nGenerated: Int? = nil) throws {
        try writer.finish(nGenerated: nGenerated)
    }
}

/// Reader of a `vbfgrid.particles` v1 file, by ranges of events.
public final class ParticleFileReader {
    let reader: JaggedFileReader
    public var path: String { reader.path }
    public var header: FileHeader { reader.header }
    public var count: Int { reader.count }
    let particles: JaggedGroupReader

    public init(path: String) throws {
        reader = try JaggedFileReader(path: path, format: FileHeader.particlesFormat)
        particles = try JaggedGroupReader(
            file: reader.file, group: "particles", floats: ["pt", "eta", "phi"], int: "pid",
            events: reader.count)
    }

    public func read(start: Int, count n: Int) throws -> [ParticleEvent] {
        precondition(start >= 0 && n >= 0 && start + n <= count, "event range out of bounds")
        if n == 0 { return [] }
        let p = try particles.read(start: start, count: n)
        let w = try reader.weights(start: start, count: n)
        let c = try reader.channels(start: start, count: n)
        return (0..<n).map { i in
            let a = Int(p.offsets[i] - p.offsets[0]), b = Int(p.offsets[i + 1] - p.offsets[0])
            return ParticleEvent(
                particles: (a..<b).map {
                    Particle(pt: p.floats[0][$0], eta: p.floats[1][$0], phi: p.floats[2][$0], pid: p.ints[$0])
                }, channel: c[i], weight: w[i])
        }
    }

    public func forEachChunk(size: Int = 4096, _ body: ([ParticleEvent]) throws -> Void) throws {
        try reader.forEachRange(size: size) { try body(try read(start: $0, count: $1)) }
    }
}
