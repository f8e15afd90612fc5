import ArgumentParser
import Foundation
import MPI
import NeuralNet
import Outputs
import Stages

/// `train`: one of the paper's networks on a preprocessed data set, alone or data-parallel on
/// the ranks of the world, one or several seeds per job. With several seeds the world splits
/// into near-equal groups, one per seed, each training its seed into `OUT/seed-S`. A run
/// stopped by a preemption signal (on any group) ends every rank with exit status 75.
public struct TrainStage: Stage {
    public var options: Options

    public init(options: Options) { self.options = options }

    /// `--summary` prints the network without starting MPI; otherwise trains on the MPI world.
    public func execute() throws {
        if options.summary {
            print(options.network.build(maxBatch: 1).summary)
            return
        }
        Preemption.install()
        try runCollectively(Options.command) { try run(on: $0) }
    }

    public func run(on world: Communicator) throws {
        let seeds = options.seedList
        guard world.size >= seeds.count else {
            world.abort(
                "train: \(seeds.count) seeds need at least \(seeds.count) ranks (one group per seed), this job has \(world.size)"
            )
        }
        let index = world.rank * seeds.count / world.size // near-equal groups, one per seed
        let group = world.split(color: index, key: world.rank)
        let mySeed = seeds[index]
        let runDirectory = options.runDirectory(seed: mySeed)
        var training = TrainingOptions(network: options.network, epochs: options.epochs, seed: mySeed)
        training.resume = options.resume
        training.schedule = options.schedule
        training.batchSize = options.batchSize
        training.progressInterval = options.progressInterval
        // The data set is read and checked (the trainer's constructor writes nothing) before the run
        // folder is claimed; each seed's folder records its own seed, so a resume with another seed,
        // network, data set or hyperparameter is refused (on every rank together) before any weight
        // is loaded.
        let trainer: Trainer
        do {
            trainer = try Trainer(
                options: training, datasetDirectory: options.dataset!, runDirectory: runDirectory, group: group)
        } catch {
            if world.size == 1 { throw error }
            world.abort("train \(options.network.rawValue) seed \(mySeed) (rank \(world.rank)): \(error)")
        }
        let claim = OutputClaim(
            options, folder: runDirectory, inputs: ["dataset"], neutral: ["resume", "progress-interval", "seeds"],
            overrides: ["seed": String(mySeed)], force: options.force)
        let output = try claim.take(on: world, claimer: group.rank == 0)
        defer { output?.release() }
        var preempted = 0
        do {
            try trainer.run()
        } catch let stop as TrainingPreempted {
            if group.rank == 0 { FileHandle.standardError.write(Data("train seed \(mySeed): \(stop)\n".utf8)) }
            preempted = 1
        } catch {
            // Alone, the error ends the run with its message (no MPI_Abort banner); with other ranks
            // waiting in collectives, it ends the job.
            if world.size == 1 { throw error }
            world.abort(
                "train \(options.network.rawValue) seed \(mySeed) (rank \(world.rank)): \(StorageError.mapped(error))")
        }
        if world.allReduce(preempted, .max) == 1 { throw ExitCode(Preemption.exitStatus) }
    }
}
