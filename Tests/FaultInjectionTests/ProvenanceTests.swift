import Foundation
import TestSupport
import Testing

/// Output folders that know what made them (issue BAD 2–5): a rerun with another configuration is
/// refused with the differences listed, `--force` starts clean, the same configuration continues,
/// and two runs cannot write one folder at once.
@Suite(.serialized)
struct ProvenanceTests {
    let samples: Samples.Folders
    let scratch = TestPaths.temporaryDirectory("provenance")

    init() throws { samples = try Samples.folders() }

    func overlay(mean: String, out: String, _ extra: [String] = []) throws -> ProcessOutput {
        try Launcher.vbfgrid(
            [
                "overlay", "--input", samples.events[0], "--minbias", samples.minbias, "--mean", mean,
                "--seed", "5", "--out", out,
            ] + extra)
    }

    @Test("BAD 3: overlay into a folder of another ⟨N⟩ is refused; --force starts again; the same ⟨N⟩ continues")
    func overlayRefusesAnotherMean() throws {
        let out = scratch.appendingPathComponent("overlay").path
        try overlay(mean: "3", out: out).succeeded()
        let first = try snapshot(out)
        let other = try overlay(mean: "20", out: out)
        #expect(
            other.status == 1 && other.stderr.contains("mean: 3 → 20") && other.stderr.contains("--force"),
            "\(other.combined)")
        #expect(try snapshot(out) == first, "a refused run changed nothing")
        let again = try overlay(mean: "3", out: out)
        #expect(again.status == 0 && again.combined.contains("already complete"), "\(again.combined)")
        try overlay(mean: "20", out: out, ["--force"]).succeeded()
        let manifest = try String(contentsOfFile: out + "/overlay-manifest.json", encoding: .utf8)
        #expect(manifest.contains("\"mean\" : 20"))
        #expect(!differences(first, try snapshot(out)).isEmpty)
    }

    @Test("BAD 2: preprocess into a folder of another seed is refused, before any shard is reused")
    func preprocessRefusesAnotherSeed() throws {
        let out = scratch.appendingPathComponent("dataset-s9").path
        try Launcher.vbfgrid(Samples.preprocessArguments(samples, seed: 9) + ["--out", out]).succeeded()
        let before = try snapshot(out)
        let rerun = try Launcher.vbfgrid(Samples.preprocessArguments(samples, seed: 10) + ["--out", out])
        #expect(
            rerun.status == 1 && rerun.stderr.contains("seed: 9 → 10") && !rerun.stdout.contains("already complete"),
            "\(rerun.combined)")
        #expect(try snapshot(out) == before)
        // Another input (a W_EW sample of another seed) is named too.
        let other = scratch.appendingPathComponent("W_EW-s32").path
        try Launcher.vbfgrid([
            "generate", "--channel", "W_EW", "--events", "350", "--seed", "32", "--out", other, "--shard-size", "350",
        ])
        .succeeded()
        let replaced = Samples.preprocessArguments(samples, seed: 9).map { $0 == samples.events[5] ? other : $0 }
        let changed = try Launcher.vbfgrid(replaced + ["--out", out])
        #expect(
            changed.status == 1 && changed.stderr.contains("input \(other): added")
                && changed.stderr.contains("input \(samples.events[5]): removed"), "\(changed.combined)")
    }

    func train(seed: Int, out: String, dataset: String? = nil, epochs: Int = 2, _ extra: [String] = []) -> [String] {
        [
            "train", "--network", "K-ANN", "--dataset", dataset ?? samples.dataset, "--epochs", String(epochs),
            "--seed", String(seed),
            "--out", out, "--progress-interval", "100",
        ] + extra
    }

    @Test("BAD 4: train --resume with another seed, data set or hyperparameter is refused")
    func resumeRefusesChangedArguments() throws {
        let out = scratch.appendingPathComponent("run").path
        try Launcher.vbfgrid(train(seed: 1, out: out)).succeeded()
        let seed = try Launcher.vbfgrid(train(seed: 2, out: out, ["--resume"]))
        #expect(seed.status == 1 && seed.stderr.contains("seed: 1 → 2"), "\(seed.combined)")
        let other = scratch.appendingPathComponent("dataset-other").path
        try Launcher.vbfgrid(Samples.preprocessArguments(samples, seed: 4) + ["--out", other]).succeeded()
        let dataset = try Launcher.vbfgrid(train(seed: 1, out: out, dataset: other, ["--resume"]))
        #expect(
            dataset.status == 1 && dataset.stderr.contains("dataset: \(samples.dataset) → \(other)"),
            "\(dataset.combined)")
        let batch = try Launcher.vbfgrid(train(seed: 1, out: out, ["--resume", "--batch-size", "100"]))
        #expect(batch.status == 1 && batch.stderr.contains("batch-size: (unset) → 100"), "\(batch.combined)")
        // The same arguments resume.
        let same = try Launcher.vbfgrid(train(seed: 1, out: out, epochs: 3, ["--resume"]))
        #expect(
            same.status == 1 && same.stderr.contains("epochs: 2 → 3"), "epochs are part of the run: \(same.combined)")
        try Launcher.vbfgrid(train(seed: 1, out: out, ["--resume"])).succeeded()
    }

    @Test("BAD 5: a second training into the --out of a running one is refused while the first holds the lock")
    func twoTrainingsCannotShareAFolder() throws {
        let out = scratch.appendingPathComponent("shared-run").path
        let first = try BackgroundProcess(
            ranks: nil, train(seed: 1, out: out, epochs: 100_000),
            log: scratch.appendingPathComponent("first.log"))
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: out + "/checkpoints/latest.h5") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        for seed in [2, 1] {
            let second = try Launcher.vbfgrid(train(seed: seed, out: out, epochs: 100_000))
            #expect(
                second.status == 1 && second.stderr.contains("busy")
                    && second.stderr.contains("process \(first.process.processIdentifier)"),
                "\(second.combined)")
        }
        kill(first.process.processIdentifier, SIGTERM)
        let end = first.waitForExit(timeout: 60)
        #expect(end.status == 75, "the first run checkpoints and asks to be resumed")
        // The lock went with it: a resume of the same configuration takes the folder.
        #expect(!FileManager.default.fileExists(atPath: out + "/.lock"))
    }
}
