import ArgumentParser
import Foundation
import MPI
import Outputs

/// One stage of the pipeline (generate, detector, import-delphes, overlay, preprocess, train,
/// evaluate, limits): built from its typed options, run on the ranks of an MPI world, writing
/// its files (and, where it has one, its manifest last). The `vbfgrid` subcommand of a stage
/// only parses `Options` and calls `execute()`; the grid builds the same `Options` and writes
/// them as the task's argument vector (`StageOptions.commandLine`).
public protocol Stage {
    associatedtype Options: StageOptions
    init(options: Options)
    /// Runs the stage on every rank of `world`.
    func run(on world: Communicator) throws
    /// What `vbfgrid <Options.command>` does: by default, `run(on:)` on the MPI world
    /// (`runCollectively`).
    func execute() throws
}

extension Stage {
    public func execute() throws {
        try runCollectively(Options.command) { try run(on: $0) }
    }
}

/// A stage that runs in one process. `execute()` runs it without starting MPI; on a world of
/// several ranks, rank 0 runs it and the others wait.
public protocol SerialStage: Stage {
    func run() throws
}

extension SerialStage {
    public func run(on world: Communicator) throws {
        if world.rank == 0 { try run() }
        world.barrier()
    }

    public func execute() throws {
        do { try run() } catch { throw StorageError.mapped(error) }
    }
}

/// Runs the body of an MPI-aware command on every rank: initialises MPI, and on an error ends
/// the whole job with the message (an abort when there are several ranks, so that no rank is
/// left waiting in a collective), exit status 1 alone. A `CollectiveFailure`, raised by every
/// rank together, ends the job without an abort.
public func runCollectively(_ command: String, _ body: (Communicator) throws -> Void) throws {
    let world = MPIRuntime.initialize()
    do {
        try body(world)
    } catch let exit as ExitCode {
        MPIRuntime.finalize()
        throw exit
    } catch let failure as CollectiveFailure {
        if let message = failure.message {
            FileHandle.standardError.write(Data("vbfgrid \(command): \(message)\n".utf8))
        }
        MPIRuntime.finalize()
        throw ExitCode(1)
    } catch {
        if world.size > 1 { world.abort("vbfgrid \(command): \(StorageError.mapped(error))") }
        FileHandle.standardError.write(Data("vbfgrid \(command): \(StorageError.mapped(error))\n".utf8))
        MPIRuntime.finalize()
        throw ExitCode(1)
    }
    MPIRuntime.finalize()
}
