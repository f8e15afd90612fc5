import Datasets
import Events
import Generation
import Limits
import NeuralNet
import Training

/// A whole study as written in a grid spec (`jobs/*.yaml`); every key is documented in
/// docs/grid-spec.md. Read one with `GridSpec.load(path:allowDevTasks:)`.
public struct GridSpec: Sendable, Equatable {
    public var name: String
    /// Master seed: every task seed derives from it and the task's identity.
    public var seed: UInt64
    public var samples: Samples
    public var minbias: MinBias
    public var pileup: Pileup
    /// Image variants to build.
    public var images: [ImageVariant]
    public var networks: [Network]
    /// Number of training seeds per (network, ⟨N⟩).
    public var seeds: Int
    /// Seeds trained together in one (comm-split) job; 1 = one task per seed.
    public var seedsPerJob: Int
    public var epochs: Epochs
    public var limits: Limits
    public var resources: Resources
    public var slurm: SlurmOptions
    public var local: LocalOptions
    /// Development/test grids only: free-form tasks replacing the physics stages.
    public var devTasks: [DevTask]?
    /// The fidelity task of a fastsim grid (`fidelity`); nil: none.
    public var fidelity: Fidelity? = nil

    /// The six physics channels, in the order of their channel ids.
    public static let channels = Channel.physics
    /// The networks a spec may list, in the order of the messages.
    public static let networkChoices: [Network] = [.kANN, .rANN, .hANN, .pjLRCNN, .pjHRCNN, .pmetLRCNN, .pmetHRCNN]

    public struct Samples: Sendable, Equatable {
        public var generator: GenerateStage.Generator
        /// Events to generate per channel (after the baseline selection is applied by later stages).
        public var events: [Channel: Int]
        /// With generator `files`: the file, folder or glob of each channel (and `minbias`:
        /// `Channel.minBias`), as written in the spec.
        public var files: [Channel: String]
        /// The files of `files`, expanded, checked and hashed (`InputFiles.resolve`); empty when the
        /// spec was read without resolving them.
        public var inputs: [Channel: [InputFile]]
        public var shardSize: Int
        /// Training events; with a list in the spec (a learning curve), the largest.
        public var train: Int
        public var validation: Int
        /// Missing-energy cut of the network data sets, GeV.
        public var metCut: Double
        /// fastsim's generator-level invisible-p_T floor in GeV (`generate --min-invisible-pt`);
        /// nil: `TaskGraph.defaultMinInvisiblePt`.
        public var minInvisiblePt: Double? = nil
        /// With `train` given as a list: the training sizes of the learning curve, ascending
        /// (one data set per size, the same validation events in all); nil for a scalar `train`.
        public var learningCurve: [Int]? = nil
    }

    public struct MinBias: Sendable, Equatable {
        public var events: Int
    }

    public struct Pileup: Sendable, Equatable {
        /// ⟨N⟩ values; 0 means no overlay.
        public var means: [Double]
        public var keepHardObjects: Bool
        /// With `keep_hard_objects` given as a list: both overlay modes side by side, in the
        /// spec's order (one data set and its rows per mode and ⟨N⟩ > 0); nil for a scalar.
        public var overlayModes: [Bool]? = nil
    }

    public struct Epochs: Sendable, Equatable {
        public var cnn: Int
        public var reluANN: Int
        public var sigmoidANN: Int

        /// Epochs for one network: CNNs, the ReLU ANN (K-ANN) or the sigmoid ANNs (R-ANN, H-ANN).
        public func of(network: Network) -> Int {
            if case .image = try? NetworkInput(network: network) { return cnn }
            return network == .kANN ? reluANN : sigmoidANN
        }
    }

    public struct CutBased: Sendable, Equatable, Hashable {
        public var observable: CutBasedLimits.Variable
        public var metCut: Int
    }

    public struct Limits: Sendable, Equatable {
        /// Integrated luminosities, fb⁻¹.
        public var luminosities: [Double]
        public var cutBased: [CutBased]
        /// Jet-energy-scale shape systematic (network re-evaluated with pixels ±10%).
        public var jes: Bool
        public var systematics: Systematics
    }

