import ArgumentParser
import Pileup
import Stages

/// `vbfgrid overlay`: adds Poisson pileup from a min-bias library to events files.
struct OverlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: OverlayStage.Options.command,
        abstract: "Overlay pileup (N ~ Poisson(⟨N⟩) min-bias events) on events files.",
        discussion: """
            Each hard event gets N ~ Poisson(MEAN) min-bias events drawn uniformly with replacement from
            the library, each rotated by a random φ; their towers are summed onto the event's calorimeter
            cells (no pileup subtraction), and jets (anti-kt R=0.5) and MET are recomputed from the merged
            towers unless --keep-hard-objects. N is stored per event as pileup/n. One output file per
            input file in OUT, then OUT/overlay-manifest.json. Runs alone or under mpirun/srun (master/
            worker over the files; the bytes written do not depend on the number of ranks); a rerun
            skips files already complete.
            Example: mpirun -n 4 vbfgrid overlay --input events/S_EW --minbias events/minbias --mean 50 --seed 7 --out pileup50/S_EW
            """
    )

    @OptionGroup var options: OverlayStage.Options

    func run() throws { try OverlayStage(options: options).execute() }
}
