import ArgumentParser
import Preprocessing
import Stages

/// `vbfgrid preprocess`: events files → a sharded image data set for training.
struct PreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: PreprocessStage.Options.command,
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

    @OptionGroup var options: PreprocessStage.Options

    func run() throws { try PreprocessStage(options: options).execute() }
}
