import Foundation
import MPI
import Testing

/// The in-process `Collective`: MPI's semantics with 1–4 ranks as threads of the test process
/// (the mpirun tests of `Communicator` are in CommunicatorTests).
@Suite(.timeLimit(.minutes(1)))
struct ThreadGroupTests {
    @Test(arguments: 1...4)
    func allReduceCombinesEveryRankInRankOrder(size: Int) throws {
        let results = try ThreadGroup.run(size: size) { world -> [Double] in
            var floats: [Float] = [1e8, Float(world.rank + 1), -1e8, 0.1 * Float(world.rank)]
            world.allReduce(&floats)
            var bytes: [UInt8] = [200, UInt8(world.rank)]
            world.allReduce(&bytes) // wraps around like MPI_BYTE sums
            let maximum = world.allReduce(Double(world.rank) - 0.5, .max)
            let minimum = world.allReduce(Int32(10 - world.rank), .min)
            return floats.map(Double.init) + bytes.map(Double.init) + [maximum, Double(minimum), Double(world.size)]
        }
        // The oracle: the ranks' values folded left to right in Float, as rank order prescribes.
        var expected: [Float] = [1e8, 1, -1e8, 0]
        for r in 1..<max(size, 1) {
            for (i, v) in [Float(1e8), Float(r + 1), -1e8, 0.1 * Float(r)].enumerated() { expected[i] += v }
        }
        let byteSum = (0..<size).reduce(UInt8(0)) { sum, _ in sum &+ 200 }
        let rankSum = (0..<size).reduce(UInt8(0)) { $0 &+ UInt8($1) }
        let row =
            expected.map(Double.init) + [
                Double(byteSum), Double(rankSum), Double(size) - 1.5, Double(11 - size), Double(size),
            ]
        #expect(results == Array(repeating: row, count: size))
    }

    @Test func nonBlockingAllReduceCompletesOnceEveryRankHasStarted() throws {
        let results = try ThreadGroup.run(size: 2) { world -> (Bool, Bool, [Int]) in
            var values = [world.rank + 1, 10 * (world.rank + 1)]
            return values.withUnsafeMutableBufferPointer { buffer in
                if world.rank == 0 {
                    let request = world.startAllReduce(buffer, .sum)
                    let early = request.test() // rank 1 has not started yet
                    world.send([1], to: 1, tag: 7)
                    request.wait()
                    return (early, request.test(), Array(buffer))
                }
                _ = world.receive(from: 0, tag: 7)
                let request = world.startAllReduce(buffer, .sum)
                request.wait()
                request.wait() // waiting twice is harmless
                return (false, request.test(), Array(buffer))
            }
        }
        #expect(results.map(\.0) == [false, false])
        #expect(results.map(\.1) == [true, true])
        #expect(results.map(\.2) == [[3, 30], [3, 30]])
    }

    @Test func broadcastAndGather() throws {
        let results = try ThreadGroup.run(size: 3) { world -> ([Double], [UInt8], [[Int]]?) in
            var values = world.rank == 2 ? [2.5, -1] : [0, 0]
            world.broadcast(&values, root: 2)
            let text = world.broadcast(bytes: world.rank == 0 ? Array("from rank 0".utf8) : [], root: 0)
            let gathered = world.gather(Array(repeating: world.rank, count: world.rank + 1), root: 1)
            return (values, text, gathered)
        }
        for (rank, result) in results.enumerated() {
            #expect(result.0 == [2.5, -1])
            #expect(String(decoding: result.1, as: UTF8.self) == "from rank 0")
            #expect(result.2 == (rank == 1 ? [[0], [1, 1], [2, 2, 2]] : nil))
        }
    }

    /// Colour r % 2, key −r: two groups, each in reverse rank order, reducing among themselves only.
    @Test func splitFormsGroupsOrderedByKey() throws {
        let results = try ThreadGroup.run(size: 4) { world -> [Int] in
            let group = world.split(color: world.rank % 2, key: -world.rank)
            let members = group.gather([world.rank], root: 0)?.flatMap { $0 } ?? []
            group.barrier()
            return [group.rank, group.size, group.allReduce(world.rank, .sum)] + members
        }
        #expect(results[0] == [1, 2, 2])
        #expect(results[1] == [1, 2, 4])
        #expect(results[2] == [0, 2, 2, 2, 0])
        #expect(results[3] == [0, 2, 4, 3, 1])
    }

    @Test func messagesMatchBySourceAndTagInSendingOrder() throws {
        let results = try ThreadGroup.run(size: 3) { world -> [String] in
            guard world.rank == 0 else {
                for i in 0..<3 { world.send(Array("r\(world.rank) m\(i)".utf8), to: 0, tag: world.rank) }
                return []
            }
            var received: [String] = []
            for source in [2, 1] {
                for _ in 0..<3 {
                    received.append(String(decoding: world.receive(from: source, tag: source).bytes, as: UTF8.self))
                }
            }
            let none = world.receiveIfAvailable(from: nil, tag: 9)
            received.append(none == nil ? "nothing with tag 9" : "unexpected")
            return received
        }
        #expect(results[0] == ["r2 m0", "r2 m1", "r2 m2", "r1 m0", "r1 m1", "r1 m2", "nothing with tag 9"])
    }

    /// An abort ends the group even while other ranks wait in a collective; `run` reports it.
    @Test func abortEndsEveryRank() throws {
        do {
            _ = try ThreadGroup.run(size: 3) { world -> Int in
                if world.rank == 1 { world.abort("rank 1 gives up", code: 3) }
                world.barrier()
                return world.rank
            }
            Issue.record("run returned after an abort")
        } catch let ThreadGroup.Failure.aborted(rank, message, code) {
            #expect(rank == 1 && message == "rank 1 gives up" && code == 3)
        }
    }

    @Test func aThrowingRankEndsTheGroup() throws {
        struct Failed: Error {}
        do {
            _ = try ThreadGroup.run(size: 2) { world -> Int in
                if world.rank == 0 { throw Failed() }
                return world.allReduce(1, .sum)
            }
            Issue.record("run returned after a rank threw")
        } catch let ThreadGroup.Failure.threw(rank, error) {
            #expect(rank == 0 && error is Failed)
        }
    }

    /// Mismatched collectives (undefined in MPI) abort with a message instead of hanging.
    @Test func mismatchedCollectivesAreReported() throws {
        let failures: [String] = [
            message { world in if world.rank == 0 { world.barrier() } else { _ = world.allReduce(1, .sum) } },
            message { world in
                var v = [Float](repeating: 1, count: world.rank + 1)
                world.allReduce(&v)
            },
            message { world in
                var v = [1.0]
                world.broadcast(&v, root: world.rank)
            },
        ]
        #expect(failures[0].contains("collective #0") && failures[0].contains("barrier"), "\(failures[0])")
        #expect(failures[1].contains("element counts [1, 2]"), "\(failures[1])")
        #expect(failures[2].contains("root 0") && failures[2].contains("root 1"), "\(failures[2])")
    }

    /// The abort message of a 2-rank group running `body`.
    func message(_ body: @escaping @Sendable (ThreadCommunicator) -> Void) -> String {
        do {
            _ = try ThreadGroup.run(size: 2, body)
            return "no failure"
        } catch {
            return "\(error)"
        }
    }
}
