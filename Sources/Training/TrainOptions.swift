import ArgumentParser
import Foundation
import NeuralNet
import Stages

extension Network: ArgumentValue {
    /// A network name as `Network(named:)` reads it; throws listing the valid ones.
    public init(parsing text: String) throws {
        guard let network = Network(named: text) else {
            throw ValidationError(
                "unknown network '\(text)'; expected one of "
                    + Network.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = network
    }

    public var argument: String { rawValue }
}

extension TrainStage {
    /// `--seeds`: a count K (the seeds seed, seed+1, …, seed+K−1) or a comma list of seeds.
    public enum Seeds: ArgumentValue, Equatable, Sendable {
        case count(Int)
        case list([UInt64])

        public init(parsing text: String) throws {
            if let count = Int(text) {
                guard count > 0 else { throw ValidationError("--seeds: expected a positive count, got \(count)") }
                self = .count(count)
                return
            }
            self = .list(
                try text.split(separator: ",").map {
                    guard let s = UInt64($0.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError(
                            "--seeds: '\($0)' is not a seed (expected a count or a comma list of integers)")
                    }
                    return s
                })
        }

        /// A list of one seed reads back as a count: write one seed with `--seed`.
        public var argument: String {
            switch self {
            case .count(let count): String(count)
            case .list(let seeds): seeds.map(String.init).joined(separator: ",")
            }
        }
    }

    /// The options of `vbfgrid train`.
    public struct Options: StageOptions {
        public static let command = "train"
        static let defaultBatchSize = 300
        static let defaultProgressInterval = 10.0

        @Option(help: "The network, e.g. PJ-LR-CNN or K-ANN.", transform: Network.init(parsing:))
        public var network: Network

        @Flag(help: "Print the layers, their output shapes and the trainable parameter count, then exit.")
        public var summary = false

        @Option(help: ArgumentHelp("The data-set folder written by `vbfgrid preprocess`.", valueName: "dir"))
        public var dataset: String?

        @Option(help: "Epochs to train.")
        public var epochs: Int = 20

        @Option(parsing: .unconditional, help: "The random seed (weights initialisation and epoch order).")
        public var seed: UInt64 = 1

        @Option(
            help: ArgumentHelp(
                "Several seeds in one job: a count K (seeds seed, seed+1, …) or a comma list.", valueName: "K|s1,s2,…"),
            transform: Seeds.init(parsing:))
        public var seeds: Seeds?

        @Option(
            help: ArgumentHelp("The run folder (with --seeds: the parent of one folder per seed).", valueName: "dir"))
        public var out: String?

        @Flag(help: "Continue from OUT/checkpoints/latest.h5 when it exists.")
        public var resume = false

        @Flag(help: .forceOutput)
        public var force = false

        @Option(
            help: "Nadam momentum schedule: keras2 (the paper's, default) or keras3. (default: keras2)",
            transform: { text in
                guard let schedule = Nadam.Schedule(rawValue: text) else {
                    throw ValidationError("--schedule: expected keras2 or keras3, got '\(text)'")
                }
                return schedule
            })
        public var schedule: Nadam.Schedule = .keras2

        @Option(help: .hidden)
        public var batchSize: Int = Options.defaultBatchSize

        @Option(help: "Seconds between progress lines.")
        public var progressInterval: Double = Options.defaultProgressInterval

        public init() {}

        /// Training options as the grid writes them: one seed (`seeds` nil) or a list, resumable.
        public init(
            network: Network, dataset: String, epochs: Int, seed: UInt64, seeds: Seeds?, out: String, resume: Bool
        ) {
            self.network = network
            summary = false
            self.dataset = dataset
            self.epochs = epochs
            self.seed = seed
            self.seeds = seeds
            self.out = out
            self.resume = resume
            force = false
            schedule = .keras2
            batchSize = Self.defaultBatchSize
            progressInterval = Self.defaultProgressInterval
        }

        public func validate() throws {
            if summary { return }
            guard dataset != nil, out != nil else { throw ValidationError("--dataset and --out are required to train") }
            guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
        }

        /// The seeds of this job.
        public var seedList: [UInt64] {
            switch seeds {
            case nil: [seed]
            case .count(let count): (0..<UInt64(count)).map { seed + $0 }
            case .list(let list): list
            }
        }

        /// The run folder of `seed`: `--out`, or `OUT/seed-S` with `--seeds`.
        public func runDirectory(seed: UInt64) -> String { seeds == nil ? out! : out! + "/seed-\(seed)" }

        public var arguments: [String] {
            var args =
                (dataset.map { ["--dataset", $0] } ?? []) + ["--network", network.argument, "--epochs", String(epochs)]
            if case .list = seeds {} else { args += ["--seed", String(seed)] }
            if let seeds { args += ["--seeds", seeds.argument] }
            if let out { args += ["--out", out] }
            if resume { args.append("--resume") }
            if schedule != .keras2 { args += ["--schedule", schedule.rawValue] }
            if batchSize != Self.defaultBatchSize { args += ["--batch-size", String(batchSize)] }
            if progressInterval != Self.defaultProgressInterval {
                args += ["--progress-interval", progressInterval.argument]
            }
            if summary { args.append("--summary") }
            if force { args.append("--force") }
            return args
        }
    }
}
