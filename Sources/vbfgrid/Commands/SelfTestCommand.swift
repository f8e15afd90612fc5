import ArgumentParser
import Foundation
import HDF5
import MPI
import Workers

/// `vbfgrid selftest SCENARIO`: exercises one piece of the MPI / parallel-HDF5 plumbing across
/// the ranks it is launched with, checks the result on every rank and prints one PASSED line
/// per rank. The test suite runs these under `mpirun -n 2/3`; on a new cluster they show
/// quickly whether MPI and MPI-IO behave.
struct SelfTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Exercise MPI collectives or a collective HDF5 write across the launched ranks.",
        discussion: """
            Scenarios: allreduce, split, nonblocking, collectives, abort, hdf5-collective, workpool, requeue.
            `workpool` runs --units units through the master/worker pool, each writing
            unit-NNN.txt in --dir (skipping units already there) and rank 0 writing manifest.json;
            --fail-unit K makes unit K fail, which must end the job with a message naming it.
            Example: mpirun -n 3 vbfgrid selftest hdf5-collective --dir /shared/scratch
            Each rank prints "PASSED <scenario> rank R/N" or exits non-zero with the reason.
            `abort` makes the last rank call abort while the others wait: every rank must end.
            `requeue` behaves like a preemptible trainer for the grid runner's tests: when --dir holds
            requeue.marker it passes; otherwise it waits up to --seconds for SIGUSR1/SIGTERM, writes the
            marker (its "checkpoint") and exits with status 75 (EX_TEMPFAIL: run me again).
            """
    )

    enum Scenario: String, ExpressibleByArgument, CaseIterable {
        case allreduce, split, nonblocking, collectives, abort, workpool, requeue
        case hdf5Collective = "hdf5-collective"
    }

    @Argument(help: "One of: allreduce, split, nonblocking, collectives, abort, hdf5-collective, workpool, requeue.")
    var scenario: Scenario

    @Option(help: "Folder for the hdf5-collective and workpool files (must be visible to every rank).")
    var dir: String = FileManager.default.currentDirectoryPath

    @Option(help: "workpool: number of work units.")
    var units: Int = 12

    @Option(help: "workpool: the unit that fails on purpose.")
    var failUnit: Int?

    @Option(help: "requeue: seconds to wait for SIGUSR1/SIGTERM before checkpointing anyway.")
    var seconds: Double = 0

    func run() throws {
        let world = MPIRuntime.initialize()
        defer { MPIRuntime.finalize() }
        let r = world.rank, n = world.size
        var failures: [String] = []
        func expect(_ condition: Bool, _ what: String) { if !condition { failures.append(what) } }

        switch scenario {
        case .allreduce:
            var floats = (0..<1001).map { Float($0 % 17) * Float(r + 1) }
            world.allReduce(&floats)
            let rankSum = Float(n * (n + 1) / 2)
            expect(floats.enumerated().allSatisfy { $1 == Float($0 % 17) * rankSum }, "float sum")
            var ints = [Int](repeating: r, count: 100)
            ints.withUnsafeMutableBufferPointer { world.allReduce($0, .sum, chunk: 7) } // chunked path
            expect(ints.allSatisfy { $0 == n * (n - 1) / 2 }, "chunked int sum")
            expect(world.allReduce(Double(r), .max) == Double(n - 1), "double max")
            expect(world.allReduce(Int32(r + 5), .min) == 5, "int32 min")
        case .split:
            let group = world.split(color: r % 2, key: r)
            let members = (0..<n).filter { $0 % 2 == r % 2 }
            expect(group.size == members.count, "group size \(group.size), expected \(members.count)")
            expect(group.rank == members.firstIndex(of: r), "group rank")
            expect(group.allReduce(r, .sum) == members.reduce(0, +), "sum within group only")
        case .nonblocking:
            var gradients = [Float](repeating: Float(r + 1), count: 1 << 20)
            var overlapped = 0.0
            gradients.withUnsafeMutableBufferPointer { buffer in
                let request = world.startAllReduce(buffer, .sum, chunk: 1 << 18)
                var polls = 0
                while !request.test() { // compute while the reduction runs
                    for i in 0..<10_000 { overlapped += Double(i & 7) }
                    polls += 1
                }
                request.wait()
                _ = polls
            }
            expect(overlapped >= 0, "overlapped work")
            expect(gradients.allSatisfy { $0 == Float(n * (n + 1) / 2) }, "non-blocking sum")
        case .collectives:
            let root = n - 1
            var values = r == root ? [3.5, -1, 42] : [Double](repeating: 0, count: 3)
            world.broadcast(&values, root: root)
            expect(values == [3.5, -1, 42], "broadcast from rank \(root)")
            let text = world.broadcast(bytes: r == 0 ? Array("hello from 0".utf8) : [], root: 0)
            expect(String(decoding: text, as: UTF8.self) == "hello from 0", "byte broadcast")
            let gathered = world.gather((0..<r + 1).map { Int32(r * 10 + $0) }, root: 0)
            if r == 0 {
                expect(gathered?.count == n, "gather count")
                for (source, part) in (gathered ?? []).enumerated() {
                    expect(part == (0..<source + 1).map { Int32(source * 10 + $0) }, "gathered part of rank \(source)")
                }
            }
            if n > 1 { // a ring: send to the right, receive from the left
                world.send(Array("token \(r)".utf8), to: (r + 1) % n, tag: 7)
                let message = world.receive(from: (r + n - 1) % n, tag: 7)
                expect(String(decoding: message.bytes, as: UTF8.self) == "token \((r + n - 1) % n)", "ring message")
            }
        case .abort:
            if r == n - 1 {
                Thread.sleep(forTimeInterval: 0.5)
                world.abort(
                    String(format: "selftest: rank %d aborts on purpose at %.3f", r, Date().timeIntervalSince1970),
                    code: 3)
            }
            world.barrier() // never completes: the abort must end this rank
            failures.append("barrier returned after an abort")
        case .hdf5Collective:
            try hdf5Collective(world, expect: expect)
        case .workpool:
            try workPool(world)
        case .requeue:
            try requeue(world)
        }
        if !failures.isEmpty {
            world.abort("selftest \(scenario.rawValue) FAILED: " + failures.joined(separator: "; "))
        }
        print("PASSED \(scenario.rawValue) rank \(r)/\(n)")
    }

    nonisolated(unsafe) private static var signalled: sig_atomic_t = 0

    /// First attempt: wait for a signal (or --seconds), "checkpoint" (the marker), exit 75. Later attempts pass.
    private func requeue(_ world: Communicator) throws {
        let marker = URL(fileURLWithPath: dir).appendingPathComponent("requeue.marker")
        if FileManager.default.fileExists(atPath: marker.path) { return }
        for sig in [SIGUSR1, SIGTERM] { signal(sig) { _ in SelfTestCommand.signalled = 1 } }
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGUSR1)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        FileHandle.standardOutput.write(
            Data("selftest requeue rank \(world.rank): waiting up to \(seconds) s for SIGUSR1/SIGTERM\n".utf8))
        let deadline = Date().addingTimeInterval(seconds)
        while SelfTestCommand.signalled == 0 && Date() < deadline { usleep(50_000) }
        world.barrier()
        if world.rank == 0 {
            try "checkpoint after \(SelfTestCommand.signalled == 1 ? "a signal" : "\(seconds) s")\n"
                .write(to: marker, atomically: true, encoding: .utf8)
        }
        print("selftest requeue rank \(world.rank): checkpointed, exit status 75")
        throw ExitCode(75)
    }

    struct DemoSummary: UnitSummary, Equatable {
        var unit: Int
        var events: Int
        var checksum: UInt64
    }

    /// Units whose output depends only on the unit index; uneven work so completion order varies.
    private func workPool(_ world: Communicator) throws {
        let folder = URL(fileURLWithPath: dir)
        func path(_ unit: Int) -> URL { folder.appendingPathComponent(String(format: "unit-%03d.txt", unit)) }
        func content(_ unit: Int) -> (String, DemoSummary) {
            var hash: UInt64 = 1469598103934665603
            let lines = (0..<(unit % 5 + 1) * 50).map { i -> String in
                let line = "unit \(unit) event \(i) value \((unit * 7919 + i * 104729) % 1000)"
                for byte in line.utf8 { hash = (hash ^ UInt64(byte)) &* 1099511628211 }
                return line
            }
            return (lines.joined(separator: "\n") + "\n", DemoSummary(unit: unit, events: lines.count, checksum: hash))
        }
        let pool = WorkPool(
            communicator: world, stage: "selftest-workpool",
            progress: ProgressReporter(stage: "selftest-workpool", interval: 0))
        let summaries = pool.run(
            unitCount: units, describe: { path($0).lastPathComponent },
            completed: { unit in FileManager.default.fileExists(atPath: path(unit).path) ? content(unit).1 : nil },
            process: { unit -> DemoSummary in
                if unit == failUnit {
                    throw ValidationError("unit \(unit) fails on purpose (input \(path(unit).lastPathComponent))")
                }
                usleep(UInt32((units - unit) % 4) * 20_000)
                let (text, summary) = content(unit)
                let temporary = folder.appendingPathComponent(".\(path(unit).lastPathComponent).tmp")
                try text.write(to: temporary, atomically: false, encoding: .utf8)
                try FileManager.default.moveItem(at: temporary, to: path(unit))
                return summary
            })
        if let summaries {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(summaries).write(to: folder.appendingPathComponent("manifest.json"), options: .atomic)
        }
    }

    /// Rank r writes r + 3 rows of a chunked, deflated [rows, 45] dataset collectively, then every
    /// rank reads the whole dataset back.
    private func hdf5Collective(_ world: Communicator, expect: (Bool, String) -> Void) throws {
        let n = world.size, cols = 45
        let rowsOf = (0..<n).map { $0 + 3 }
        let first = rowsOf.prefix(world.rank).reduce(0, +), total = rowsOf.reduce(0, +)
        func value(_ row: Int, _ col: Int) -> Float { Float(row) * 100 + Float(col) / 8 }
        let path = URL(fileURLWithPath: dir).appendingPathComponent("collective.h5").path
        let file = try HDF5File(creating: path, communicator: world)
        try file.setAttribute("ranks", n)
        let dataset = try file.createDataset(
            "images/PJ-LR", of: Float.self, shape: [total, cols],
            chunk: [4, cols], deflate: 4)
        let mine = (first..<first + rowsOf[world.rank]).flatMap { row in (0..<cols).map { value(row, $0) } }
        try dataset.write(mine, start: [first, 0], count: [rowsOf[world.rank], cols])
        try file.close()
        world.barrier()
        let back = try HDF5File(opening: path, communicator: world).read("images/PJ-LR", as: Float.self)
        expect(back.count == total * cols, "read back \(back.count) values")
        expect(back.enumerated().allSatisfy { $1 == value($0 / cols, $0 % cols) }, "values read back")
    }
}
