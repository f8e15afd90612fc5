/// What distributed code needs of a group of ranks: its size and this rank's place in it,
/// collectives (barrier, all-reduce blocking and non-blocking, broadcast, gather, split),
/// tagged point-to-point messages and abort.
///
/// Two implementations: `Communicator` (MPI, one rank per process, under `mpirun` or `srun`)
/// and `ThreadCommunicator` (`ThreadGroup.run(size:)`: ranks as threads of one process, for
/// unit tests). Code written against `any Collective` runs unchanged on both.
///
/// The rules are MPI's: every rank of the group calls the same collectives in the same order;
/// a non-blocking all-reduce's memory stays valid and untouched until its request is waited
/// on; messages between one pair of ranks with one tag arrive in the order they were sent.
///
/// ```swift
/// func mean(of values: [Double], over group: any Collective) -> Double {
///     let sum = group.allReduce(values.reduce(0, +), .sum)
///     return sum / Double(group.allReduce(values.count, .sum))
/// }
/// let means = try ThreadGroup.run(size: 3) { world in mean(of: [Double(world.rank)], over: world) }
/// // means == [1.0, 1.0, 1.0]
/// ```
public protocol Collective: AnyObject, Sendable {
    /// What `startAllReduce` returns.
    associatedtype Pending: CollectiveRequest

    /// This rank's index in the group, 0 ..< size.
    var rank: Int { get }
    /// The number of ranks in the group.
    var size: Int { get }

    /// Blocks until every rank has arrived.
    func barrier()
    /// In-place all-reduce: afterwards every rank holds the element-wise reduction.
    func allReduce<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReduceOperation)
    /// Starts an in-place all-reduce; the memory stays untouched until the request is waited on.
    func startAllReduce<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReduceOperation) -> Pending
    /// Copies `root`'s buffer into every rank's; every rank passes the same length.
    func broadcast<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int)
    /// Every rank's values (of any length) on `root`, in rank order; nil on the other ranks.
    func gather<T: MPIElement>(_ values: [T], root: Int) -> [[T]]?
    /// Sub-groups: ranks with the same `color` form one, ordered by `key` (ties by rank).
    func split(color: Int, key: Int) -> Self

    /// Sends bytes to `destination` with `tag`.
    func send(_ bytes: [UInt8], to destination: Int, tag: Int)
    /// Receives one message (from any rank, with any tag when nil), blocking until it arrives.
    func receive(from source: Int?, tag: Int?) -> Message
    /// Receives a matching message if one is waiting; nil at once otherwise.
    func receiveIfAvailable(from source: Int?, tag: Int?) -> Message?

    /// Reports `message` and ends every rank of the group.
    func abort(_ message: String, code: Int32) -> Never
}

/// A received point-to-point message.
public struct Message: Sendable {
    public var bytes: [UInt8]
    public var source: Int
    public var tag: Int
}

/// A pending non-blocking collective; `wait()` before touching its memory.
public protocol CollectiveRequest: AnyObject, Sendable {
    /// Blocks until the operation has completed. Waiting twice is harmless.
    func wait()
    /// Whether the operation has completed (progressing it if not).
    func test() -> Bool
}

extension Collective {
    /// In-place sum over every rank.
    public func allReduce<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>) { allReduce(buffer, .sum) }

    /// In-place all-reduce of an array.
    public func allReduce<T: MPIElement>(_ buffer: inout [T], _ op: ReduceOperation = .sum) {
        buffer.withUnsafeMutableBufferPointer { allReduce($0, op) }
    }

    /// All-reduce of one value.
    public func allReduce<T: MPIElement>(_ value: T, _ op: ReduceOperation = .sum) -> T {
        var buffer = [value]
        allReduce(&buffer, op)
        return buffer[0]
    }

    /// Broadcasts raw memory from rank 0.
    public func broadcast<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>) { broadcast(buffer, root: 0) }

    /// Broadcasts an array from `root`; every rank passes an array of the same length.
    public func broadcast<T: MPIElement>(_ buffer: inout [T], root: Int = 0) {
        buffer.withUnsafeMutableBufferPointer { broadcast($0, root: root) }
    }

    /// Broadcasts a byte string of any length from `root`; other ranks' `bytes` are ignored.
    public func broadcast(bytes: [UInt8], root: Int = 0) -> [UInt8] {
        var length = [rank == root ? bytes.count : 0]
        broadcast(&length, root: root)
        var buffer = rank == root ? bytes : [UInt8](repeating: 0, count: length[0])
        broadcast(&buffer, root: root)
        return buffer
    }

    /// Every rank's values on rank 0, in rank order; nil on the other ranks.
    public func gather<T: MPIElement>(_ values: [T]) -> [[T]]? { gather(values, root: 0) }

    /// Sends bytes to `destination` with tag 0.
    public func send(_ bytes: [UInt8], to destination: Int) { send(bytes, to: destination, tag: 0) }

    /// Receives one message from `source` (any rank when nil) with any tag.
    public func receive(from source: Int? = nil) -> Message { receive(from: source, tag: nil) }

    /// Receives a message from `source` (any rank when nil) with any tag, if one is waiting.
    public func receiveIfAvailable(from source: Int? = nil) -> Message? { receiveIfAvailable(from: source, tag: nil) }

    /// Reports `message` and ends every rank of the group with exit code 1.
    public func abort(_ message: String) -> Never { abort(message, code: 1) }
}
