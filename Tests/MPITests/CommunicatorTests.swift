import Foundation
import TestSupport
import Testing

/// The MPI layer under real `mpirun` ranks: each test launches `vbfgrid selftest SCENARIO`,
/// which checks the collective's result on every rank and prints one PASSED line per rank.
@Suite(.serialized)
struct CommunicatorTests {
    func expectPassed(_ scenario: String, ranks: Int) throws {
        let run = try Launcher.mpirun(ranks: ranks, ["selftest", scenario], timeout: 120)
        #expect(run.status == 0, "mpirun -n \(ranks) selftest \(scenario): \(run.combined)")
        for rank in 0..<ranks {
            #expect(run.stdout.contains("PASSED \(scenario) rank \(rank)/\(ranks)"), "\(run.combined)")
        }
    }

    @Test(arguments: [2, 3])
    func allReduceSumsOverEveryRank(ranks: Int) throws {
        try expectPassed("allreduce", ranks: ranks)
    }

    @Test func splitReducesWithinEachGroupOnly() throws {
        try expectPassed("split", ranks: 3)
    }

    @Test func nonBlockingAllReduceOverlapsComputation() throws {
        try expectPassed("nonblocking", ranks: 2)
    }

    @Test func broadcastGatherAndPointToPoint() throws {
        try expectPassed("collectives", ranks: 3)
    }

    @Test func singletonWithoutMpirun() throws {
        let run = try Launcher.vbfgrid(["selftest", "collectives"], timeout: 60)
        #expect(run.status == 0, "\(run.combined)")
        #expect(run.stdout.contains("PASSED collectives rank 0/1"))
    }

    @Test func abortFromOneRankEndsEveryRankQuickly() throws {
        let run = try Launcher.mpirun(ranks: 3, ["selftest", "abort"], timeout: 60)
        let ended = Date().timeIntervalSince1970
        #expect(!run.timedOut, "the job hung after the abort")
        #expect(run.status != 0)
        #expect(run.stderr.contains("aborts on purpose"), "the aborting rank's message: \(run.combined)")
        #expect(!run.stdout.contains("PASSED"))
        // From the abort call (its time is in the message) to the end of every rank.
        let stamp = run.stderr.components(separatedBy: "aborts on purpose at ").dropFirst().first?
            .prefix { $0.isNumber || $0 == "." }
        let abortedAt = try #require(stamp.flatMap { Double($0) }, "\(run.stderr)")
        #expect(ended - abortedAt < 10, "every rank should end within 10 s of the abort, took \(ended - abortedAt) s")
    }
}
