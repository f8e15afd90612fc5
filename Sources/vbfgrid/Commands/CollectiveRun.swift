import ArgumentParser
import Foundation
import MPI

/// Runs the body of an MPI-aware command on every rank: initialises MPI, and on an error ends
/// the whole job with the message (an abort when there are several ranks, so that no rank is
/// left waiting in a collective), exit status 1 alone.
func runCollectively(_ command: String, _ body: (Communicator) throws -> Void) throws {
    let world = MPIRuntime.initialize()
    do {
        try body(world)
    } catch let exit as ExitCode {
        MPIRuntime.finalize()
        throw exit
    } catch {
        if world.size > 1 { world.abort("vbfgrid \(command): \(error)") }
        FileHandle.standardError.write(Data("vbfgrid \(command): \(error)\n".utf8))
        MPIRuntime.finalize()
        throw ExitCode(1)
    }
    MPIRuntime.finalize()
}
