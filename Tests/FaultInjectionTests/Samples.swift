import Foundation
import TestSupport
import Testing

/// The small inputs the fault-injection tests damage, built once per test process with the real
/// binary: fastsim events of the six channels (sized by fastsim's selection efficiencies for a
/// 200 + 300 event data set), a min-bias library, and the PJ-LR data set preprocessed from them.
enum Samples {
    struct Folders: Sendable {
        let root: URL
        var events: [String] { Samples.channels.map { root.appendingPathComponent("events/\($0.name)").path } }
        var minbias: String { root.appendingPathComponent("minbias").path }
        var dataset: String { root.appendingPathComponent("dataset").path }
    }

    static let channels = [
        ("S_EW", 750), ("S_QCD", 1750), ("Z_QCD", 1750), ("W_QCD", 5500), ("Z_EW", 250), ("W_EW", 350),
    ]
    .map { (name: $0.0, events: $0.1) }

    /// The preprocess arguments of the shared data set (without --out).
    static func preprocessArguments(_ folders: Folders, seed: Int = 3) -> [String] {
        ["preprocess", "--input"] + folders.events + [
            "--images", "PJ-LR", "--train", "200", "--validation", "300",
            "--seed", String(seed),
        ]
    }

    private static let built = Result<Folders, any Error> {
        let folders = Folders(root: TestPaths.temporaryDirectory("fault-samples"))
        for (channel, path) in zip(channels, folders.events) {
            try Launcher.vbfgrid([
                "generate", "--channel", channel.name, "--events", String(channel.events), "--seed", "31",
                "--out", path, "--shard-size", "20000",
            ]).succeeded()
        }
        try Launcher.vbfgrid([
            "generate", "--channel", "MINBIAS", "--events", "300", "--seed", "5", "--out", folders.minbias,
            "--shard-size", "300",
        ]).succeeded()
        try Launcher.vbfgrid(preprocessArguments(folders) + ["--out", folders.dataset]).succeeded()
        return folders
    }

    static func folders() throws -> Folders { try built.get() }
}

/// Every regular file under a folder (relative path → bytes), hidden files included, the lock aside.
func snapshot(_ folder: String) throws -> [String: Data] {
    var files: [String: Data] = [:]
    for name in FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []
    where !name.hasSuffix(".lock") {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
    }
    return files
}

/// The names of the files whose bytes differ between two snapshots (or that only one has).
func differences(_ a: [String: Data], _ b: [String: Data]) -> [String] {
    Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
}

/// Runs `vbfgrid arguments` in the background and kills it with SIGKILL (the whole process group:
/// mpirun and its ranks too) after `delay` seconds; returns whether it was still running then.
@discardableResult
func killed(after delay: TimeInterval, _ arguments: [String], ranks: Int? = nil, log: URL) throws -> Bool {
    let run = try BackgroundProcess(ranks: ranks, arguments, log: log)
    Thread.sleep(forTimeInterval: delay)
    let running = run.process.isRunning
    if running {
        for child in run.children { kill(child, SIGKILL) }
        kill(-run.process.processIdentifier, SIGKILL)
        kill(run.process.processIdentifier, SIGKILL)
    }
    _ = run.waitForExit(timeout: 30)
    return running
}

/// Deterministic uniform numbers (SplitMix64 of a seed), for kill delays and flipped bits.
struct SeededUniform {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(in range: Range<Double>) -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return range.lowerBound + Double(z >> 11) / Double(UInt64(1) << 53) * (range.upperBound - range.lowerBound)
    }
}
