import ArgumentParser
import Events
import Selection

/// `vbfgrid inspect`: counts, cutflow per channel, feature summaries, separation ranking.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Summarise vbfgrid.events files: counts, cutflow, feature statistics, separation ranking.",
        discussion: """
            Reads the files in chunks (memory bounded by a chunk). The cutflow is the paper's baseline \
            selection; features are K and R (paper §3) of the selected events, and n_jets their number of jets \
            with pT > 30 GeV and |eta| < 4.7 (median / mean / rms per channel); the separation <S^2> (eq. 3.2) \
            ranks the 24 features for the paper's signal and background mixtures when both classes are present.
            """)

    @Argument(help: "vbfgrid.events files.") var files: [String]
    @Option(help: "MET cut of the baseline selection (GeV), 200 or 250.") var metCut: Float = 200

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one events file") }
    }

    func run() throws {
        var summary = SampleSummary(selection: BaselineSelection(metCut: metCut))
        for path in files {
            let reader = try EventFileReader(path: path)
            let h = reader.header
            print(
                "\(path): \(reader.count) events, channel \(h.channel), generator \(h.generator), seed \(h.seed), "
                    + "n_generated \(h.nGenerated), cross_section_fb \(h.crossSectionFb)")
            try reader.forEachChunk { chunk in for event in chunk { summary.add(event) } }
        }
        print(summary.report())
    }
}
