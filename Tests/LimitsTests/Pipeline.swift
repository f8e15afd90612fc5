import Foundation
import TestSupport

/// A small real pipeline, run once per test process with the built binary: fastsim events of
/// the six channels → preprocess (met > 200) → K-ANN, 2 epochs, seeds 1 and 2 → evaluate.
enum Pipeline {
    struct Folders {
        let root: URL
        var dataset: String { root.appendingPathComponent("data").path }
        func run(_ seed: Int) -> String { root.appendingPathComponent("run-s\(seed)").path }
        func evaluation(_ seed: Int, ranks: Int = 1) -> String { root.appendingPathComponent("eval-s\(seed)-r\(ranks)").path }
    }

    static let folders: Folders = {
        let root = TestPaths.temporaryDirectory("limits-pipeline")
        let events = root.appendingPathComponent("events")
        for (channel, n) in [("S_EW", 1500), ("S_QCD", 3500), ("Z_QCD", 3500), ("W_QCD", 11000), ("Z_EW", 500), ("W_EW", 700)] {
            check(try! Launcher.vbfgrid(["generate", "--channel", channel, "--events", String(n), "--seed", "31",
                                        "--out", events.appendingPathComponent(channel).path, "--shard-size", "20000"]))
        }
        let folders = Folders(root: root)
        let inputs = ["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"].map { events.appendingPathComponent($0).path }
        check(try! Launcher.vbfgrid(["preprocess", "--input"] + inputs + ["--out", folders.dataset, "--met-cut", "200",
                                    "--images", "PJ-LR", "--train", "400", "--validation", "600", "--seed", "3"]))
        for seed in [1, 2] {
            check(try! Launcher.vbfgrid(["train", "--network", "K-ANN", "--dataset", folders.dataset, "--epochs", "2",
                                        "--seed", String(seed), "--out", folders.run(seed), "--progress-interval", "100"]))
            check(try! Launcher.mpirun(ranks: 1, ["evaluate", "--run", folders.run(seed), "--dataset", folders.dataset,
                                                 "--out", folders.evaluation(seed), "--jes"]))
        }
        return folders
    }()

    static func check(_ run: ProcessOutput) {
        precondition(run.status == 0 && !run.timedOut, run.combined)
    }

    /// Runs a Python snippet with Debian's python3 (numpy, h5py) and returns its standard output.
    static func python(_ code: String, _ arguments: [String] = []) throws -> String {
        let run = try Launcher.run("/usr/bin/python3", ["-c", code] + arguments, timeout: 300)
        #expect(run.status == 0, "\(run.combined)")
        return run.stdout
    }

    /// The python of the pyhf 0.7.6 venv the statistics tests use (.build/pyhf-venv), created when missing.
    static func pyhfPython() throws -> String {
        let venv = TestPaths.repositoryRoot.appendingPathComponent(".build/pyhf-venv")
        let python = venv.appendingPathComponent("bin/python").path
        let check = try? Launcher.run(python, ["-c", "import pyhf, scipy; assert pyhf.__version__ == '0.7.6'"], timeout: 120)
        if check?.status != 0 {
            _ = try Launcher.run("/usr/bin/python3", ["-m", "venv", venv.path], timeout: 300)
            let install = try Launcher.run(venv.appendingPathComponent("bin/pip").path, ["install", "-q", "pyhf==0.7.6", "scipy"],
                                           timeout: 900)
            #expect(install.status == 0, "\(install.combined)")
        }
        return python
    }

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
    }
}

import Testing
