import ArgumentParser
import Detector
import Events
import Stages

/// `detector`: particle-level file → events file (towers, e/μ/γ, jets, MET). The random stream of
/// event i is derived from the file's seed, channel and first_event + i, as in `generate`, so
/// both routes give the same events.
public struct DetectorStage: SerialStage {
    /// The options of `vbfgrid detector`.
    public struct Options: StageOptions {
        public static let command = "detector"

        @Option(help: "Input vbfgrid.particles file.") public var input: String
        @Option(help: "Output vbfgrid.events file.") public var out: String

        public init() {}

        public var arguments: [String] { ["--input", input, "--out", out] }
    }

    public var options: Options

    public init(options: Options) { self.options = options }

    public func run() throws {
        try OutputPath.ensureParentWritable(options.out)
        let count = try Self.convert(particles: options.input, events: options.out)
        print("\(options.out): \(count) events")
    }

    /// Runs the detector over every event of the particles file `particles` and writes the events
    /// file `events` with the same header (format changed); returns the number of events.
    public static func convert(particles: String, events: String) throws -> Int {
        let reader = try ParticleFileReader(path: particles)
        var header = reader.header
        header.format = FileHeader.eventsFormat
        let writer = try EventFileWriter(path: events, header: header)
        let detector = Detector()
        var index = 0
        try reader.forEachChunk { chunk in
            for particles in chunk {
                var rng = Detector.randomStream(
                    seed: UInt64(header.seed), channel: particles.channel,
                    index: header.firstEvent + index)
                try writer.append(detector.reconstruct(particles, rng: &rng))
                index += 1
            }
        }
        try writer.finish()
        return index
    }
}
