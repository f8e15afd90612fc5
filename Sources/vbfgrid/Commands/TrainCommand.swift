import ArgumentParser
import Foundation
import MPI
import NeuralNet
import Training

/// `vbfgrid train`: trains one of the paper's networks on a preprocessed data set, alone or
/// data-parallel under mpirun/srun, one or several seeds per job.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
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

    @Option(help: "The network, e.g. PJ-LR-CNN or K-ANN.")
    var network: String

    @Flag(help: "Print the layers, their output shapes and the trainable parameter count, then exit.")
    var summary = false

    @Option(help: ArgumentHelp("The data-set folder written by `vbfgrid preprocess`.", valueName: "dir"))
    var dataset: String?

    @Option(help: "Epochs to train.")
    var epochs: Int = 20

    @Option(help: "The random seed (weights initialisation and epoch order).")
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Several seeds in one job: a count K (seeds seed, seed+1, …) or a comma list.", valueName: "K|s1,s2,…"))
    var seeds: String?

    @Option(help: ArgumentHelp("The run folder (with --seeds: the parent of one folder per seed).", valueName: "dir"))
    var out: String?

    @Flag(help: "Continue from OUT/checkpoints/latest.h5 when it exists.")
    var resume = false

    @Option(help: "Nadam momentum schedule: keras2 (the paper's, default) or keras3.")
    var schedule: String = Nadam.Schedule.keras2.rawValue

    @Option(help: .hidden)
    var batchSize: Int = 300

    @Option(help: "Seconds between progress lines.")
    var progressInterval: Double = 10

    func validate() throws {
        guard Network(named: network) != nil else {
            throw ValidationError("--network: unknown network '\(network)'; expected one of "
                                  + Network.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if summary { return }
        guard dataset != nil, out != nil else { throw ValidationError("--dataset and --out are required to train") }
        guard epochs > 0 else { throw ValidationError("--epochs must be positive, got \(epochs)") }
        guard Nadam.Schedule(rawValue: schedule) != nil else {
            throw ValidationError("--schedule: expected keras2 or keras3, got '\(schedule)'")
        }
        _ = try seedList()
    }

    /// The seeds of this job.
    func seedList() throws -> [UInt64] {
        guard let seeds else { return [seed] }
        if let count = Int(seeds) {
            guard count > 0 else { throw ValidationError("--seeds: expected a positive count, got \(count)") }
            return (0..<UInt64(count)).map { seed + $0 }
        }
        return try seeds.split(separator: ",").map {
            guard let s = UInt64($0.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--seeds: '\($0)' is not a seed (expected a count or a comma list of integers)")
            }
            return s
        }
    }

    func run() throws {
        let net = Network(named: network)!
        if summary {
            print(net.build(maxBatch: 1).summary)
            return
        }
        Preemption.install()
        let world = MPIRuntime.initialize()
        let seeds = try seedList()
        guard world.size >= seeds.count else {
            world.abort("train: \(seeds.count) seeds need at least \(seeds.count) ranks (one group per seed), this job has \(world.size)")
        }
        let index = world.rank * seeds.count / world.size             // near-equal groups, one per seed
        let group = world.split(color: index, key: world.rank)
        let mySeed = seeds[index]
        let runDirectory = seeds.count == 1 && self.seeds == nil
            ? out! : URL(fileURLWithPath: out!).appendingPathComponent("seed-\(mySeed)").path
        var options = TrainingOptions(network: net, epochs: epochs, seed: mySeed)
        options.resume = resume
        options.schedule = Nadam.Schedule(rawValue: schedule)!
        options.batchSize = batchSize
        options.progressInterval = progressInterval
        var preempted = 0
        do {
            try Trainer(options: options, datasetDirectory: dataset!, runDirectory: runDirectory, group: group).run()
        } catch let stop as TrainingPreempted {
            if group.rank == 0 { FileHandle.standardError.write(Data("train seed \(mySeed): \(stop)\n".utf8)) }
            preempted = 1
        } catch {
            world.abort("train \(net.rawValue) seed \(mySeed) (rank \(world.rank)): \(error)")
        }
        let anyPreempted = world.allReduce(preempted, .max)
        MPIRuntime.finalize()
        if anyPreempted == 1 { throw ExitCode(Preemption.exitStatus) }
    }
}
