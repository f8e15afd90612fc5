import ArgumentParser
import Generation
import Stages

/// `vbfgrid detector`: particle-level file → events file (towers, e/μ/γ, jets, MET).
struct DetectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: DetectorStage.Options.command,
        abstract: "Run the detector simulation on a vbfgrid.particles file and write a vbfgrid.events file.",
        discussion: """
            CMS-like calorimeter (docs/physics.md), reconstructed e/μ/γ for the vetoes, anti-kt R=0.5 jets \
            from the towers (pT > 20 GeV) and calorimeter MET. The random stream of event i is derived from \
            the file's seed, channel and first_event + i, as in `vbfgrid generate`, so both routes give the same events.
            """)

    @OptionGroup var options: DetectorStage.Options

    func run() throws { try DetectorStage(options: options).execute() }
}
