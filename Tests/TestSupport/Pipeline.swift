import Foundation

/// A small real pipeline, run once per test process with the built binary: fastsim events of
/// the six channels → preprocess (met > 200) → K-ANN, 2 epochs, seeds 1 and 2 → evaluate.
/// Used by the evaluate-stage and limits-stage tests; a failed step is thrown to every test that asks.
public enum Pipeline {
    public struct Folders: Sendable {
        public let root: URL
        public var dataset: String { root.appendingPathComponent("data").path }
        public func run(_ seed: Int) -> String { root.appendingPathComponent("run-s\(seed)").path }
        public func evaluation(_ seed: Int, ranks: Int = 1) -> String {
            root.appendingPathComponent("eval-s\(seed)-r\(ranks)").path
        }
    }

    private static let built = Result<Folders, any Error> {
        let root = TestPaths.temporaryDirectory("limits-pipeline")
        let events = root.appendingPathComponent("events")
        for (channel, n) in [
            ("S_EW", 1500), ("S_QCD", 3500), ("Z_QCD", 3500), ("W_QCD", 11000), ("Z_EW", 500), ("W_EW", 700),
        ] {
            try Launcher.vbfgrid([
                "generate", "--channel", channel, "--events", String(n), "--seed", "31",
                "--out", events.appendingPathComponent(channel).path, "--shard-size", "20000",
            ]).succeeded()
        }
        let folders = Folders(root: root)
        let inputs = ["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"].map { events.appendingPathComponent($0).path }
        try Launcher.vbfgrid(
            ["preprocess", "--input"] + inputs + [
                "--out", folders.dataset, "--met-cut", "200",
                "--images", "PJ-LR", "--train", "400", "--validation", "600", "--seed", "3",
            ]
        ).succeeded()
        for seed in [1, 2] {
            try Launcher.vbfgrid([
                "train", "--network", "K-ANN", "--dataset", folders.dataset, "--epochs", "2",
                "--seed", String(seed), "--out", folders.run(seed), "--progress-interval", "100",
            ]).succeeded()
            try Launcher.mpirun(
                ranks: 1,
                [
                    "evaluate", "--run", folders.run(seed), "--dataset", folders.dataset,
                    "--out", folders.evaluation(seed), "--jes",
                ]
            ).succeeded()
        }
        return folders
    }

    /// The pipeline's folders (built on first use).
    public static func folders() throws -> Folders { try built.get() }

    /// A JSON object file.
    public static func json(_ path: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
        guard let dictionary = object as? [String: Any] else {
            throw FixtureError(URL(fileURLWithPath: path), "not a JSON object")
        }
        return dictionary
    }
}
