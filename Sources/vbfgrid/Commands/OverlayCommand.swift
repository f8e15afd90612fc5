import ArgumentParser
import Pileup

/// `vbfgrid overlay`: adds Poisson pileup from a min-bias library to events files.
struct OverlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlay",
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

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Events files or folders of them.", valueName: "path"))
    var input: [String]

    @Option(parsing: .upToNextOption, help: ArgumentHelp("The min-bias library: MINBIAS events files or folders.", valueName: "path"))
    var minbias: [String]

    @Option(help: "The mean number of pileup events ⟨N⟩ (≥ 0).")
    var mean: Double

    @Option(help: "The random seed of the overlay.")
    var seed: UInt64

    @Option(help: ArgumentHelp("Output folder.", valueName: "dir"))
    var out: String

    @Flag(help: "Keep the hard event's jets and MET instead of recomputing them from the merged towers.")
    var keepHardObjects = false

    func validate() throws {
        guard mean >= 0, mean.isFinite else { throw ValidationError("--mean must be a finite number ≥ 0, got \(mean)") }
        guard !input.isEmpty else { throw ValidationError("--input needs at least one events file or folder") }
        guard !minbias.isEmpty else { throw ValidationError("--minbias needs at least one events file or folder") }
    }

    func run() throws {
        var overlay = PileupOverlay(mean: mean, seed: seed)
        overlay.keepHardObjects = keepHardObjects
        let stage = OverlayStage(inputs: input, library: minbias, outputDirectory: out, overlay: overlay)
        try runCollectively("overlay") { try stage.run(world: $0) }
    }
}
