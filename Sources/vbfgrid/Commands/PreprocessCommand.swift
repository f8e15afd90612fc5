import ArgumentParser
import Datasets
import Preprocessing

/// `vbfgrid preprocess`: events files → a sharded image data set for training.
struct PreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preprocess",
        abstract: "Select events and write balanced train/validation image data sets (features, images, labels).",
        discussion: """
        Applies the baseline selection (paper §2.3, met cut 200 or 250 GeV), draws balanced train and
        validation sets with the paper's channel mixture (signal 44.8% S_EW / 55.2% S_QCD; background
        51.221% Z_QCD / 44.896% W_QCD / 2.295% Z_EW / 1.587% W_EW) without replacement, computes the K and
        R features (before rotation) and the tower images of the requested variants (rotate φ0 = φ_j1 for
        PJ or φ_met for Pmet, reflect so η_j1 > 0, bin E_T at 0.17 (LR) or 0.08 (HR), pad φ), and writes
        OUT/train/shard-*.h5, OUT/validation/shard-*.h5, OUT/average-images.h5 and, last,
        OUT/manifest.json (counts, selection efficiencies, cross sections, feature means and standard
        deviations for the z-scores, seeds, source checksums). Inputs: events files or folders of the six
        channels, with or without pileup. Runs alone or under mpirun/srun; the bytes written do not depend
        on the number of ranks; a rerun skips complete shards.
        Example: vbfgrid preprocess --input events/* --out data/pu0 --met-cut 200 --images PJ-LR,Pmet-LR --train 200000 --validation 50000 --seed 3
        """
    )

    @Option(parsing: .upToNextOption, help: ArgumentHelp("Events files or folders (all six channels).", valueName: "path"))
    var input: [String]

    @Option(help: ArgumentHelp("Output folder of the data set.", valueName: "dir"))
    var out: String

    @Option(help: "The met cut of the baseline selection in GeV (200, or 250 for the cut-based comparison).")
    var metCut: Float = 200

    @Option(help: ArgumentHelp("Image variants to build, comma-separated: PJ-LR, PJ-HR, Pmet-LR, Pmet-HR.", valueName: "list"))
    var images: String = "PJ-LR"

    @Option(help: "Events in the training set (half signal, half background).")
    var train: Int

    @Option(help: "Events in the validation set.")
    var validation: Int

    @Option(help: "The seed of the class mixing.")
    var seed: UInt64

    func validate() throws {
        guard train > 0, validation > 0 else { throw ValidationError("--train and --validation must be positive") }
        guard metCut >= 0 else { throw ValidationError("--met-cut must be ≥ 0") }
        _ = try ImageVariant.parseList(images)
    }

    func run() throws {
        let stage = PreprocessStage(inputs: input, outputDirectory: out, metCut: metCut,
                                    variants: try ImageVariant.parseList(images), train: train, validation: validation, seed: seed)
        try runCollectively("preprocess") { try stage.run(world: $0) }
    }
}