    public struct Systematics: Sendable, Equatable {
        /// Relative luminosity uncertainty (e.g. 0.025), nil = the limits stage's default.
        public var lumi: Double?
        /// Relative cross-section normalisation uncertainty per sample.
        public var xsec: [String: Double]
        /// Overrides of physics-table numbers by name.
        public var physics: [String: Double]
    }

    /// Resources of one task: MPI ranks, CPUs per rank, memory per node, wall time, partition.
    public struct Resources: Sendable, Equatable {
        public var defaults: TaskResources
        public var stages: [String: TaskResources]

        /// The resources of `stage`: the stage's own keys over the defaults.
        public func of(stage: String) -> TaskResources {
            guard let own = stages[stage] else { return defaults }
            return TaskResources(
                ranks: own.ranks ?? defaults.ranks, cpusPerRank: own.cpusPerRank ?? defaults.cpusPerRank,
                memory: own.memory ?? defaults.memory, time: own.time ?? defaults.time,
                partition: own.partition ?? defaults.partition)
        }
    }

    public struct SlurmOptions: Sendable, Equatable {
        public var account: String?
        public var partition: String?
        public var qos: String?
        /// Extra `#SBATCH` lines, verbatim (without the `#SBATCH ` prefix).
        public var extra: [String]
        /// Shell lines run in every job before the task (e.g. `module load openmpi hdf5`).
        public var setup: [String]
        /// srun (`srun --mpi=pmix`) or mpirun.
        public var launcher: String
        /// Array throttle: at most this many elements of one array run at once (`%N`).
        public var arrayLimit: Int
        /// Seconds before the time limit at which training gets SIGUSR1 to checkpoint.
        public var signalSeconds: Int
    }

    public struct LocalOptions: Sendable, Equatable {
        /// Tasks running at once on the local backend (an MPI task counts its ranks).
        public var concurrency: Int
    }

    /// A development/test task: an explicit vbfgrid argument vector. Placeholders: `{task}` (this
    /// task's folder), `{run}` (the run folder), `{seed}` (its derived seed).
    public struct DevTask: Sendable, Equatable {
        public var name: String
        public var command: [String]
        public var after: [String]
        public var ranks: Int
        /// Submitted like training: requeue on exit status 75, signal before the time limit.
        public var preemptible: Bool
    }
}

/// Resource keys, each optional so that a stage can override only some of the defaults.
public struct TaskResources: Sendable, Codable, Equatable, Hashable {
    public var ranks: Int?
    public var cpusPerRank: Int?
    /// Memory per node, Slurm syntax (`4G`, `500M`).
    public var memory: String?
    /// Wall-time limit, Slurm syntax (`MM`, `HH:MM:SS`, `D-HH:MM:SS`).
    public var time: String?
    public var partition: String?

    public init(
        ranks: Int? = nil, cpusPerRank: Int? = nil, memory: String? = nil, time: String? = nil, partition: String? = nil
    ) {
        self.ranks = ranks
        self.cpusPerRank = cpusPerRank
        self.memory = memory
        self.time = time
        self.partition = partition
    }

    /// The time limit in seconds (nil when unset).
    public var seconds: Int? {
        guard let time else { return nil }
        return TaskResources.seconds(of: time)
    }

    /// Parses Slurm time syntax: `M`, `M:S`, `H:M:S`, `D-H`, `D-H:M`, `D-H:M:S`; nil when malformed.
    public static func seconds(of text: String) -> Int? {
        var days = 0, rest = Substring(text)
        if let dash = text.firstIndex(of: "-") {
            guard let d = Int(text[..<dash]) else { return nil }
            days = d
            rest = text[text.index(after: dash)...]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        let p = parts.map { $0! }
        // Minutes and seconds after the first field are below 60 (and hours below 24 after a day).
        guard p.dropFirst().allSatisfy({ $0 < 60 }), !text.contains("-") || p[0] < 24 else { return nil }
        if text.contains("-") {
            let h = p[0], m = p.count > 1 ? p[1] : 0, s = p.count > 2 ? p[2] : 0
            return ((days * 24 + h) * 60 + m) * 60 + s
        }
        switch p.count {
        case 1: return p[0] * 60
        case 2: return p[0] * 60 + p[1]
        default: return (p[0] * 60 + p[1]) * 60 + p[2]
        }
    }
}
