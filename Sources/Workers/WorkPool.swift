import Foundation
import MPI

/// What a finished work unit reports to the master; it goes into the stage manifest.
public protocol UnitSummary: Codable, Sendable {
    /// Events the unit processed (for progress and rates).
    var events: Int { get }
}

/// Master/worker processing of a stage's work units over a group of ranks (MPI or in-process
/// threads), with dynamic load balancing.
///
/// Rank 0 is the master: it lists the units that are not complete yet, hands them out one at a
/// time to whichever rank asks (a dispatcher thread does this, so rank 0 also processes units
/// on its main thread), collects every unit's summary and returns them in unit order. Other
/// ranks are workers. With one rank the master does all the work itself.
///
/// A unit's output must depend only on its index and the stage's seeds, never on which rank
/// ran it or when, so the stage's outputs are identical for any rank count. When `process`
/// throws on any rank, rank 0 aborts the whole job with a message naming the unit; every rank
/// exits non-zero and units that were already complete stay intact.
///
/// ```swift
/// let pool = WorkPool(communicator: world, stage: "overlay")
/// let summaries = try pool.run(unitCount: shards.count, describe: { shards[$0] },
///                              completed: { try existingSummary(of: $0) },
///                              process: { try overlay(shard: $0) })   // non-nil on rank 0 only
/// ```
public final class WorkPool: @unchecked Sendable {
    private let communicator: any Collective
    private let stage: String
    private let progress: ProgressReporter

    public init(communicator: any Collective, stage: String, progress: ProgressReporter? = nil) {
        self.communicator = communicator
        self.stage = stage
        self.progress = progress ?? ProgressReporter(stage: stage)
    }

    /// Runs every unit not yet complete; returns all summaries (in unit order) on rank 0 and
    /// nil on the other ranks. Collective: every rank of the communicator calls it.
    public func run<Summary: UnitSummary>(
        unitCount: Int,
        describe: (Int) -> String,
        completed: (Int) throws -> Summary?,
        process: (Int) throws -> Summary
    ) -> [Summary]? {
        if communicator.rank == 0 {
            return runMaster(unitCount: unitCount, describe: describe, completed: completed, process: process)
        }
        runWorker(describe: describe, process: process)
        return nil
    }

    // MARK: Master

    private func runMaster<Summary: UnitSummary>(
        unitCount: Int, describe: (Int) -> String,
        completed: (Int) throws -> Summary?, process: (Int) throws -> Summary
    ) -> [Summary] {
        var summaries = [Summary?](repeating: nil, count: unitCount)
        var pending: [Int] = []
        for unit in 0..<unitCount {
            do {
                if let summary = try completed(unit) { summaries[unit] = summary } else { pending.append(unit) }
            } catch {
                communicator.abort("\(stage): unit \(unit) (\(describe(unit))): \(error)")
            }
        }
        let skipped = unitCount - pending.count
        progress.start(total: unitCount, alreadyDone: skipped)
        let queue = UnitQueue(pending)
        let results = ResultBox<Summary>()
        let dispatcher =
            communicator.size > 1
            ? Thread { [self] in self.dispatch(queue: queue, results: results) } : nil
        dispatcher?.start()

        while let unit = queue.next() { // rank 0 works too
            do {
                results.add(unit, try process(unit))
            } catch {
                communicator.abort("\(stage): unit \(unit) (\(describe(unit))) failed on rank 0: \(error)")
            }
            progress.update(done: skipped + results.count, events: results.events)
        }
        results.waitForAll(pending.count) { progress.update(done: skipped + results.count, events: results.events) }
        dispatcher.map { _ in results.waitForDispatcher() }
        for (unit, summary) in results.all { summaries[unit] = summary }
        progress.finish(events: results.events)
        return summaries.map { $0! }
    }

