import Foundation

/// Ranks as threads of one process: the in-process `Collective`, for fast unit tests of
/// distributed code (no `mpirun`, no MPI_Init).
///
/// `run(size:)` calls the body on `size` threads, each with its own `ThreadCommunicator`
/// (rank 0 ..< size), and returns the bodies' results in rank order. The semantics are MPI's:
/// collectives match by call order on each group; reductions combine the ranks' values in rank
/// order, ((r₀ ∘ r₁) ∘ r₂) ∘ …, so they are deterministic and, for two ranks, bit-identical to
/// MPI's; sends are buffered; messages from one rank arrive in the order they were sent.
/// A collective whose kind, operation, root or length differs between ranks aborts the group
/// with a message saying so.
///
/// `abort` (from any thread of any rank) or an error thrown by a rank's body ends the whole
/// group at once: `run` throws `ThreadGroup.Failure`, and every rank that is still running
/// stops for good at its next communication call, as an MPI rank would be killed.
///
/// ```swift
/// let sums = try ThreadGroup.run(size: 4) { world in world.allReduce(world.rank + 1, .sum) }
/// // sums == [10, 10, 10, 10]
/// ```
public enum ThreadGroup {
    /// Why a group ended early.
    public enum Failure: Error, CustomStringConvertible {
        /// A rank called `abort`.
        case aborted(rank: Int, message: String, code: Int32)
        /// A rank's body threw.
        case threw(rank: Int, error: any Error)

        public var description: String {
            switch self {
            case let .aborted(rank, message, code): return "rank \(rank) aborted (code \(code)): \(message)"
            case let .threw(rank, error): return "rank \(rank) threw: \(error)"
            }
        }
    }

    /// Runs `body` on `size` rank threads; their results in rank order, or the group's failure.
    public static func run<Result: Sendable>(
        size: Int, _ body: @escaping @Sendable (ThreadCommunicator) throws -> Result
    )
        throws -> [Result]
    {
        precondition(size >= 1, "ThreadGroup.run: size must be at least 1, not \(size)")
        let job = ThreadJob()
        let world = ThreadGroupState(job: job, size: size)
        let results = ResultSlots<Result>(size)
        for rank in 0..<size {
            let thread = Thread {
                let communicator = ThreadCommunicator(group: world, rank: rank)
                do {
                    let result = try body(communicator)
                    job.locked {
                        results.values[rank] = result
                        results.finished += 1
                    }
                } catch {
                    job.fail(.threw(rank: rank, error: error))
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        return try job.locked {
            job.waitUntil(orFailure: true) { results.finished == size }
            if let failure = job.failure { throw failure }
            return results.values.map { $0! }
        }
    }
}

/// The state every group of one `run` shares: one lock and condition, and the first failure.
final class ThreadJob: @unchecked Sendable {
    private let condition = NSCondition()
    private(set) var failure: ThreadGroup.Failure?

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }

    /// With the lock held: waits until `ready()`. A failure parks the caller for good, or, with
    /// `orFailure`, returns (for the thread that reports the failure).
    func waitUntil(orFailure: Bool = false, _ ready: () -> Bool) {
        while true {
            if failure != nil {
                if orFailure { return }
                park()
            }
            if ready() { return }
            condition.wait()
        }
    }

    /// With the lock held: after a failure, every rank's communication call ends here.
    func park() -> Never {
        while true { condition.wait() }
    }

    /// With the lock held: parks the caller if the group has failed.
    func parkIfFailed() {
        if failure != nil { park() }
    }

    /// Records the group's failure (the first one counts) and wakes every waiting thread.
    func fail(_ failure: ThreadGroup.Failure) {
        locked { record(failure) }
    }

    /// `fail` with the lock held.
    func record(_ failure: ThreadGroup.Failure) {
        if self.failure == nil { self.failure = failure }
        condition.broadcast()
    }
}

/// One group (the world or a split): its collectives in flight and its ranks' mailboxes.
/// Every member is used with the job's lock held.
final class ThreadGroupState: @unchecked Sendable {
    let job: ThreadJob
    let size: Int
    var operations: [Int: ThreadOperation] = [:]
    var mailboxes: [[Message]]

    init(job: ThreadJob, size: Int) {
        self.job = job
        self.size = size
        mailboxes = Array(repeating: [], count: size)
    }
}

/// One collective call: every rank's input, and once the last rank has arrived, every rank's output.
final class ThreadOperation {
    let kind: String
    var inputs: [Any?]
    var arrived = 0
    var outputs: [Any]?

    init(kind: String, size: Int) {
        self.kind = kind
        inputs = Array(repeating: nil, count: size)
    }
}

/// The results of the rank threads.
private final class ResultSlots<Result>: @unchecked Sendable {
    var values: [Result?]
    var finished = 0
    init(_ size: Int) { values = Array(repeating: nil, count: size) }
}

/// An error in how the ranks called a collective (an MPI program with undefined behaviour).
struct CollectiveMismatch: Error {
    var message: String
}
