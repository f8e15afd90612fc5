import Foundation
import TestSupport
import Testing

/// `vbfgrid preprocess` end to end: identical bytes for 1, 3 and 5 ranks and after a killed run,
/// the class mixture, z-score statistics against NumPy, and bad input.
@Suite(.serialized)
struct PreprocessStageTests {
    static let arguments = [
        "--met-cut", "200", "--images", "PJ-LR,Pmet-HR", "--train", "200", "--validation", "60", "--seed", "4",
    ]

    func preprocess(ranks: Int, out: URL, inputs: [String]? = nil) throws -> ProcessOutput {
        try Launcher.mpirun(
            ranks: ranks,
            ["preprocess", "--input"] + (inputs ?? SampleEvents.physics()) + ["--out", out.path] + Self.arguments,
            timeout: 600)
    }

    /// The data set of one rank without mpirun, made once.
    static let singleRank = Result<URL, any Error> {
        let out = TestPaths.temporaryDirectory("preprocess-1")
        try Launcher.vbfgrid(
            ["preprocess", "--input"] + SampleEvents.physics() + ["--out", out.path] + arguments, timeout: 600
        ).succeeded()
        return out
    }

    @Test func oneThreeAndFiveRanksWriteIdenticalBytes() throws {
        let expected = try SampleEvents.contents(try Self.singleRank.get())
        #expect(expected.keys.contains("manifest.json") && expected.keys.contains("average-images.h5"))
        for ranks in [3, 5] {
            let out = TestPaths.temporaryDirectory("preprocess-\(ranks)")
            let run = try preprocess(ranks: ranks, out: out)
            #expect(run.status == 0, "\(run.combined)")
            #expect(try SampleEvents.contents(out) == expected, "\(ranks) ranks")
        }
    }

    @Test func aKilledRunThenARerunGivesTheSameBytes() throws {
        let out = TestPaths.temporaryDirectory("preprocess-killed")
        let job = try BackgroundProcess(
            ranks: 3, ["preprocess", "--input"] + SampleEvents.physics() + ["--out", out.path] + Self.arguments,
            log: out.deletingLastPathComponent().appendingPathComponent("\(out.lastPathComponent).log"))
        _ = job.waitFor("preprocess: build", timeout: 120)
        let ranks = job.children
        kill(job.process.processIdentifier, SIGKILL)
        for rank in ranks { kill(rank, SIGKILL) }
        _ = job.waitForExit(timeout: 30)
        let rerun = try preprocess(ranks: 2, out: out)
        #expect(rerun.status == 0, "\(rerun.combined)")
        var files = try SampleEvents.contents(out)
        files = files.filter { !$0.key.contains(".tmp-") }
        #expect(files == (try SampleEvents.contents(try Self.singleRank.get())))
    }

    @Test func mixtureCountsAndZScoresMatchNumPy() throws {
        let report = try Python.run(
            """
            import glob, json, sys, h5py, numpy as np
            d = sys.argv[1]; m = json.load(open(d + '/manifest.json'))
            feats, labels, channels = [], [], {}
            for split in ['train', 'validation']:
                lab = []
                for s in m['splits'][split]['shards']:
                    f = h5py.File(d + '/' + s['file'])
                    feats.append(np.hstack([f['features/K'][:], f['features/R'][:]]))
                    lab += list(f['label'][:])
                    for c in f['channel'][:]: channels.setdefault(split, {}).setdefault(int(c), 0); channels[split][int(c)] += 1
                    assert f['images/PJ-LR'].shape[1:] == (59, 45) and f['images/Pmet-HR'].shape[1:] == (125, 95)
                labels.append(float(np.mean(lab)))
            x = np.vstack(feats).astype(np.float64)
            mean = np.concatenate([m['features']['K']['mean'], m['features']['R']['mean']])
            std = np.concatenate([m['features']['K']['std'], m['features']['R']['std']])
            print(json.dumps(dict(mean=float(np.max(np.abs(mean - x.mean(0)) / (np.abs(x.mean(0)) + 1e-12))),
                                  std=float(np.max(np.abs(std - x.std(0)) / x.std(0))),
                                  signal=labels, train=channels['train'], n=len(x))))
            """, [try Self.singleRank.get().path])
        let r = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: Any]
        #expect(r["n"] as? Int == 260)
        #expect((r["mean"] as! Double) < 1e-9, "z-score means vs NumPy")
        #expect((r["std"] as! Double) < 1e-6, "z-score standard deviations vs NumPy")
        #expect(r["signal"] as? [Double] == [0.5, 0.5], "balanced classes")
        // 100 signal = 44.8 S_EW + 55.2 S_QCD → 45 + 55; 100 background → 51 Z_QCD, 45 W_QCD, 2 Z_EW, 2 W_EW.
        let train = r["train"] as! [String: Int]
        #expect(train == ["0": 45, "1": 55, "2": 51, "3": 45, "4": 2, "5": 2], "\(train)")
    }

    @Test func badInputGivesAClearErrorAndLeavesExistingOutputsAlone() throws {
        let out = TestPaths.temporaryDirectory("preprocess-bad")
        try FileManager.default.removeItem(at: out)
        try FileManager.default.copyItem(at: try Self.singleRank.get(), to: out)
        let before = try SampleEvents.contents(out)

        let missing = try preprocess(ranks: 2, out: out, inputs: Array(try SampleEvents.physics().dropLast()))
        #expect(missing.status != 0 && missing.combined.contains("no selected events of W_EW"), "\(missing.combined)")

        let tooMany = try Launcher.vbfgrid(
            ["preprocess", "--input"] + SampleEvents.physics()
                + ["--out", out.path, "--train", "100000", "--validation", "10", "--seed", "1"])
        #expect(tooMany.status != 0 && tooMany.combined.contains("are needed"), "\(tooMany.combined)")

        let broken = TestPaths.temporaryDirectory("broken-inputs")
        let file = try FileManager.default.contentsOfDirectory(atPath: try SampleEvents.physics()[2]).sorted()[0]
        let data = try Data(
            contentsOf: URL(fileURLWithPath: try SampleEvents.physics()[2]).appendingPathComponent(file))
        try data.prefix(data.count / 3).write(to: broken.appendingPathComponent(file))
        let truncated = try preprocess(ranks: 2, out: out, inputs: try SampleEvents.physics() + [broken.path])
        #expect(truncated.status != 0 && truncated.combined.contains(file), "\(truncated.combined)")

        let particles = TestPaths.temporaryDirectory("particles")
        let generated = try Launcher.vbfgrid([
            "generate", "--channel", "S_EW", "--events", "10", "--seed", "1",
            "--out", particles.appendingPathComponent("ev.h5").path, "--keep-particles",
        ])
        #expect(generated.status == 0, "\(generated.combined)")
        let particleFile = try FileManager.default.contentsOfDirectory(atPath: particles.path).first {
            $0.contains("particle")
        }
        if let particleFile {
            let wrongFormat = try preprocess(
                ranks: 1, out: out,
                inputs: try SampleEvents.physics() + [particles.appendingPathComponent(particleFile).path])
            #expect(
                wrongFormat.status != 0 && wrongFormat.combined.contains("expected 'vbfgrid.events'"),
                "\(wrongFormat.combined)")
        }
        #expect(try SampleEvents.contents(out) == before, "a failed run must not touch a finished data set")
    }
}
