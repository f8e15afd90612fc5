import ArgumentParser
import Events
import Detector

/// `vbfgrid detector`: particle-level file → events file (towers, e/μ/γ, jets, MET).
struct DetectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detector",
        abstract: "Run the detector simulation on a vbfgrid.particles file and write a vbfgrid.events file.",
        discussion: """
        CMS-like calorimeter (docs/physics.md), reconstructed e/μ/γ for the vetoes, anti-kt R=0.5 jets \
        from the towers (pT > 20 GeV) and calorimeter MET. The random stream of event i is derived from \
        the file's seed, channel and first_event + i, as in `vbfgrid generate`, so both routes give the same events.
        """)

    @Option(help: "Input vbfgrid.particles file.") var input: String
    @Option(help: "Output vbfgrid.events file.") var out: String

    func run() throws {
        try OutputPath.ensureParentWritable(out)
        let count = try Self.convert(particles: input, events: out)
        print("\(out): \(count) events")
    }

    /// Runs the detector over every event of the particles file `particles` and writes the events
    /// file `events` with the same header (format changed); returns the number of events.
    static func convert(particles: String, events: String) throws -> Int {
        let reader = try ParticleFileReader(path: particles)
        var header = reader.header
        header.format = FileHeader.eventsFormat
        let writer = try EventFileWriter(path: events, header: header)
        let detector = Detector()
        var index = 0
        try reader.forEachChunk { chunk in
            for particles in chunk {
                var rng = FastSimPipeline.detectorStream(seed: UInt64(header.seed), channel: particles.channel,
                                                         index: header.firstEvent + index)
                try writer.append(detector.reconstruct(particles, rng: &rng))
                index += 1
            }
        }
        try writer.finish()
        return index
    }
}
