import ArgumentParser
import Generation
import Stages

/// `vbfgrid import-delphes`: Delphes ROOT files → `vbfgrid.events` v1 (tools/pythia/delphes_import.py).
struct ImportDelphesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ImportDelphesStage.Options.command,
        abstract: "Convert Delphes ROOT output into vbfgrid.events files.",
        discussion: """
            Reads the tree `Delphes` with uproot (in the Python venv of the Pythia adapter, created on first \
            use): Tower (ET, Eta, Phi), Jet (PT, Eta, Phi, Mass), MissingET (MET, Phi), Electron, Muon, Photon \
            (PT, Eta, Phi) and Event.Weight if present. The mapping is in docs/formats.md. With --out FILE all \
            inputs go into one file; with --out DIR (an existing directory) each input becomes \
            <CHANNEL>-<input name>.h5, n_generated split in proportion to the events.
            """)

    @OptionGroup var options: ImportDelphesStage.Options

    func run() throws { try ImportDelphesStage(options: options).execute() }
}
