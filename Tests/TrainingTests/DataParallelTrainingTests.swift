import Foundation
import NeuralNet
import TestSupport
import Testing
import Training

/// `vbfgrid train` on a toy data set in the real format, under real mpirun: k ranks match one
/// rank, reruns are bit-identical, several seeds per job, resume after kill -9 and after a
/// preemption signal, and a NaN in a shard.
@Suite(.serialized)
struct DataParallelTrainingTests {
    static let dataset: URL = {
        let dir = TestPaths.temporaryDirectory("toy-dataset")
        try! ToyDataset.write(to: dir, train: 250, validation: 50)
        return dir
    }()

    /// An uninterrupted 2-rank PJ-LR-CNN run of 3 epochs, shared by the tests that compare with it.
    static let uninterruptedCNN: URL = {
        let out = TestPaths.temporaryDirectory("cnn-2-ranks")
        let run = try! Launcher.mpirun(
            ranks: 2,
            [
                "train", "--network", "PJ-LR-CNN", "--dataset", dataset.path, "--epochs", "3",
                "--seed", "5", "--out", out.path, "--batch-size", "100",
            ], timeout: 600)
        precondition(run.status == 0, run.combined)
        return out
    }()

    /// The run folder of `ranks` ranks for the rank-count comparison.
    func reference(_ network: String, ranks: Int, epochs: Int, base: URL) throws -> URL {
        if network == "PJ-LR-CNN" && ranks == 2 { return Self.uninterruptedCNN }
        let out = base.appendingPathComponent("k\(ranks)")
        try train(network, ranks: ranks, epochs: epochs, out: out)
        return out
    }

    /// Trains and returns the run folder; expects success.
    @discardableResult
    func train(
        _ network: String, ranks: Int, epochs: Int, out: URL, extra: [String] = [],
        environment: [String: String] = [:]
    ) throws -> ProcessOutput {
        let args =
            [
                "train", "--network", network, "--dataset", Self.dataset.path, "--epochs", String(epochs),
                "--seed", "5", "--out", out.path, "--batch-size", "100",
            ] + extra
        let run = try Launcher.mpirun(ranks: ranks, args, environment: environment, timeout: 600)
        #expect(run.status == 0, "\(network) on \(ranks) ranks: \(run.combined)")
        return run
    }

    /// The weights and Nadam state of a checkpoint.
    func state(_ path: URL, _ network: String) throws -> (weights: [Float], m: [Float]) {
        let model = Network(named: network)!.build(maxBatch: 1)
        let optimizer = Nadam(parameterCount: model.parameterCount)
        _ = try Checkpoint.load(from: path.path, model: model, optimizer: optimizer)
        return (model.parameters.array, optimizer.state.m)
    }

    /// Per layer with weights: ‖a − b‖₂ / ‖a‖₂ and max |a − b| / max |a|.
    func differences(_ a: [Float], _ b: [Float], _ network: String) -> [(layer: String, l2: Double, worst: Double)] {
        let model = Network(named: network)!.build(maxBatch: 1)
        return model.parameterRanges.enumerated().filter { !$0.element.isEmpty }.map { i, range in
            let norm = a[range].reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
            let difference = zip(a[range], b[range]).reduce(0.0) { $0 + pow(Double($1.0 - $1.1), 2) }.squareRoot()
            let scale = Double(a[range].map { abs($0) }.max()!)
            let worst = Double(zip(a[range], b[range]).map { abs($0 - $1) }.max()!)
            return (model.layers[i].name, difference / norm, worst / scale)
        }
    }

