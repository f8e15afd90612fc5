import CMPI
import Foundation

/// An MPI communicator: a group of ranks that reduce, broadcast, gather and exchange messages
/// (the MPI implementation of `Collective`).
///
/// Works as a singleton world (size 1) without a launcher. Collectives must be called by every
/// rank of the communicator; check inputs before entering one, and `abort` on errors rather
/// than leaving other ranks blocked.
///
/// ```swift
/// let world = MPIRuntime.initialize()
/// var gradients: [Float] = …
/// world.allReduce(&gradients, .sum)
/// ```
public final class Communicator: Collective, @unchecked Sendable {
    /// The raw handle, for libraries that take an MPI_Comm (e.g. parallel HDF5).
    public let handle: MPI_Comm
    private let owned: Bool

    /// Largest element count passed to one MPI call; larger buffers go in chunks.
    public static let maxChunk = 1 << 30

    init(handle: MPI_Comm, owned: Bool) {
        self.handle = handle
        self.owned = owned
    }

    deinit {
        var finalized: Int32 = 0
        MPI_Finalized(&finalized)
        if owned && finalized == 0 {
            var h: MPI_Comm? = handle
            MPI_Comm_free(&h)
        }
    }

    /// All ranks of the job (MPI_COMM_WORLD). Initialise MPI first (`MPIRuntime.initialize()`).
    public static var world: Communicator { Communicator(handle: cmpi_comm_world(), owned: false) }

    /// This rank's index in the communicator, 0 ..< size.
    public var rank: Int {
        var r: Int32 = 0
        MPI_Comm_rank(handle, &r)
        return Int(r)
    }

    /// The number of ranks in the communicator.
    public var size: Int {
        var s: Int32 = 0
        MPI_Comm_size(handle, &s)
        return Int(s)
    }

    /// Blocks until every rank has arrived.
    public func barrier() { MPI_Barrier(handle) }

    /// Splits into sub-communicators: ranks with the same `color` form one, ordered by `key`.
    public func split(color: Int, key: Int) -> Communicator {
        var newComm: MPI_Comm?
        MPI_Comm_split(handle, Int32(color), Int32(key), &newComm)
        return Communicator(handle: newComm!, owned: true)
    }

