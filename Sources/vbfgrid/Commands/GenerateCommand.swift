import ArgumentParser
import Events
import Generation
import Stages

/// `vbfgrid generate`: fastsim (or Pythia 8) + detector into `vbfgrid.events` files (optionally
/// keeping the `vbfgrid.particles` files too), one file or shards of `--shard-size` events.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: GenerateStage.Options.command,
        abstract: "Generate events of one channel with the built-in fast simulation or Pythia 8.",
        discussion: """
            Runs fastsim (particle level) and the detector (calorimeter towers, e/μ/γ, anti-kt R=0.5 jets, \
            calorimeter MET) and writes vbfgrid.events v1 files (docs/formats.md). Every generated event is \
            written; the selection happens later. n_generated counts every attempt, including generator-level \
            vetoes (W events whose lepton would be found, and the two-stage preselection of attempts that cannot \
            pass the baseline selection: docs/physics.md). Event i of (seed, channel) is the same whatever the \
            sharding. --min-invisible-pt sets the preselection's invisible-p_T floor (default 160 GeV; lower it \
            for samples meant for high pileup, where more events below the floor reach met > 200); \
            --no-particle-preselection skips the preselection's particle-level stage (its loss also grows with \
            pileup). Channels: \(Channel.allCases.map(\.name).joined(separator: ", ")).
            With --shard-size K (or when --out is an existing directory), --out is a directory receiving \
            <CHANNEL>-s<SEED>-<NNNNN>.h5 shards of K events (one shard of N events without --shard-size); \
            --shard-index k writes only shard k, the same file as in the full run (one array task per shard).
            --generator pythia runs Pythia 8.317 (tools/pythia, in a Python venv created on first use: \
            .build/pythia-venv or $VBFGRID_PYTHIA_VENV; `make pythia` creates it ahead) for the particles, then the \
            same detector. Shard k gets the Pythia seed derived from (seed, channel, k), so its events depend on \
            the shard size. Z_EW and W_EW are proxies with Pythia (VBF scalar at the V mass; docs/physics.md). \
            A parton-level veto drops, before hadronization, the Pythia events that cannot pass the baseline \
            selection (counted in n_generated); --no-parton-veto turns it off (for samples meant for pileup).
            --generator files --input PATH copies the events files of PATH (a file or a folder of them, each \
            checked to hold --channel) unchanged into the --out folder.
            """)

    @OptionGroup var options: GenerateStage.Options

    func run() throws { try GenerateStage(options: options).execute() }
}
