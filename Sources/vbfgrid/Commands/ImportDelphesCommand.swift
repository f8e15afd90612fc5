import ArgumentParser
import Foundation

/// `vbfgrid import-delphes`: Delphes ROOT files → `vbfgrid.events` v1 (tools/pythia/delphes_import.py).
struct ImportDelphesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-delphes",
        abstract: "Convert Delphes ROOT output into vbfgrid.events files.",
        discussion: """
        Reads the tree `Delphes` with uproot (in the Python venv of the Pythia adapter, created on first \
        use): Tower (ET, Eta, Phi), Jet (PT, Eta, Phi, Mass), MissingET (MET, Phi), Electron, Muon, Photon \
        (PT, Eta, Phi) and Event.Weight if present. The mapping is in docs/formats.md. With --out FILE all \
        inputs go into one file; with --out DIR (an existing directory) each input becomes \
        <CHANNEL>-<input name>.h5, n_generated split in proportion to the events.
        """)

    @Argument(help: "Delphes ROOT files.") var inputs: [String]
    @Option(help: "Channel of the events (S_EW, S_QCD, Z_QCD, W_QCD, Z_EW, W_EW, MINBIAS).") var channel: String
    @Option(help: "Output events file, or an existing directory.") var out: String
    @Option(help: "Cross section per generated event in fb (default 0: unknown).") var crossSectionFb: Double?
    @Option(help: "Generated events behind all inputs, including generator-level cuts (default: the events read).")
    var nGenerated: Int?

    func validate() throws {
        _ = try FastSimPipeline.channel(named: channel)
        for input in inputs where !FileManager.default.fileExists(atPath: input) {
            throw ValidationError("\(input): no such file")
        }
        if let nGenerated, nGenerated <= 0 { throw ValidationError("--n-generated must be positive, got \(nGenerated)") }
        if let crossSectionFb, !(crossSectionFb >= 0) {
            throw ValidationError("--cross-section-fb must be a non-negative number, got \(crossSectionFb)")
        }
    }

    func run() throws {
        var isDirectory: ObjCBool = false
        let toDirectory = FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue
        if !toDirectory { try OutputPath.ensureParentWritable(out) }
        var arguments = inputs + ["--channel", try FastSimPipeline.channel(named: channel).name, "--out", out]
        if toDirectory { arguments.append("--out-is-directory") }
        if let crossSectionFb { arguments += ["--cross-section-fb", String(crossSectionFb)] }
        if let nGenerated { arguments += ["--n-generated", String(nGenerated)] }
        try PythonTools.locate().run("delphes_import.py", arguments)
    }
}
