import Foundation
import Outputs
import TestSupport
import Testing

/// Output folders know what made them: one writer at a time, a rerun of another configuration
/// refused with its differences (or started clean with force), inputs identified by content.
struct OutputFolderTests {
    static func producer(seed: Int, input: [String: String] = [:]) -> Producer {
        Producer(stage: "preprocess", parameters: ["seed": String(seed), "train": "400"], inputs: input)
    }

    @Test func theSameProducerContinuesAndAnotherIsRefusedWithItsDifferences() throws {
        let dir = TestPaths.temporaryDirectory("outputs-claim").appendingPathComponent("out").path
        let first = try OutputFolder(claiming: dir, producer: Self.producer(seed: 9))
        #expect(!first.continues && FileManager.default.fileExists(atPath: dir + "/producer.json"))
        try Data("shard".utf8).write(to: URL(fileURLWithPath: dir + "/shard-0.h5"))
        first.release()

        let again = try OutputFolder(claiming: dir, producer: Self.producer(seed: 9))
        #expect(again.continues)
        again.release()

        #expect {
            try OutputFolder(claiming: dir, producer: Self.producer(seed: 10))
        } throws: { error in
            let text = "\(error)"
            return text.contains("another configuration") && text.contains("seed: 9 → 10") && text.contains("--force")
        }
        // Refused: nothing was touched, and the lock is free again.
        #expect(try Producer.read(folder: dir) == Self.producer(seed: 9))
        #expect(FileManager.default.fileExists(atPath: dir + "/shard-0.h5"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/" + OutputFolder.lockName))

        let forced = try OutputFolder(claiming: dir, producer: Self.producer(seed: 10), force: true)
        #expect(!forced.continues && !FileManager.default.fileExists(atPath: dir + "/shard-0.h5"))
        #expect(try Producer.read(folder: dir) == Self.producer(seed: 10))
    }

    @Test func aFolderWhoseRunWroteNothingTakesAnotherConfiguration() throws {
        let dir = TestPaths.temporaryDirectory("outputs-empty").appendingPathComponent("out").path
        try OutputFolder(claiming: dir, producer: Self.producer(seed: 1)).release()
        let next = try OutputFolder(claiming: dir, producer: Self.producer(seed: 2))
        #expect(try Producer.read(folder: dir) == Self.producer(seed: 2))
        next.release()
    }

    @Test func aFolderOfUnknownOriginIsRefused() throws {
        let dir = TestPaths.temporaryDirectory("outputs-unknown").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/events.h5"))
        #expect { try OutputFolder(claiming: dir, producer: Self.producer(seed: 1)) } throws: { error in
            "\(error)".contains("no producer.json")
        }
    }

    @Test func oneWriterAtATimeAndStaleLocksAreTakenOver() throws {
        let dir = TestPaths.temporaryDirectory("outputs-lock").path
        let held = try OutputFolder(claiming: dir, producer: Self.producer(seed: 1))
        #expect { try OutputFolder(claiming: dir, producer: Self.producer(seed: 1)) } throws: { error in
            "\(error)".contains("busy") && "\(error)".contains("process \(getpid())")
        }
        held.release()
        // A lock left by a process that is gone (a child that has exited) is stale.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let stale = "\(finished.processIdentifier) \(ProcessInfo.processInfo.hostName) 0 train\n"
        try Data(stale.utf8).write(to: URL(fileURLWithPath: dir + "/" + OutputFolder.lockName))
        let taken = try OutputFolder(claiming: dir, producer: Self.producer(seed: 1))
        #expect(taken.continues)
    }

    @Test func inputsAreIdentifiedByContentOrByTheirProducer() throws {
        let dir = TestPaths.temporaryDirectory("outputs-identity")
        let file = dir.appendingPathComponent("events.h5").path
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        // SHA-256("abc"), the FIPS 180-2 test vector.
        #expect(try InputIdentity.of(file) == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        try Data("abd".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try InputIdentity.of(file) != "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let tree = try InputIdentity.of(dir.path)
        #expect(tree.hasPrefix("sha256-tree:"))
        let stage = dir.appendingPathComponent("stage").path
        let claimed = try OutputFolder(claiming: stage, producer: Self.producer(seed: 3))
        claimed.release()
        #expect(try InputIdentity.of(stage) == "producer:" + Self.producer(seed: 3).fingerprint)
        #expect(try InputIdentity.of(dir.path) != tree, "a new folder inside changes the tree's identity")
        #expect(throws: OutputFolderError.self) { try InputIdentity.of(dir.appendingPathComponent("missing").path) }
    }

    @Test func storageFailuresNameTheFile() throws {
        let full = CocoaError(.fileWriteOutOfSpace)
        #expect(throws: StorageError(path: "/data/x.h5", code: ENOSPC)) {
            try StorageError.mapping(path: "/data/x.h5") { throw full }
        }
        #expect("\(StorageError(path: "/data/x.h5", code: ENOSPC))" == "no space left on device writing /data/x.h5")
    }
}

/// Stale locks and temporaries: a lock held by an exited process (even one not yet reaped) is taken
/// over; a continued folder loses the temporary files a killed writer left.
struct StaleStateTests {
    @Test func aZombieHoldsNoLock() throws {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/true"), nil]
        defer { argv.forEach { free($0) } }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, nil) == 0)
        var exited = false
        for _ in 0..<100 where !exited {
            usleep(20_000)
            exited = !ProcessLiveness.isAlive(pid)
        }
        #expect(exited && kill(pid, 0) == 0, "an exited, unreaped child is a zombie: signalable, not alive")
        let dir = TestPaths.temporaryDirectory("zombie-lock").path
        try "\(pid) \(ProcessInfo.processInfo.hostName) 0 train\n".write(
            toFile: dir + "/.lock", atomically: true, encoding: .utf8)
        let lock = try FolderLock(path: dir + "/.lock", purpose: "train")
        lock.release()
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    @Test func aContinuedFolderLosesItsTemporaries() throws {
        let dir = TestPaths.temporaryDirectory("temporaries").appendingPathComponent("out").path
        let producer = Producer(stage: "train", parameters: ["seed": "1"])
        try OutputFolder(claiming: dir, producer: producer).release()
        try FileManager.default.createDirectory(atPath: dir + "/checkpoints", withIntermediateDirectories: true)
        for name in ["checkpoints/.latest.h5.tmp-4242", ".history.json.partial", "best.h5"] {
            FileManager.default.createFile(atPath: dir + "/" + name, contents: Data("x".utf8))
        }
        let again = try OutputFolder(claiming: dir, producer: producer)
        again.release()
        #expect(again.continues)
        let left = try FileManager.default.subpathsOfDirectory(atPath: dir).sorted()
        #expect(left == ["best.h5", "checkpoints", "producer.json"], "\(left)")
    }
}
