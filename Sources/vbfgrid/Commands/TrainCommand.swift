import ArgumentParser
import NeuralNet
import Stages
import Training

/// `vbfgrid train`: trains one of the paper's networks on a preprocessed data set, alone or
/// data-parallel under mpirun/srun, one or several seeds per job.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: TrainStage.Options.command,
        abstract: "Train one of the paper's networks on an image data set (or describe it with --summary).",
        discussion: """
            Networks: \(Network.paperNetworks.map(\.rawValue).joined(separator: ", ")) \
            (and the reference models cnn_tiny, ann_tiny for --summary).
            CNNs: 3 × [Conv2D(64, 4×4, same, relu) × 2 → AveragePooling2D(2×2)] → Flatten → Dense(300, relu) × 3 → Dense(2, softmax),
            on 59×45 (LR) or 125×95 (HR) images. ANNs: K [8,8,4,4] relu, R [16,16,11,11,6,6] sigmoid,
            H [24,24,19,19,14,14,9,9] sigmoid, then Dense(2, softmax), on z-scored features.
            Batch 300, Nadam (learning rate 0.001, Keras 2.2.4 momentum schedule unless --schedule keras3).

            Writes OUT/checkpoints/epoch-NNN.h5 (Keras 2 weight layout + optimizer state), OUT/best.h5
            (highest validation accuracy), OUT/history.json. Under mpirun/srun each global batch is split
            across the ranks and gradients are summed with all-reduce. --seeds K trains K seeds in one job
            (the ranks split into K groups; OUT/seed-S per seed). On SIGUSR1 or SIGTERM the run finishes its
            step, checkpoints and exits with status 75; rerun with --resume to continue exactly.
            """
    )

    @OptionGroup var options: TrainStage.Options

    func run() throws { try TrainStage(options: options).execute() }
}