    /// k ranks against one rank, per layer: the relative L2 difference within
    /// max(floor, margin · spread) and the worst element within max(10 · floor, margin · spread),
    /// where spread is the same figure between one-rank runs that differ only in the order of
    /// their float32 sums.
    ///
    /// Why a measured spread and not a fixed 1e-5: Nadam divides each update by √v̂ + ε, so a
    /// gradient component that nearly cancels over the batch moves its weight by ≈ lr/2
    /// whatever its size, and summation-order noise in such a component — present in the
    /// one-rank sum as much as in the k-rank one — becomes a weight difference that grows with
    /// every step. How large depends on the CPU's BLAS kernels (AVX2 and AVX-512 sum in
    /// different orders), so the bound is measured on the CPU the test runs on: splitting the
    /// batch over k ranks is one more reordering of the same sums and must stay within a few
    /// times the spread of another (`margin`). `floor` covers networks the reordering does not
    /// touch (an ANN has no convolution, its one-rank runs are bit-identical).
    func expectClose(
        _ one: [Float], _ k: [Float], spread: [(layer: String, l2: Double, worst: Double)], _ network: String,
        floor: Double = 1e-5, margin: Double = 4, _ what: String
    ) {
        for (d, s) in zip(differences(one, k, network), spread) {
            let bound = max(floor, margin * s.l2)
            let worstBound = max(10 * floor, margin * s.worst)
            #expect(
                d.l2 <= bound, "\(what): layer \(d.layer): relative L2 difference \(d.l2) > \(bound) (spread \(s.l2))")
            #expect(
                d.worst <= worstBound,
                "\(what): layer \(d.layer): worst element \(d.worst) > \(worstBound) (spread \(s.worst))")
            print(
                String(
                    format: "%@: %@ relative L2 %.2e (spread %.2e), worst element %.2e (spread %.2e)",
                    what, d.layer, d.l2, s.l2, d.worst, s.worst))
        }
    }

    @Test(arguments: [("H-ANN", 20), ("PJ-LR-CNN", 3)])
    func kRanksMatchOneRankAndRerunsAreBitIdentical(network: String, epochs: Int) throws {
        let base = TestPaths.temporaryDirectory("dp-\(network)")
        let runs = try [1, 2, 3].map { try reference(network, ranks: $0, epochs: epochs, base: base) }
        let one = try state(runs[0].appendingPathComponent("checkpoints/latest.h5"), network)
        // One rank again, twice: on the other convolution backend, and on im2col with the kernel
        // gradients summed in chunks of 16 pixels instead of 64. The spread is the larger
        // difference from the first run.
        let other: ConvolutionBackend = ConvolutionBackend.standard == .onednn ? .im2col : .onednn
        let reorderings = [
            ["VBFGRID_CONV_BACKEND": other.rawValue],
            ["VBFGRID_CONV_BACKEND": "im2col", "VBFGRID_CONV_COLUMN_BUDGET": "16384"],
        ]
        var spread = differences(one.weights, one.weights, network)
        for (n, environment) in reorderings.enumerated() {
            let run = base.appendingPathComponent("k1-reordered-\(n)")
            try train(network, ranks: 1, epochs: epochs, out: run, environment: environment)
            let reordered = try state(run.appendingPathComponent("checkpoints/latest.h5"), network)
            spread = zip(spread, differences(one.weights, reordered.weights, network)).map {
                ($0.layer, max($0.l2, $1.l2), max($0.worst, $1.worst))
            }
        }
        for (ranks, run) in zip([2, 3], runs.dropFirst()) {
            let k = try state(run.appendingPathComponent("checkpoints/latest.h5"), network)
            expectClose(one.weights, k.weights, spread: spread, network, "\(ranks) ranks vs 1 rank")
        }
        try train(network, ranks: 2, epochs: epochs, out: base.appendingPathComponent("k2-again"))
        let first = try state(runs[1].appendingPathComponent("checkpoints/latest.h5"), network)
        let again = try state(base.appendingPathComponent("k2-again/checkpoints/latest.h5"), network)
        #expect(first.weights == again.weights && first.m == again.m, "same (seed, ranks) must be bit-identical")

        let history =
            try JSONSerialization.jsonObject(with: Data(contentsOf: runs[0].appendingPathComponent("history.json")))
            as! [[String: Any]]
        #expect(history.count == epochs)
        #expect(FileManager.default.fileExists(atPath: runs[0].appendingPathComponent("best.h5").path))
        if network == "PJ-LR-CNN" {
            #expect((history.last?["validation_accuracy"] as? Double ?? 0) > 0.95, "the CNN learns the toy images")
        }
    }

    @Test func threeSeedsInOneJobEqualThreeSeparateRuns() throws {
        let base = TestPaths.temporaryDirectory("seeds")
        try train(
            "H-ANN", ranks: 6, epochs: 5, out: base.appendingPathComponent("together"), extra: ["--seeds", "5,6,7"])
        for seed in [5, 6, 7] {
            let alone = base.appendingPathComponent("alone-\(seed)")
            let run = try Launcher.mpirun(
                ranks: 2,
                [
                    "train", "--network", "H-ANN", "--dataset", Self.dataset.path, "--epochs", "5",
                    "--seed", String(seed), "--out", alone.path, "--batch-size", "100",
                ], timeout: 300)
            #expect(run.status == 0, "\(run.combined)")
            let together = try state(
                base.appendingPathComponent("together/seed-\(seed)/checkpoints/latest.h5"), "H-ANN")
            let separate = try state(alone.appendingPathComponent("checkpoints/latest.h5"), "H-ANN")
            #expect(
                together.weights == separate.weights, "seed \(seed): the group of 2 ranks equals a separate 2-rank run")
        }
    }

    /// A 2-rank PJ-LR-CNN run in the background, as the uninterrupted reference but interruptible.
    func startCNN(_ label: String) throws -> (job: BackgroundProcess, out: URL) {
        let base = TestPaths.temporaryDirectory(label)
        let out = base.appendingPathComponent("run")
        let job = try BackgroundProcess(
            ranks: 2,
            [
                "train", "--network", "PJ-LR-CNN", "--dataset", Self.dataset.path, "--epochs", "3",
                "--seed", "5", "--out", out.path, "--batch-size", "100", "--progress-interval", "0",
            ],
            log: base.appendingPathComponent("run.log"))
        return (job, out)
    }

    /// Resumes `out` to the end and compares it bit for bit with the uninterrupted run.
    func expectResumeMatchesUninterrupted(_ out: URL, _ what: String) throws {
        try train("PJ-LR-CNN", ranks: 2, epochs: 3, out: out, extra: ["--resume"])
        let a = try state(Self.uninterruptedCNN.appendingPathComponent("checkpoints/latest.h5"), "PJ-LR-CNN")
        let b = try state(out.appendingPathComponent("checkpoints/latest.h5"), "PJ-LR-CNN")
        #expect(a.weights == b.weights && a.m == b.m, "resume after \(what) is bit-identical")
    }

    @Test func killOneRankMidEpochThenResumeGivesIdenticalWeights() throws {
        let (job, out) = try startCNN("kill")
        #expect(job.waitFor("epoch 2/3 batch 1/3", timeout: 300), "\(job.output)")
        let rank = try #require(job.children.last)
        kill(rank, SIGKILL)
        let killedAt = Date()
        let end = job.waitForExit(timeout: 60)
        #expect(!end.timedOut && end.status != 0)
        #expect(Date().timeIntervalSince(killedAt) < 30, "every rank must end within 30 s")
        try expectResumeMatchesUninterrupted(out, "kill -9 of a rank")
    }

    @Test func preemptionSignalCheckpointsExitsSeventyFiveAndResumesIdentically() throws {
        let (job, out) = try startCNN("usr1")
        #expect(job.waitFor("epoch 1/3 batch 1/3", timeout: 300), "\(job.output)")
        for rank in job.children { kill(rank, SIGUSR1) }
        let end = job.waitForExit(timeout: 120)
        #expect(end.status == Preemption.exitStatus, "exit status after a preemption signal: \(job.output)")
        #expect(job.output.contains("stopped on a preemption signal"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("checkpoints/latest.h5").path))
        try expectResumeMatchesUninterrupted(out, "a preemption signal")
    }

    @Test func aNaNInAShardStopsTrainingNamingTheShard() throws {
        let dir = TestPaths.temporaryDirectory("nan-dataset")
        try ToyDataset.write(to: dir, train: 250, validation: 50, poison: ("train", 0, 17))
        let out = TestPaths.temporaryDirectory("nan-run")
        let run = try Launcher.mpirun(
            ranks: 2,
            [
                "train", "--network", "PJ-LR-CNN", "--dataset", dir.path, "--epochs", "2",
                "--seed", "5", "--out", out.path, "--batch-size", "100",
            ], timeout: 300)
        #expect(run.status != 0 && !run.timedOut)
        #expect(run.combined.contains("train/shard-00000.h5: event 17: a non-finite input value"), "\(run.combined)")
        let checkpoints =
            (try? FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("checkpoints").path)) ?? []
        #expect(
            checkpoints.filter { $0.hasSuffix(".h5") }.isEmpty,
            "no checkpoint after a failed first epoch: \(checkpoints)")
    }

    @Test func badArgumentsGiveClearErrors() throws {
        let missing = try Launcher.vbfgrid([
            "train", "--network", "K-ANN", "--dataset", "/nonexistent", "--out", "/tmp/x", "--epochs", "1",
        ])
        #expect(missing.status != 0 && missing.combined.contains("/nonexistent/manifest.json: missing"))
        let unknown = try Launcher.vbfgrid(["train", "--network", "Q-ANN", "--summary"])
        #expect(unknown.status != 0 && unknown.combined.contains("unknown network 'Q-ANN'"))
        let tooFew = try Launcher.mpirun(
            ranks: 2,
            [
                "train", "--network", "K-ANN", "--dataset", Self.dataset.path,
                "--out", "/tmp/x", "--seeds", "3",
            ])
        #expect(tooFew.status != 0 && tooFew.combined.contains("3 seeds need at least 3 ranks"))
    }
}
