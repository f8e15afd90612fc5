import ArgumentParser
import Stages

extension OverlayStage: Stage {
    /// The options of `vbfgrid overlay`.
    public struct Options: StageOptions {
        public static let command = "overlay"

        @Option(parsing: .upToNextOption, help: ArgumentHelp("Events files or folders of them.", valueName: "path"))
        public var input: [String]

        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp("The min-bias library: MINBIAS events files or folders.", valueName: "path"))
        public var minbias: [String]

        @Option(help: "The mean number of pileup events ⟨N⟩ (≥ 0).")
        public var mean: Double

        @Option(parsing: .unconditional, help: "The random seed of the overlay.")
        public var seed: UInt64

        @Option(help: ArgumentHelp("Output folder.", valueName: "dir"))
        public var out: String

        @Flag(help: "Keep the hard event's jets and MET instead of recomputing them from the merged towers.")
        public var keepHardObjects = false

        @Flag(help: .forceOutput)
        public var force = false

        public init() {}

        public init(
            input: [String], minbias: [String], mean: Double, seed: UInt64, out: String, keepHardObjects: Bool,
            force: Bool = false
        ) {
            self.input = input
            self.minbias = minbias
            self.mean = mean
            self.seed = seed
            self.out = out
            self.keepHardObjects = keepHardObjects
            self.force = force
        }

        public func validate() throws {
            guard mean >= 0, mean.isFinite else {
                throw ValidationError("--mean must be a finite number ≥ 0, got \(mean)")
            }
            guard !input.isEmpty else { throw ValidationError("--input needs at least one events file or folder") }
            guard !minbias.isEmpty else { throw ValidationError("--minbias needs at least one events file or folder") }
        }

        public var arguments: [String] {
            ["--input"] + input + ["--minbias"] + minbias + [
                "--mean", mean.argument, "--seed", String(seed), "--out", out,
            ]
                + (keepHardObjects ? ["--keep-hard-objects"] : []) + (force ? ["--force"] : [])
        }
    }

    public init(options: Options) {
        var overlay = PileupOverlay(mean: options.mean, seed: options.seed)
        overlay.keepHardObjects = options.keepHardObjects
        self.init(inputs: options.input, library: options.minbias, outputDirectory: options.out, overlay: overlay)
        claim = OutputClaim(options, folder: options.out, inputs: ["input", "minbias"], force: options.force)
    }
}
