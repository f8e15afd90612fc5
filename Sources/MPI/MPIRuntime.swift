import CMPI
import Foundation

/// Process-wide MPI state: initialisation (thread-multiple), finalisation, library facts.
///
/// Every MPI-aware command calls `MPIRuntime.initialize()` once; it works alone (a singleton
/// world of size 1), under `mpirun` and under `srun`.
public enum MPIRuntime {
    /// Initialises MPI with MPI_THREAD_MULTIPLE if it is not yet initialised, and returns the world.
    @discardableResult
    public static func initialize() -> Communicator {
        if !isInitialized {
            var provided: Int32 = 0
            let rc = MPI_Init_thread(nil, nil, Int32(MPI_THREAD_MULTIPLE), &provided)
            if rc != MPI_SUCCESS {
                FileHandle.standardError.write(Data("vbfgrid: MPI_Init_thread failed (code \(rc))\n".utf8))
                exit(70)
            }
            threadLevel = Int(provided)
        }
        return Communicator.world
    }

    /// Finalises MPI if it was initialised and not yet finalised.
    public static func finalize() {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if isInitialized && finalized == 0 { MPI_Finalize() }
    }

    /// Whether MPI_Init has been called in this process.
    public static var isInitialized: Bool {
        var flag: Int32 = 0
        MPI_Initialized(&flag)
        return flag != 0
    }

    /// The thread level MPI granted (3 = MPI_THREAD_MULTIPLE).
    nonisolated(unsafe) public private(set) static var threadLevel = 0

    /// Whether this process was started by a launcher (mpirun, srun) rather than alone.
    public static var isLaunched: Bool {
        let env = ProcessInfo.processInfo.environment
        return env["OMPI_COMM_WORLD_SIZE"] != nil || env["PMIX_RANK"] != nil || env["PMI_RANK"] != nil
    }

    /// The MPI library's own version string, e.g. "Open MPI v4.1.4, package: Debian OpenMPI, …".
    public static var libraryVersion: String {
        var buffer = [CChar](repeating: 0, count: Int(MPI_MAX_LIBRARY_VERSION_STRING) + 1)
        var length: Int32 = 0
        MPI_Get_library_version(&buffer, &length)
        return decode(buffer, length)
    }

    /// The MPI standard version this library implements, e.g. (3, 1).
    public static var standardVersion: (major: Int, minor: Int) {
        var major: Int32 = 0, minor: Int32 = 0
        MPI_Get_version(&major, &minor)
        return (Int(major), Int(minor))
    }

    /// The host name MPI reports for this rank (initialise first).
    public static var processorName: String {
        var buffer = [CChar](repeating: 0, count: Int(MPI_MAX_PROCESSOR_NAME) + 1)
        var length: Int32 = 0
        MPI_Get_processor_name(&buffer, &length)
        return decode(buffer, length)
    }

    /// Wall-clock seconds (MPI_Wtime).
    public static var wallTime: Double { MPI_Wtime() }

    private static func decode(_ buffer: [CChar], _ length: Int32) -> String {
        let bytes = buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