    /// Prints `message` to standard error with this rank's number and ends every rank of the job.
    /// A job of one process just finalizes MPI and exits (no MPI_ABORT banner after the message).
    public func abort(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("vbfgrid [rank \(Communicator.world.rank)]: \(message)\n".utf8))
        if Communicator.world.size == 1 {
            MPIRuntime.finalize()
            exit(code)
        }
        MPI_Abort(handle, code)
        exit(code)
    }

    // MARK: Reductions

    /// In-place all-reduce over raw memory, in calls of at most `maxChunk` elements.
    public func allReduce<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReduceOperation) {
        allReduce(buffer, op, chunk: Communicator.maxChunk)
    }

    /// In-place all-reduce over raw memory, in calls of at most `chunk` elements (MPI counts are 32-bit).
    public func allReduce<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReduceOperation, chunk: Int) {
        forEachChunk(buffer.count, chunk) { offset, count in
            MPI_Allreduce(cmpi_in_place(), buffer.baseAddress! + offset, Int32(count), T.mpiDatatype, op.mpiOp, handle)
        }
    }

    /// Starts a non-blocking in-place all-reduce. The memory must stay valid and untouched
    /// until the returned request has been waited on.
    public func startAllReduce<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReduceOperation) -> Request
    {
        startAllReduce(buffer, op, chunk: Communicator.maxChunk)
    }

    /// Starts a non-blocking in-place all-reduce in calls of at most `chunk` elements.
    public func startAllReduce<T: MPIElement>(
        _ buffer: UnsafeMutableBufferPointer<T>, _ op: ReduceOperation,
        chunk: Int
    ) -> Request {
        var requests: [MPI_Request?] = []
        forEachChunk(buffer.count, chunk) { offset, count in
            var request: MPI_Request?
            MPI_Iallreduce(
                cmpi_in_place(), buffer.baseAddress! + offset, Int32(count), T.mpiDatatype,
                op.mpiOp, handle, &request)
            requests.append(request)
        }
        return Request(requests)
    }

    private func forEachChunk(_ total: Int, _ chunk: Int = Communicator.maxChunk, _ body: (Int, Int) -> Void) {
        var offset = 0
        repeat {
            let count = min(chunk, total - offset)
            if count > 0 || total == 0 { body(offset, count) }
            offset += count
        } while offset < total
    }

    // MARK: Broadcast and gather

    /// Broadcasts raw memory from `root`; every rank must pass the same length.
    public func broadcast<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) {
        forEachChunk(buffer.count) { offset, count in
            MPI_Bcast(buffer.baseAddress.map { $0 + offset }, Int32(count), T.mpiDatatype, Int32(root), handle)
        }
    }

    /// Gathers every rank's values (of any length) on `root`, in rank order; nil on other ranks.
    public func gather<T: MPIElement>(_ values: [T], root: Int) -> [[T]]? {
        var counts = [Int32](repeating: 0, count: size)
        var mine = Int32(values.count)
        MPI_Gather(&mine, 1, cmpi_int32(), &counts, 1, cmpi_int32(), Int32(root), handle)
        let isRoot = rank == root
        var displacements = [Int32](repeating: 0, count: size)
        if isRoot { for i in 1..<max(size, 1) { displacements[i] = displacements[i - 1] + counts[i - 1] } }
        let total = isRoot ? Int(counts.reduce(0, +)) : 0
        var received = [T](unsafeUninitializedCapacity: total) { _, n in n = total }
        values.withUnsafeBufferPointer { send in
            received.withUnsafeMutableBufferPointer { recv in
                _ = MPI_Gatherv(
                    send.baseAddress, mine, T.mpiDatatype, recv.baseAddress, counts, displacements,
                    T.mpiDatatype, Int32(root), handle)
            }
        }
        guard isRoot else { return nil }
        return (0..<size).map { r in
            Array(received[Int(displacements[r])..<Int(displacements[r] + counts[r])])
        }
    }

    // MARK: Point to point

    /// Sends bytes to `destination` with `tag` (blocking until the buffer can be reused).
    public func send(_ bytes: [UInt8], to destination: Int, tag: Int) {
        bytes.withUnsafeBufferPointer { p in
            _ = MPI_Send(p.baseAddress, Int32(p.count), cmpi_byte(), Int32(destination), Int32(tag), handle)
        }
    }

    /// Receives one message (from any rank and with any tag when nil), blocking until it arrives.
    public func receive(from source: Int?, tag: Int?) -> Message {
        var status = MPI_Status()
        MPI_Probe(Int32(source ?? Int(cmpi_any_source())), Int32(tag ?? Int(cmpi_any_tag())), handle, &status)
        return receiveProbed(&status)
    }

    /// Receives a message if one is waiting; returns nil at once otherwise.
    public func receiveIfAvailable(from source: Int?, tag: Int?) -> Message? {
        var status = MPI_Status()
        var flag: Int32 = 0
        MPI_Iprobe(Int32(source ?? Int(cmpi_any_source())), Int32(tag ?? Int(cmpi_any_tag())), handle, &flag, &status)
        return flag != 0 ? receiveProbed(&status) : nil
    }

    private func receiveProbed(_ status: inout MPI_Status) -> Message {
        var count: Int32 = 0
        MPI_Get_count(&status, cmpi_byte(), &count)
        let source = cmpi_status_source(&status), tag = cmpi_status_tag(&status)
        var bytes = [UInt8](repeating: 0, count: Int(count))
        bytes.withUnsafeMutableBufferPointer { p in
            _ = MPI_Recv(p.baseAddress, count, cmpi_byte(), source, tag, handle, cmpi_status_ignore())
        }
        return Message(bytes: bytes, source: Int(source), tag: Int(tag))
    }
}

/// A pending non-blocking operation; `wait()` before touching its buffer.
public final class Request: CollectiveRequest, @unchecked Sendable {
    private var requests: [MPI_Request?]

    init(_ requests: [MPI_Request?]) { self.requests = requests }

    /// Blocks until the operation has completed. Waiting twice is harmless.
    public func wait() {
        for i in requests.indices { MPI_Wait(&requests[i], cmpi_status_ignore()) }
    }

    /// Whether the operation has completed (progressing it if not).
    public func test() -> Bool {
        var all = true
        for i in requests.indices {
            var flag: Int32 = 0
            MPI_Test(&requests[i], &flag, cmpi_status_ignore())
            if flag == 0 { all = false }
        }
        return all
    }
}
