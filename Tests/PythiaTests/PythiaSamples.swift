import Foundation
import TestSupport

/// The samples the Pythia tests share, made once per test process: every channel generated
/// with `vbfgrid generate --generator pythia` (two shards each, particles kept).
enum PythiaSamples {
    /// Events per physics channel: enough for a few selected W events (selection efficiency ≈ 3%),
    /// about 3 s of Pythia per channel on one core.
    static let events = 300
    static let shardSize = 150
    static let minBiasEvents = 40
    static let seed = 21
    static let channels = ["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"]

    /// Folder with one sub-folder per channel (and MINBIAS) of events shards.
    static let root: URL = {
        let root = TestPaths.temporaryDirectory("pythia-samples")
        for channel in channels + ["MINBIAS"] {
            let n = channel == "MINBIAS" ? minBiasEvents : events
            let run = try! generate(channel: channel, events: n, out: root.appendingPathComponent(channel))
            precondition(run.status == 0, run.combined)
        }
        return root
    }()

    static func generate(
        channel: String, events: Int, out: URL, seed: Int = PythiaSamples.seed,
        shardIndex: Int? = nil
    ) throws -> ProcessOutput {
        try Launcher.vbfgrid(
            [
                "generate", "--generator", "pythia", "--channel", channel, "--events", String(events),
                "--seed", String(seed), "--out", out.path, "--shard-size", String(shardSize), "--keep-particles",
            ]
                + (shardIndex.map { ["--shard-index", String($0)] } ?? []), timeout: 600)
    }

    /// The events shards of `channel` (sorted), without the particle files.
    static func eventFiles(_ channel: String) throws -> [String] {
        let folder = root.appendingPathComponent(channel)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            .filter { $0.hasSuffix(".h5") && !$0.hasSuffix(".particles.h5") }
            .map { folder.appendingPathComponent($0).path }
    }

    /// Runs a Python program with Debian's python3 (numpy + h5py, independent of the venv).
    static func systemPython(_ program: String, _ arguments: [String]) throws -> String {
        let run = try Launcher.run("/usr/bin/python3", ["-c", program] + arguments, timeout: 300)
        guard run.status == 0 else { throw PythonFailure(output: run.combined) }
        return run.stdout
    }
}

struct PythonFailure: Error, CustomStringConvertible {
    let output: String
    var description: String { "python failed:\n\(output)" }
}
