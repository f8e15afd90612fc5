import Foundation
import TestSupport
import Testing

/// A full file system (a 5 MB tmpfs, filled to leave a little room): every stage fails with one
/// message naming the file it was writing ("no space left on device writing FILE") — never a crash
/// inside libhdf5 — and leaves no temporary files behind (issue BAD 7 and the storage WEAK items).
@Suite(.serialized, .enabled(if: SmallDisk.canMount, "needs `mount -t tmpfs` (root)"))
struct FullDiskTests {
    let samples: Samples.Folders
    let disk: SmallDisk

    init() throws {
        samples = try Samples.folders()
        disk = try SmallDisk()
    }

    /// Checks a stage's failure on the full disk: status 1, the message, no temporary files.
    func expectCleanFailure(_ run: ProcessOutput, folder: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        #expect(run.status == 1, "exit status \(run.status): \(run.combined)", sourceLocation: sourceLocation)
        #expect(
            run.combined.contains("no space left on device writing \(disk.path.path)/"), "\(run.combined)",
            sourceLocation: sourceLocation)
        #expect(
            !run.combined.contains("NSCocoaErrorDomain") && !run.combined.contains("MPI_ABORT"), "\(run.combined)",
            sourceLocation: sourceLocation)
        let left = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? [])
            .filter { $0.contains(".tmp") || $0.hasSuffix(".partial") }
        #expect(left.isEmpty, "temporary files left: \(left)", sourceLocation: sourceLocation)
    }

    @Test("generate on a full disk: the message, exit status 1, no partial files")
    func generate() throws {
        defer { disk.unmount() }
        let out = disk.path.appendingPathComponent("events").path
        let run = try Launcher.vbfgrid([
            "generate", "--channel", "W_QCD", "--events", "5000", "--seed", "1", "--out", out,
            "--shard-size", "2000",
        ])
        try expectCleanFailure(run, folder: out)
        #expect(run.status != 139)
    }

    @Test("preprocess, train and evaluate with 300 kB left: each fails cleanly, evaluate leaves no outputs.h5")
    func stagesWithLittleRoom() throws {
        defer { disk.unmount() }
        let scratch = TestPaths.temporaryDirectory("full-disk-run")
        let run = scratch.appendingPathComponent("run").path
        try Launcher.vbfgrid([
            "train", "--network", "K-ANN", "--dataset", samples.dataset, "--epochs", "1", "--seed", "1",
            "--out", run,
        ]).succeeded()
        try disk.fill(leaving: 300_000)
        let dataset = disk.path.appendingPathComponent("dataset").path
        try expectCleanFailure(
            try Launcher.vbfgrid(Samples.preprocessArguments(samples) + ["--out", dataset]), folder: dataset)
        let trained = disk.path.appendingPathComponent("run").path
        try expectCleanFailure(
            try Launcher.vbfgrid([
                "train", "--network", "K-ANN", "--dataset", samples.dataset, "--epochs", "1",
                "--seed", "1", "--out", trained,
            ]), folder: trained)
        let evaluation = disk.path.appendingPathComponent("evaluation").path
        try disk.fill(leaving: 600_000)
        let evaluated = try Launcher.vbfgrid([
            "evaluate", "--run", run, "--dataset", samples.dataset, "--out", evaluation,
        ])
        try expectCleanFailure(evaluated, folder: evaluation)
        #expect(
            !FileManager.default.fileExists(atPath: evaluation + "/outputs.h5")
                || FileManager.default.fileExists(atPath: evaluation + "/metrics.json"))
    }
}

/// A 5 MB tmpfs mounted on a scratch folder for one test.
struct SmallDisk {
    let path: URL

    /// Whether this process may mount a tmpfs (tried once on a probe folder).
    static let canMount: Bool = {
        guard let disk = try? SmallDisk() else { return false }
        disk.unmount()
        return true
    }()

    init() throws {
        path = TestPaths.temporaryDirectory("small-disk")
        let mounted = try Launcher.run("mount", ["-t", "tmpfs", "-o", "size=5m", "tmpfs", path.path], timeout: 30)
        guard mounted.status == 0 else { throw FixtureError(path, "mount -t tmpfs failed: \(mounted.combined)") }
    }

    /// Fills the file system with a filler file until `bytes` are left.
    func fill(leaving bytes: Int) throws {
        let filler = path.appendingPathComponent("filler")
        try? FileManager.default.removeItem(at: filler)
        var info = statvfs()
        guard statvfs(path.path, &info) == 0 else { throw FixtureError(path, "statvfs failed") }
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        try Data(count: max(0, free - bytes)).write(to: filler)
    }

    func unmount() { _ = try? Launcher.run("umount", ["-l", path.path], timeout: 30) }
}
