import Foundation

/// One rank of a `ThreadGroup`: the in-process implementation of `Collective`.
///
/// Safe to use from several threads of the same rank (as MPI_THREAD_MULTIPLE), with MPI's rule
/// that two threads of one rank do not run collectives on the same group at the same time.
public final class ThreadCommunicator: Collective, @unchecked Sendable {
    public let rank: Int
    private let group: ThreadGroupState
    /// The number of collectives this rank has entered on this group (guarded by the job's lock).
    private var sequence = 0

    init(group: ThreadGroupState, rank: Int) {
        self.group = group
        self.rank = rank
    }

    public var size: Int { group.size }

    fileprivate var job: ThreadJob { group.job }

    // MARK: Collectives

    public func barrier() {
        _ = collective("barrier", ()) { inputs in inputs.map { _ in () } }
    }

    public func allReduce<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, _ op: ReduceOperation) {
        startAllReduce(buffer, op).wait()
    }

    public func startAllReduce<T: MPIElement>(
        _ buffer: UnsafeMutableBufferPointer<T>,
        _ op: ReduceOperation
    ) -> ThreadRequest {
        let operation = enter("allReduce(\(T.self), \(op))", buffer) { inputs in
            let buffers = inputs.map { $0 as! UnsafeMutableBufferPointer<T> }
            try Self.sameCount(buffers.map(\.count), "allReduce")
            guard let first = buffers.first, first.count > 0 else { return inputs.map { _ in () } }
            var result = Array(first)
            for other in buffers.dropFirst() {
                for i in result.indices { result[i] = T.combine(result[i], other[i], op) }
            }
            for target in buffers { _ = target.update(fromContentsOf: result) }
            return inputs.map { _ in () }
        }
        return ThreadRequest(communicator: self, operation: operation)
    }

    public func broadcast<T: MPIElement>(_ buffer: UnsafeMutableBufferPointer<T>, root: Int) {
        _ = collective("broadcast(\(T.self), root \(root))", buffer) { inputs in
            let buffers = inputs.map { $0 as! UnsafeMutableBufferPointer<T> }
            try Self.sameCount(buffers.map(\.count), "broadcast")
            let source = Array(buffers[root])
            for (r, target) in buffers.enumerated() where r != root { _ = target.update(fromContentsOf: source) }
            return inputs.map { _ in () }
        }
    }

    public func gather<T: MPIElement>(_ values: [T], root: Int) -> [[T]]? {
        collective("gather(\(T.self), root \(root))", values) { inputs in
            let all = inputs.map { $0 as! [T] }
            return all.indices.map { r -> Any in r == root ? all : () }
        } as? [[T]]
    }

    public func split(color: Int, key: Int) -> ThreadCommunicator {
        let job = self.job
        let (state, newRank) =
            collective("split", SplitEntry(color: color, key: key, rank: rank)) { inputs in
                let entries = inputs.map { $0 as! SplitEntry }
                var outputs = [Any](repeating: (), count: entries.count)
                for color in Set(entries.map(\.color)) {
                    let members = entries.filter { $0.color == color }.sorted { ($0.key, $0.rank) < ($1.key, $1.rank) }
                    let state = ThreadGroupState(job: job, size: members.count)
                    for (newRank, member) in members.enumerated() { outputs[member.rank] = (state, newRank) }
                }
                return outputs
            } as! (ThreadGroupState, Int)
        return ThreadCommunicator(group: state, rank: newRank)
    }

    // MARK: Point to point

    public func send(_ bytes: [UInt8], to destination: Int, tag: Int) {
        guard (0..<size).contains(destination) else {
            abort("send to rank \(destination) of a group of \(size)", code: 1)
        }
        job.locked {
            job.parkIfFailed()
            group.mailboxes[destination].append(Message(bytes: bytes, source: rank, tag: tag))
        }
    }

    public func receive(from source: Int?, tag: Int?) -> Message {
        job.locked {
            job.waitUntil { matching(source, tag) != nil }
            return group.mailboxes[rank].remove(at: matching(source, tag)!)
        }
    }

    public func receiveIfAvailable(from source: Int?, tag: Int?) -> Message? {
        job.locked {
            job.parkIfFailed()
            return matching(source, tag).map { group.mailboxes[rank].remove(at: $0) }
        }
    }

    /// The index of the first waiting message that matches (lock held).
    private func matching(_ source: Int?, _ tag: Int?) -> Int? {
        group.mailboxes[rank].firstIndex { (source == nil || $0.source == source) && (tag == nil || $0.tag == tag) }
    }

    public func abort(_ message: String, code: Int32) -> Never {
        job.fail(.aborted(rank: rank, message: message, code: code))
        job.locked { job.park() }
    }

    // MARK: Matching collectives

    /// Enters a collective and waits for this rank's output.
    private func collective(_ kind: String, _ input: Any, complete: ([Any]) throws -> [Any]) -> Any {
        let operation = enter(kind, input, complete: complete)
        return job.locked { collect(operation) }
    }

    /// Registers this rank's input to its next collective on the group; the last rank to arrive
    /// computes every rank's output with `complete` (ranks' inputs in rank order).
    private func enter(_ kind: String, _ input: Any, complete: ([Any]) throws -> [Any]) -> ThreadOperation {
        job.locked {
            job.parkIfFailed()
            let number = sequence
            sequence += 1
            let operation = group.operations[number] ?? ThreadOperation(kind: kind, size: size)
            group.operations[number] = operation
            guard operation.kind == kind else {
                fail("collective #\(number): rank \(rank) called \(kind), another rank \(operation.kind)")
            }
            operation.inputs[rank] = input
            operation.arrived += 1
            if operation.arrived == size {
                do {
                    operation.outputs = try complete(operation.inputs.map { $0! })
                } catch {
                    fail("collective #\(number) (\(kind)): \((error as? CollectiveMismatch)?.message ?? "\(error)")")
                }
                operation.inputs = []
                group.operations[number] = nil
            }
            return operation
        }
    }

    /// This rank's output of `operation`, waiting until it is complete (lock held).
    fileprivate func collect(_ operation: ThreadOperation) -> Any {
        job.waitUntil { operation.outputs != nil }
        return operation.outputs![rank]
    }

    /// Fails the group from inside a locked section, then parks (lock held).
    private func fail(_ message: String) -> Never {
        job.record(.aborted(rank: rank, message: "ThreadGroup: " + message, code: 1))
        job.park()
    }

    private static func sameCount(_ counts: [Int], _ kind: String) throws {
        guard Set(counts).count <= 1 else {
            throw CollectiveMismatch(message: "\(kind) with element counts \(counts) on ranks 0…\(counts.count - 1)")
        }
    }
}

/// A non-blocking all-reduce of a `ThreadGroup`: complete once every rank has started it.
public final class ThreadRequest: CollectiveRequest, @unchecked Sendable {
    private let communicator: ThreadCommunicator
    private let operation: ThreadOperation
    private var done = false

    fileprivate init(communicator: ThreadCommunicator, operation: ThreadOperation) {
        self.communicator = communicator
        self.operation = operation
    }

    public func wait() {
        communicator.job.locked {
            if !done {
                _ = communicator.collect(operation)
                done = true
            }
        }
    }

    public func test() -> Bool {
        communicator.job.locked {
            if !done && operation.outputs != nil {
                _ = communicator.collect(operation)
                done = true
            }
            return done
        }
    }
}

/// A rank's input to `split`.
private struct SplitEntry {
    var color, key, rank: Int
}