    /// Rank 0's dispatcher thread: answers work requests until every worker has been stopped.
    /// It polls with short sleeps instead of a blocking receive, because Open MPI's blocking
    /// calls spin and would steal the core that rank 0's own work runs on.
    private func dispatch<Summary: UnitSummary>(queue: UnitQueue, results: ResultBox<Summary>) {
        var active = communicator.size - 1
        while active > 0 {
            guard let message = communicator.receiveIfAvailable() else {
                usleep(500)
                continue
            }
            switch message.tag {
            case Tag.result:
                let unit = Int(message.bytes.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: Int64.self) })
                do {
                    results.add(unit, try JSONDecoder().decode(Summary.self, from: Data(message.bytes.dropFirst(8))))
                } catch {
                    communicator.abort(
                        "\(stage): unit \(unit): unreadable summary from rank \(message.source): \(error)")
                }
                fallthrough
            case Tag.request:
                if let unit = queue.next() {
                    communicator.send(Tag.encode(unit), to: message.source, tag: Tag.unit)
                } else {
                    communicator.send([], to: message.source, tag: Tag.stop)
                    active -= 1
                }
            case Tag.failure:
                communicator.abort(String(decoding: message.bytes, as: UTF8.self))
            default:
                communicator.abort("\(stage): unexpected message tag \(message.tag) from rank \(message.source)")
            }
        }
        results.dispatcherDone()
    }

    // MARK: Worker

    private func runWorker<Summary: UnitSummary>(describe: (Int) -> String, process: (Int) throws -> Summary) {
        communicator.send([], to: 0, tag: Tag.request)
        while true {
            let message = communicator.receive(from: 0)
            guard message.tag == Tag.unit else { return }
            let unit = Tag.decode(message.bytes)
            do {
                let summary = try process(unit)
                communicator.send(Tag.encode(unit) + Array(try JSONEncoder().encode(summary)), to: 0, tag: Tag.result)
            } catch {
                let text = "\(stage): unit \(unit) (\(describe(unit))) failed on rank \(communicator.rank): \(error)"
                communicator.send(Array(text.utf8), to: 0, tag: Tag.failure)
                // Rank 0 aborts the job on this message; wait here until it does.
                _ = communicator.receive(from: 0, tag: Tag.stop)
                return
            }
        }
    }

    private enum Tag {
        static let request = 101, result = 102, failure = 103, unit = 104, stop = 105
        static func encode(_ unit: Int) -> [UInt8] { withUnsafeBytes(of: Int64(unit)) { Array($0) } }
        static func decode(_ bytes: [UInt8]) -> Int { Int(bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }) }
    }
}

/// The units still to hand out, shared by rank 0's dispatcher and its own worker loop.
private final class UnitQueue: @unchecked Sendable {
    private var units: [Int]
    private var next_ = 0
    private let lock = NSLock()
    init(_ units: [Int]) { self.units = units }
    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next_ < units.count else { return nil }
        defer { next_ += 1 }
        return units[next_]
    }
}

/// Summaries collected on rank 0 from its own work and from the dispatcher.
private final class ResultBox<Summary: UnitSummary>: @unchecked Sendable {
    private var results: [Int: Summary] = [:]
    private var eventCount = 0
    private var dispatcherFinished = false
    private let condition = NSCondition()

    func add(_ unit: Int, _ summary: Summary) {
        condition.lock()
        results[unit] = summary
        eventCount += summary.events
        condition.broadcast()
        condition.unlock()
    }
    var count: Int {
        condition.lock()
        defer { condition.unlock() }
        return results.count
    }
    var events: Int {
        condition.lock()
        defer { condition.unlock() }
        return eventCount
    }
    var all: [Int: Summary] {
        condition.lock()
        defer { condition.unlock() }
        return results
    }

    /// Waits until `total` results are in, calling `onChange` after each new one.
    func waitForAll(_ total: Int, onChange: () -> Void) {
        condition.lock()
        var seen = results.count
        while results.count < total {
            condition.wait()
            if results.count != seen {
                seen = results.count
                condition.unlock()
                onChange()
                condition.lock()
            }
        }
        condition.unlock()
    }
    func dispatcherDone() {
        condition.lock()
        dispatcherFinished = true
        condition.broadcast()
        condition.unlock()
    }
    func waitForDispatcher() {
        condition.lock()
        while !dispatcherFinished { condition.wait() }
        condition.unlock()
    }
}
