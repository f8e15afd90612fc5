import Foundation
import TestSupport
import Testing

/// kill -9 at random points of each stage, then the same command again: the folder ends with the
/// same bytes as an uninterrupted run, and no temporary file is left. Each stage's reference run
/// is made in the same folder first (outputs record their own paths), kept in memory, and the
/// folder removed before the killed runs.
@Suite(.serialized)
struct KillPointTests {
    static let killPoints = 3
    let samples: Samples.Folders
    let scratch = TestPaths.temporaryDirectory("kill-points")

    init() throws { samples = try Samples.folders() }

    /// Runs `arguments` to the end into `folder` for the reference, then `killPoints` times: kill -9
    /// after a seeded random delay within the reference's duration, rerun, compare `compared` (the
    /// folder's bytes by default). Returns (kill points tried, landed while running).
    @discardableResult
    func killAndRerun(
        _ stage: String, _ arguments: [String], folder: String, seed: UInt64,
        compared: (() throws -> [String: Data])? = nil
    ) throws -> (tried: Int, landed: Int) {
        let look = compared ?? { try snapshot(folder) }
        let started = Date()
        try Launcher.vbfgrid(arguments).succeeded()
        let duration = Date().timeIntervalSince(started)
        let reference = try look()
        var uniform = SeededUniform(seed: seed)
        var landed = 0
        for point in 0..<Self.killPoints {
            try FileManager.default.removeItem(atPath: folder)
            let delay = uniform.next(in: 0.05..<max(0.1, duration))
            if try killed(after: delay, arguments, log: scratch.appendingPathComponent("\(stage)-\(point).log")) {
                landed += 1
            }
            try Launcher.vbfgrid(arguments).succeeded()
            let diff = differences(reference, try look())
            #expect(diff.isEmpty, "\(stage) killed after \(delay) s: files differ after the rerun: \(diff)")
            let temporaries = try snapshot(folder).keys.filter { $0.contains(".tmp") || $0.hasSuffix(".partial") }
            #expect(temporaries.isEmpty, "\(stage): temporary files left: \(temporaries)")
        }
        print(
            "kill points: \(stage): \(Self.killPoints) tried, \(landed) while running (reference \(String(format: "%.2f", duration)) s)"
        )
        return (Self.killPoints, landed)
    }

    @Test func generate() throws {
        let out = scratch.appendingPathComponent("generate").path
        try killAndRerun(
            "generate",
            [
                "generate", "--channel", "W_QCD", "--events", "3000", "--seed", "8", "--out", out,
                "--shard-size", "1000",
            ], folder: out, seed: 1)
    }

    @Test func overlay() throws {
        let out = scratch.appendingPathComponent("overlay").path
        try killAndRerun(
            "overlay",
            ["overlay", "--input"] + samples.events + [
                "--minbias", samples.minbias, "--mean", "5",
                "--seed", "9", "--out", out,
            ], folder: out, seed: 2)
    }

    @Test func preprocess() throws {
        let out = scratch.appendingPathComponent("preprocess").path
        try killAndRerun(
            "preprocess", Samples.preprocessArguments(samples, seed: 6) + ["--out", out], folder: out, seed: 3)
    }

    /// Training resumes from its last checkpoint (`--resume`); checkpoints record wall times, so the
    /// comparison is of what the run's model gives: `evaluate`'s outputs of best.h5.
    @Test func train() throws {
        let out = scratch.appendingPathComponent("train").path
        let evaluation = scratch.appendingPathComponent("train-evaluation").path
        try killAndRerun(
            "train",
            [
                "train", "--network", "K-ANN", "--dataset", samples.dataset, "--epochs", "4", "--seed", "3",
                "--out", out, "--resume", "--progress-interval", "100",
            ], folder: out, seed: 4
        ) {
            try? FileManager.default.removeItem(atPath: evaluation)
            try Launcher.vbfgrid(["evaluate", "--run", out, "--dataset", self.samples.dataset, "--out", evaluation])
                .succeeded()
            return try snapshot(evaluation)
        }
    }

    @Test func evaluate() throws {
        let run = scratch.appendingPathComponent("evaluate-run").path
        try Launcher.vbfgrid([
            "train", "--network", "K-ANN", "--dataset", samples.dataset, "--epochs", "1", "--seed", "2",
            "--out", run,
        ]).succeeded()
        let out = scratch.appendingPathComponent("evaluate").path
        try killAndRerun(
            "evaluate", ["evaluate", "--run", run, "--dataset", samples.dataset, "--out", out, "--jes"],
            folder: out, seed: 5)
    }
}
