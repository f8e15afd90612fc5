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
        let reader = try ParticleFileReader(path: input)
        try OutputPath.ensureParentWritable(out)
        var header = reader.header
        header.format = FileHeader.eventsFormat
        let writer = try EventFileWriter(path: out, header: header)
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
        print("\(out): \(index) events")
    }
}
