import ArgumentParser
import Foundation
import MPI
import Stages

extension EvaluateStage: Stage {
    /// The options of `vbfgrid evaluate`.
    public struct Options: StageOptions {
        public static let command = "evaluate"

        @Option(
            name: .customLong("run"), help: ArgumentHelp("The training run folder (with best.h5).", valueName: "dir"))
        public var runDirectory: String

        @Option(help: ArgumentHelp("The data-set folder the network was trained on.", valueName: "dir"))
        public var dataset: String

        @Option(help: ArgumentHelp("Output folder (created if missing).", valueName: "dir"))
        public var out: String

        @Flag(help: "Also score with the jet-energy-scale variations (inputs × 1.1 and × 0.9).")
        public var jes = false

        @Flag(help: .forceOutput)
        public var force = false

        public init() {}

        public init(runDirectory: String, dataset: String, out: String, jes: Bool, force: Bool = false) {
            self.runDirectory = runDirectory
            self.dataset = dataset
            self.out = out
            self.jes = jes
            self.force = force
        }

        public var arguments: [String] {
            ["--run", runDirectory, "--dataset", dataset, "--out", out] + (jes ? ["--jes"] : [])
                + (force ? ["--force"] : [])
        }
    }

    public init(options: Options) {
        self.init(
            runDirectory: options.runDirectory, dataset: options.dataset, outputDirectory: options.out, jes: options.jes
        )
        claim = OutputClaim(options, folder: options.out, inputs: ["run", "dataset"], force: options.force)
    }

    /// Creates the output folder, scores (`score(communicator:)`), and prints the metrics on rank 0.
    public func run(on world: Communicator) throws {
        if world.rank == 0 { try OutputPath.ensureDirectory(outputDirectory) }
        let output = try claim?.take(on: world)
        defer { output?.release() }
        world.barrier()
        guard let metrics = try score(communicator: world) else { return }
        print(
            String(
                format: "%@ on %d validation events: AUC %.4f, accuracy %.4f, separation %.4f%@ → %@",
                metrics.network, metrics.events, metrics.auc, metrics.accuracy, metrics.separation,
                metrics.aucJESUp.map { String(format: " (JES up %.4f, down %.4f)", $0, metrics.aucJESDown!) } ?? "",
                outputDirectory))
    }
}
