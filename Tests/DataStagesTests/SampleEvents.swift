import Foundation
import TestSupport

/// Small fastsim samples of the six channels and a min-bias library, generated once per test
/// run with the real `vbfgrid generate`.
enum SampleEvents {
    static let folder: URL = {
        let dir = TestPaths.temporaryDirectory("sample-events")
        for (channel, events) in [("S_EW", 1200), ("S_QCD", 1600), ("Z_QCD", 1600), ("W_QCD", 3000), ("Z_EW", 800), ("W_EW", 800),
                                  ("minbias", 600)] {
            let run = try! Launcher.vbfgrid(["generate", "--channel", channel, "--events", String(events), "--seed", "21",
                                             "--out", dir.appendingPathComponent(channel).path, "--shard-size", "400"])
            precondition(run.status == 0, run.combined)
        }
        return dir
    }()

    static var physics: [String] {
        ["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"].map { folder.appendingPathComponent($0).path }
    }
    static var minbias: String { folder.appendingPathComponent("minbias").path }

    /// Every file below `dir` with its bytes (relative path → data).
    static func contents(_ dir: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey])!
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            out[String(url.path.dropFirst(dir.path.count + 1))] = try Data(contentsOf: url)
        }
        return out
    }

    /// Runs a Python snippet with Debian's python3 (numpy, h5py) and returns its standard output.
    static func python(_ code: String, _ arguments: [String] = []) throws -> String {
        let run = try Launcher.run("/usr/bin/python3", ["-c", code] + arguments, timeout: 300)
        guard run.status == 0 else { throw PythonFailure(output: run.combined) }
        return run.stdout
    }

    struct PythonFailure: Error, CustomStringConvertible {
        var output: String
        var description: String { "python3 failed: \(output)" }
    }
}
