import ArgumentParser
import Fidelity
import Stages

/// `vbfgrid fidelity`: fastsim against a reference generator, channel by channel (docs/physics.md,
/// "fastsim fidelity").
struct FidelityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: FidelityStage.Options.command,
        abstract: "Compare fastsim with reference events: classifier two-sample tests and per-observable statistics.",
        discussion: """
            For each channel, the selected events (baseline selection, met > 200 GeV) of fastsim, generated in \
            process with --seed (or read from the events files or folders of --fastsim, e.g. a grid's generate \
            shards), and of the reference: a folder of vbfgrid.events files of any generator (Pythia through the \
            detector, Delphes imports), or a vbfgrid.observables file (then without the image test). An MLP on \
            the z-scored observables and a small CNN on the PJ-LR images learn to tell the two apart in k-fold \
            cross-validation: AUC 0.5 means they cannot. Per observable: medians, Kolmogorov–Smirnov distance and \
            the observable's own AUC, so the worst offenders are named. Writes fidelity.json, index.html and one \
            figure per channel (SVG, CSV, JSON) into --out. \
            --export-observables FILE instead writes the reference's observables as a vbfgrid.observables file.
            """)

    @OptionGroup var options: FidelityStage.Options

    func run() throws { try FidelityStage(options: options).execute() }
}
