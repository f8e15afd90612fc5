import Foundation
import HDF5

/// Streaming writer of a `vbfgrid.particles` v1 file: `particles/{pt,eta,phi}` float32,
/// `particles/pid` int32, `particles/offsets` int64 [n + 1], `channel` uint8 [n],
/// `weight` float32 [n], and the root attributes of `FileHeader`.
public final class ParticleFileWriter {
    public let path: String
    public private(set) var count = 0
    let temporary: String
    let flushEvents: Int
    var header: FileHeader
    var sink: Sink?

    /// The open file, its datasets and the buffers (released as a whole to close the file).
    final class Sink {
        let file: HDF5File
        let particles: JaggedGroupWriter
        let weight: HDF5Dataset, channel: HDF5Dataset
        var weightBuffer: [Float] = [], channelBuffer: [UInt8] = []

        init(_ path: String) throws {
            file = try HDF5File(creating: path)
            particles = try JaggedGroupWriter(file: file, group: "particles", floats: ["pt", "eta", "phi"], int: "pid", chunk: 65536)
            channel = try file.createDataset("channel", of: UInt8.self, shape: [0], maxShape: [nil], chunk: [4096], deflate: 4)
            weight = try file.createDataset("weight", of: Float.self, shape: [0], maxShape: [nil], chunk: [4096], deflate: 4)
        }

        func append(_ event: ParticleEvent) {
            for p in event.particles {
                particles.floatBuffers[0].append(p.pt); particles.floatBuffers[1].append(p.eta)
                particles.floatBuffers[2].append(p.phi); particles.intBuffer.append(p.pid)
            }
            particles.endEvent(entries: event.particles.count)
            weightBuffer.append(event.weight); channelBuffer.append(event.channel.rawValue)
        }

        func flush() throws {
            try particles.flush()
            if !weightBuffer.isEmpty { try weight.append(weightBuffer); try channel.append(channelBuffer) }
            weightBuffer.removeAll(keepingCapacity: true); channelBuffer.removeAll(keepingCapacity: true)
        }
    }

    public init(path: String, header: FileHeader, flushEvents: Int = 4096) throws {
        self.path = path
        self.header = header
        self.flushEvents = flushEvents
        temporary = HDF5File.temporaryPath(for: path)
        sink = try Sink(temporary)
    }

    deinit {
        if sink != nil { sink = nil; try? FileManager.default.removeItem(atPath: temporary) }
    }

    public func append(_ event: ParticleEvent) throws {
        guard let sink else { preconditionFailure("append after finish") }
        sink.append(event)
        count += 1
        if sink.weightBuffer.count >= flushEvents { try sink.flush() }
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

/// Reader of a `vbfgrid.particles` v1 file, by ranges of events.
public final class ParticleFileReader {
    public let path: String
    public let header: FileHeader
    public let count: Int
    let file: HDF5File
    let particles: JaggedGroupReader
    let weight: HDF5Dataset, channel: HDF5Dataset

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            throw EventFileError(file: path, path: "/", message: "no such file")
        }
        let f = try HDF5File(opening: path, mode: .readOnly)
        file = f
        header = try FileHeader.read(from: f, expectedFormat: FileHeader.particlesFormat)
        for name in ["channel", "weight"] where !f.contains(name) {
            throw EventFileError(file: path, path: "/" + name, message: "missing dataset")
        }
        let channel = try f.dataset("channel"), weight = try f.dataset("weight")
        let n = channel.shape.first ?? 0
        guard weight.shape == [n] else {
            throw EventFileError(file: path, path: "/weight", message: "has shape \(weight.shape), expected [\(n)]")
        }
        self.channel = channel; self.weight = weight; count = n
        particles = try JaggedGroupReader(file: f, group: "particles", floats: ["pt", "eta", "phi"], int: "pid", events: n)
    }

    public func read(start: Int, count n: Int) throws -> [ParticleEvent] {
        precondition(start >= 0 && n >= 0 && start + n <= count, "event range out of bounds")
        if n == 0 { return [] }
        let p = try particles.read(start: start, count: n)
        let w = try weight.read(as: Float.self, start: [start], count: [n])
        let c = try channel.read(as: UInt8.self, start: [start], count: [n])
        return try (0..<n).map { i in
            guard let ch = Channel(rawValue: c[i]) else {
                throw EventFileError(file: path, path: "/channel", message: "entry \(start + i) is \(c[i]), expected 0…6")
            }
            let a = Int(p.offsets[i] - p.offsets[0]), b = Int(p.offsets[i + 1] - p.offsets[0])
            return ParticleEvent(particles: (a..<b).map {
                Particle(pt: p.floats[0][$0], eta: p.floats[1][$0], phi: p.floats[2][$0], pid: p.ints[$0])
            }, channel: ch, weight: w[i])
        }
    }

    public func forEachChunk(size: Int = 4096, _ body: ([ParticleEvent]) throws -> Void) throws {
        var start = 0
        while start < count {
            let n = min(size, count - start)
            try body(try read(start: start, count: n))
            start += n
        }
    }
}
