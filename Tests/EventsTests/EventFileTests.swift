import Events
import Foundation
import HDF5
import TestSupport
import Testing

@Suite struct EventFileTests {
    static func header(_ format: String = FileHeader.eventsFormat) -> FileHeader {
        FileHeader(format: format, generator: "test", seed: 5, channel: "Z_QCD", nGenerated: 0, crossSectionFb: 1234.5)
    }

    /// Deterministic pseudo-random events with 0–9 towers, 0–4 jets, 0–2 leptons.
    static func events(_ n: Int) -> [Event] {
        var r = RandomStream(seed: 9)
        return (0..<n).map { _ in
            Event(
                towers: (0..<Int(r.uniform() * 10)).map { _ in
                    Tower(et: Float(r.uniform(0, 50)), eta: Float(r.uniform(-5, 5)), phi: Float(r.uniform(-3, 3)))
                },
                jets: (0..<Int(r.uniform() * 5)).map { _ in
                    Jet(
                        pt: Float(r.uniform(20, 300)), eta: Float(r.uniform(-4.7, 4.7)), phi: Float(r.uniform(-3, 3)),
                        mass: Float(r.uniform(0, 20)))
                },
                leptons: (0..<Int(r.uniform() * 3)).map { _ in
                    RecoObject(
                        pt: Float(r.uniform(5, 50)), eta: Float(r.uniform(-2.5, 2.5)), phi: 0.5,
                        pid: [11, 13, 22][Int(r.uniform() * 3)])
                },
                met: MissingET(value: Float(r.uniform(0, 500)), phi: Float(r.uniform(-3, 3))),
                channel: Channel(rawValue: UInt8(r.uniform() * 7))!, weight: Float(r.uniform()))
        }
    }

    @Test func roundTripThroughSeveralFlushesAndRanges() throws {
        let path = TestPaths.temporaryDirectory().appendingPathComponent("e.h5").path
        let events = Self.events(1000)
        let writer = try EventFileWriter(path: path, header: Self.header(), flushEvents: 128)
        for e in events { try writer.append(e) }
        #expect(!FileManager.default.fileExists(atPath: path), "file appears only when finished")
        try writer.finish(nGenerated: 4321)
        let reader = try EventFileReader(path: path)
        #expect(reader.count == 1000)
        var expected = Self.header()
        expected.nGenerated = 4321
        #expect(reader.header == expected)
        var back: [Event] = []
        try reader.forEachChunk(size: 77) { back += $0 }
        #expect(back == events)
        #expect(try reader.read(start: 500, count: 3) == Array(events[500..<503]))
    }

    @Test func particleRoundTrip() throws {
        let path = TestPaths.temporaryDirectory().appendingPathComponent("p.h5").path
        var r = RandomStream(seed: 3)
        let events = (0..<300).map { i in
            ParticleEvent(
                particles: (0..<Int(r.uniform() * 30)).map { _ in
                    Particle(pt: Float(r.uniform()), eta: Float(r.uniform(-5, 5)), phi: 1, pid: 211)
                },
                channel: .minBias, weight: Float(i))
        }
        let writer = try ParticleFileWriter(
            path: path, header: Self.header(FileHeader.particlesFormat), flushEvents: 64)
        for e in events { try writer.append(e) }
        try writer.finish(nGenerated: 300)
        let reader = try ParticleFileReader(path: path)
        var back: [ParticleEvent] = []
        try reader.forEachChunk(size: 100) { back += $0 }
        #expect(back == events)
        #expect(reader.header.format == "vbfgrid.particles")
    }

    /// Writes a small valid file, then lets `damage` change it.
    static func damagedFile(_ damage: (HDF5File) throws -> Void) throws -> String {
        let path = TestPaths.temporaryDirectory().appendingPathComponent("d.h5").path
        let writer = try EventFileWriter(path: path, header: header())
        for e in events(20) { try writer.append(e) }
        try writer.finish(nGenerated: 20)
        let file = try HDF5File(opening: path, mode: .readWrite)
        try damage(file)
        try file.close()
        return path
    }

