import ArgumentParser
import Events
import FastSim
import Stages

extension Channel: ArgumentValue {
    /// A channel name as `Channel(name:)` reads it; throws listing the valid ones.
    public init(parsing text: String) throws {
        guard let channel = Channel(name: text) else {
            throw ValidationError(
                "unknown channel '\(text)'; valid channels: " + Channel.allCases.map(\.name).joined(separator: ", "))
        }
        self = channel
    }

    public var argument: String { name }
}

extension GenerateStage {
    /// Where the particles come from: the built-in fastsim, Pythia 8 (tools/pythia), or events
    /// files that exist already (`--input`).
    public enum Generator: String, ExpressibleByArgument, CaseIterable, Sendable { case fastsim, pythia, files }

    /// The options of `vbfgrid generate`.
    public struct Options: StageOptions {
        public static let command = "generate"

        @Option(help: "Event generator: fastsim (built in), pythia (Pythia 8 through tools/pythia) or files (--input).")
        public var generator: Generator = .fastsim
        @Option(
            help: "Channel name (S_EW, S_QCD, Z_QCD, W_QCD, Z_EW, W_EW, MINBIAS).", transform: Channel.init(parsing:))
        public var channel: Channel
        @Option(help: "Number of events to write.") public var events: Int
        @Option(parsing: .unconditional, help: "Random seed (non-negative integer).") public var seed: Int
        @Option(help: "Output events file, or a directory with --shard-size.") public var out: String
        @Option(help: "Events per shard; --out is then a directory.") public var shardSize: Int?
        @Option(help: "Write only shard number K (0-based) of the sharded request: one array task per shard.")
        public var shardIndex: Int?
        @Flag(help: "Also write the particle-level file (<events file name>.particles.h5).") public var keepParticles =
            false
        @Option(
            help:
                "fastsim preselection: minimum invisible p_T of the hard process in GeV (0: no floor; default \(Preselection().minInvisiblePt.argument))."
        )
        public var minInvisiblePt: Double?
        @Flag(
            help: "fastsim preselection: skip its particle-level stage (jets and MET of the fragmented hard process).")
        public var noParticlePreselection = false
        @Flag(help: "With --generator pythia: skip the parton-level veto (tools/pythia/parton_veto.py).")
        public var noPartonVeto = false
        @Option(help: "With --generator files: an events file or a folder of them, copied into --out.")
        public var input: String?
        @Flag(help: .forceOutput)
        public var force = false

        public init() {}

        /// Every option, with the command's defaults. (Each property is set: one that is neither
        /// set nor parsed cannot be read.)
        public init(
            generator: Generator = .fastsim, channel: Channel, events: Int, seed: Int, out: String,
            shardSize: Int? = nil,
            shardIndex: Int? = nil, keepParticles: Bool = false, minInvisiblePt: Double? = nil,
            noParticlePreselection: Bool = false, noPartonVeto: Bool = false, input: String? = nil,
            force: Bool = false
        ) {
            self.generator = generator
            self.channel = channel
            self.events = events
            self.seed = seed
            self.out = out
            self.shardSize = shardSize
            self.shardIndex = shardIndex
            self.keepParticles = keepParticles
            self.minInvisiblePt = minInvisiblePt
            self.noParticlePreselection = noParticlePreselection
            self.noPartonVeto = noPartonVeto
            self.input = input
            self.force = force
        }

        /// fastsim's invisible-p_T floor: `--min-invisible-pt` or the preselection's default.
        public var invisiblePtFloor: Double { minInvisiblePt ?? Preselection().minInvisiblePt }

        public func validate() throws {
            guard events > 0 else {
                throw ValidationError("--events must be a positive number of events, got \(events)")
            }
            guard seed >= 0 else { throw ValidationError("--seed must be non-negative, got \(seed)") }
            if let minInvisiblePt, !(minInvisiblePt >= 0 && minInvisiblePt.isFinite) {
                throw ValidationError("--min-invisible-pt must be a non-negative number of GeV, got \(minInvisiblePt)")
            }
            if let shardSize, shardSize <= 0 {
                throw ValidationError("--shard-size must be positive, got \(shardSize)")
            }
            if let shardIndex {
                guard let shardSize else { throw ValidationError("--shard-index needs --shard-size") }
                let shards = (events + shardSize - 1) / shardSize
                guard (0..<shards).contains(shardIndex) else {
                    throw ValidationError(
                        "--shard-index must be in 0…\(shards - 1) (\(events) events in shards of \(shardSize)), got \(shardIndex)"
                    )
                }
            }
            if noPartonVeto && generator != .pythia {
                throw ValidationError("--no-parton-veto needs --generator pythia")
            }
            guard (generator == .files) == (input != nil) else {
                throw ValidationError(
                    generator == .files ? "--generator files needs --input" : "--input needs --generator files")
            }
        }

        public var arguments: [String] {
            var args = [
                "--channel", channel.argument, "--events", String(events), "--seed", String(seed), "--out", out,
            ]
            if let shardSize { args += ["--shard-size", String(shardSize)] }
            if let shardIndex { args += ["--shard-index", String(shardIndex)] }
            if let minInvisiblePt { args += ["--min-invisible-pt", minInvisiblePt.argument] }
            if noParticlePreselection { args.append("--no-particle-preselection") }
            if noPartonVeto { args.append("--no-parton-veto") }
            if generator != .fastsim { args += ["--generator", generator.rawValue] }
            if let input { args += ["--input", input] }
            if keepParticles { args.append("--keep-particles") }
            if force { args.append("--force") }
            return args
        }
    }
}
