import ArgumentParser
import NeuralNet

/// `vbfgrid train`: the networks of the paper. For now it describes a network (`--summary`).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one of the paper's networks (currently: describe it with --summary).",
        discussion: """
        Networks: \(Network.paperNetworks.map(\.rawValue).joined(separator: ", ")) \
        (and the reference models cnn_tiny, ann_tiny).
        CNNs: 3 × [Conv2D(64, 4×4, same, relu) × 2 → AveragePooling2D(2×2)] → Flatten → Dense(300, relu) × 3 → Dense(2, softmax),
        on 59×45 (LR) or 125×95 (HR) images. ANNs: K [8,8,4,4] relu, R [16,16,11,11,6,6] sigmoid,
        H [24,24,19,19,14,14,9,9] sigmoid, then Dense(2, softmax). Optimizer: Nadam (Keras 2.2.4 schedule).
        """
    )

    @Option(name: .long, help: "The network, e.g. PJ-LR-CNN or K-ANN.")
    var network: String

    @Flag(name: .long, help: "Print the layers, their output shapes and the trainable parameter count, then exit.")
    var summary = false

    func validate() throws {
        guard Network(named: network) != nil else {
            throw ValidationError("--network: unknown network '\(network)'; expected one of "
                                  + Network.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard summary else {
            throw ValidationError("training from a data set is not available yet; use --summary to describe the network")
        }
    }

    func run() throws {
        let model = Network(named: network)!.build(maxBatch: 1)
        print(model.summary)
    }
}