    static func message(_ path: String) -> String {
        do {
            _ = try EventFileReader(path: path)
            return ""
        } catch { return "\(error)" }
    }

    @Test func wrongFormatOrVersion() throws {
        let a = try Self.damagedFile { try $0.setAttribute("format", "something.else") }
        #expect(
            Self.message(a).contains("/@format") && Self.message(a).contains("expected 'vbfgrid.events'")
                && Self.message(a).contains(a))
        let b = try Self.damagedFile { try $0.setAttribute("format_version", 7) }
        #expect(Self.message(b).contains("/@format_version") && Self.message(b).contains("is 7"))
    }

    @Test func missingDatasetAndInconsistentOffsets() throws {
        let a = try Self.damagedFile { file in try file.write("extra", [Float(1)]) }
        #expect(Self.message(a).isEmpty, "an extra dataset is harmless")
        let b = try Self.damagedFile { file in
            let offsets = try file.dataset("towers/offsets")
            try offsets.write([Int64(10_000)], start: [20], count: [1])
        }
        #expect(Self.message(b).contains("/towers/et") && Self.message(b).contains("expected [10000]"))
        let c = try Self.damagedFile { file in
            let offsets = try file.dataset("jets/offsets")
            try offsets.write([Int64(3)], start: [0], count: [1])
        }
        #expect(Self.message(c).contains("/jets/offsets") && Self.message(c).contains("expected 0"))
        let d = try Self.damagedFile { file in
            let offsets = try file.dataset("leptons/offsets")
            let last = try offsets.read(as: Int64.self, start: [20], count: [1])[0]
            try offsets.write([last + 1], start: [10], count: [1])
        }
        let reader = try EventFileReader(path: d)
        var message = ""
        do { _ = try reader.read(start: 0, count: 20) } catch { message = "\(error)" }
        #expect(message.contains("/leptons/offsets") && message.contains("not within"))
        // A file without the jets group.
        let path = TestPaths.temporaryDirectory().appendingPathComponent("m.h5").path
        try HDF5File.writeAtomically(to: path) { f in
            try Self.header().write(to: f)
            try f.write("channel", [UInt8(0)])
            try f.write("weight", [Float(1)])
            try f.write("met/value", [Float(1)])
            try f.write("met/phi", [Float(0)])
            try f.write("towers/offsets", [Int64(0), 0])
            for n in ["et", "eta", "phi"] { try f.write("towers/\(n)", [Float]()) }
        }
        #expect(Self.message(path).contains("/jets/pt") && Self.message(path).contains("missing dataset"))
    }

    /// 10⁶ events written and read back with memory bounded by a flush/chunk: the resident
    /// set grows by far less than the ≈ 70 MB of the file's raw data.
    @Test func millionEventsWithBoundedMemory() throws {
        let path = TestPaths.temporaryDirectory().appendingPathComponent("big.h5").path
        let before = Self.residentMB()
        let writer = try EventFileWriter(path: path, header: Self.header(), flushEvents: 8192)
        var e = Event(
            towers: [Tower(et: 1, eta: 0, phi: 0), Tower(et: 2, eta: 1, phi: 1)],
            jets: [Jet(pt: 30, eta: 0, phi: 0, mass: 1)], channel: .zQCD)
        for i in 0..<1_000_000 {
            e.weight = Float(i)
            try writer.append(e)
        }
        try writer.finish(nGenerated: 1_000_000)
        let reader = try EventFileReader(path: path)
        var n = 0, lastWeight: Float = -1
        try reader.forEachChunk(size: 8192) { chunk in
            n += chunk.count
            lastWeight = chunk.last!.weight
        }
        let growth = Self.residentMB() - before
        #expect(n == 1_000_000 && lastWeight == 999_999)
        #expect(growth < 40, "resident memory grew by \(growth) MB")
    }

    static func residentMB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
        }
        return 0
    }
}
