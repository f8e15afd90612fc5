import Foundation
import MPI
import Testing
import Workers

/// The master/worker pool on in-process rank threads (`ThreadGroup`): every unit processed once,
/// the same summaries for any rank count, complete units skipped, a failing unit ending every
/// rank with its name. WorkPoolMPITests runs the same pool under mpirun.
@Suite(.timeLimit(.minutes(1)))
struct WorkPoolTests {
    struct Summary: UnitSummary, Equatable {
        var unit: Int
        var events: Int
        var checksum: UInt64
    }

    /// A unit's summary: a function of its index only.
    static func summary(_ unit: Int) -> Summary {
        var hash: UInt64 = 1469598103934665603
        for i in 0..<(unit % 5 + 1) * 40 { hash = (hash ^ UInt64(unit * 7919 + i)) &* 1099511628211 }
        return Summary(unit: unit, events: (unit % 5 + 1) * 40, checksum: hash)
    }

    struct UnitFailed: Error {}

    /// How often each unit was processed, over every rank.
    final class Tally: @unchecked Sendable {
        private var counts: [Int]
        private let lock = NSLock()
        init(_ units: Int) { counts = Array(repeating: 0, count: units) }
        func add(_ unit: Int) {
            lock.lock()
            counts[unit] += 1
            lock.unlock()
        }
        var all: [Int] {
            lock.lock()
            defer { lock.unlock() }
            return counts
        }
    }

    /// Runs 17 units (those in `done` already complete) on `ranks` rank threads.
    static func run(
        ranks: Int, units: Int = 17, done: Set<Int> = [], fail: Int? = nil,
        tally: Tally
    ) throws -> [[Summary]?] {
        try ThreadGroup.run(size: ranks) { world in
            let pool = WorkPool(
                communicator: world, stage: "unit-test", progress: ProgressReporter(stage: "unit-test", interval: 60))
            return pool.run(
                unitCount: units, describe: { "u\($0)" },
                completed: { done.contains($0) ? summary($0) : nil },
                process: { unit in
                    tally.add(unit)
                    if unit == fail { throw UnitFailed() }
                    usleep(UInt32((units - unit) % 3) * 2_000) // uneven work: completion order varies
                    return summary(unit)
                })
        }
    }

    @Test(arguments: 1...4)
    func everyUnitIsProcessedOnceAndTheResultIsTheSameForAnyRankCount(ranks: Int) throws {
        let tally = Tally(17)
        let results = try Self.run(ranks: ranks, tally: tally)
        #expect(tally.all == Array(repeating: 1, count: 17))
        #expect(results[0] == (0..<17).map(Self.summary))
        #expect(results.dropFirst().allSatisfy { $0 == nil }, "summaries only on rank 0")
    }

    @Test func completeUnitsAreSkipped() throws {
        let tally = Tally(17)
        let results = try Self.run(ranks: 3, done: [0, 4, 16], tally: tally)
        #expect(tally.all == (0..<17).map { [0, 4, 16].contains($0) ? 0 : 1 })
        #expect(results[0] == (0..<17).map(Self.summary))
    }

    @Test(arguments: [1, 3])
    func aFailingUnitEndsEveryRankWithItsName(ranks: Int) throws {
        do {
            _ = try Self.run(ranks: ranks, fail: 7, tally: Tally(17))
            Issue.record("the pool returned after a failing unit")
        } catch let ThreadGroup.Failure.aborted(_, message, _) {
            #expect(message.contains("unit-test: unit 7 (u7)") && message.contains("failed on rank"), "\(message)")
        }
    }

    @Test func durationsAreReadable() {
        #expect(ProgressReporter.duration(65) == "1:05")
        #expect(ProgressReporter.duration(3723) == "1:02:03")
        #expect(ProgressReporter.duration(.nan) == "?")
        #expect(ProgressReporter.duration(-1) == "?")
    }
}
