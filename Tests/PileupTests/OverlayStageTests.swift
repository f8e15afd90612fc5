import Foundation
import TestSupport
import Testing

/// `vbfgrid overlay` end to end: Poisson statistics of N, the E_T added, ⟨N⟩ = 0 changing nothing,
/// identical bytes for 1, 3 and 5 ranks, and bad input.
@Suite(.serialized)
struct OverlayStageTests {
    func overlay(_ input: [String], mean: Double, ranks: Int = 1, out: URL, extra: [String] = []) throws
        -> ProcessOutput
    {
        try Launcher.mpirun(
            ranks: ranks,
            ["overlay", "--input"] + input + [
                "--minbias", SampleEvents.minbias(), "--mean", String(mean),
                "--seed", "17", "--out", out.path,
            ] + extra, timeout: 600)
    }

    @Test(arguments: [20.0, 50.0])
    func pileupCountIsPoissonAndAddsTheMinBiasEnergy(mean: Double) throws {
        let out = TestPaths.temporaryDirectory("overlay-\(Int(mean))")
        let inputs = try SampleEvents.physics() // 9,000 events
        let run = try overlay(inputs, mean: mean, ranks: 2, out: out, extra: ["--keep-hard-objects"])
        #expect(run.status == 0, "\(run.combined)")
        let stats = try Python.run(
            """
            import glob, json, sys, h5py, numpy as np
            out, inputs = sys.argv[1], sys.argv[2:]
            n, added = [], []
            for folder in inputs:
                for path in sorted(glob.glob(folder + '/*.h5')):
                    a, b = h5py.File(path), h5py.File(out + '/' + path.split('/')[-1])
                    def sums(f):
                        o = f['towers/offsets'][:]; et = f['towers/et'][:]
                        return np.add.reduceat(et, o[:-1]) if len(et) else np.zeros(len(o) - 1)
                    n += list(b['pileup/n'][:]); added += list(sums(b) - sums(a))
            lib = []
            for path in sorted(glob.glob(inputs[0] + '/../minbias/*.h5')):
                f = h5py.File(path); o = f['towers/offsets'][:]; lib += list(np.add.reduceat(f['towers/et'][:], o[:-1]))
            n = np.array(n, dtype=float); added = np.array(added)
            print(json.dumps(dict(count=len(n), mean=float(n.mean()), var=float(n.var(ddof=1)), added=float(added.mean()),
                                  per=float(np.mean(lib)), ratio=float(np.sum(added) / np.sum(n)))))
            """, [out.path] + inputs)
        let s = try JSONSerialization.jsonObject(with: Data(stats.utf8)) as! [String: Double]
        let count = s["count"]!
        #expect(count >= 5000)
        #expect(
            abs(s["mean"]! - mean) < 3 * (mean / count).squareRoot(), "mean of pileup/n \(s["mean"]!) vs ⟨N⟩ \(mean)")
        // Dispersion test: (n−1)·s²/⟨N⟩ ~ χ²(n−1) for Poisson data; within ±4σ of n−1.
        let dispersion = (count - 1) * s["var"]! / mean
        #expect(
            abs(dispersion - (count - 1)) < 4 * (2 * (count - 1)).squareRoot(), "dispersion index \(s["var"]! / mean)")
        // E_T added per event = N × ⟨ΣE_T⟩ of the library on average (3% for sampling fluctuations).
        #expect(
            abs(s["added"]! - mean * s["per"]!) < 0.03 * mean * s["per"]!, "added \(s["added"]!) vs \(mean * s["per"]!)"
        )
        #expect(abs(s["ratio"]! - s["per"]!) < 0.03 * s["per"]!)
    }

    @Test func zeroMeanLeavesEventsUnchangedBitForBit() throws {
        let out = TestPaths.temporaryDirectory("overlay-0")
        #expect(try overlay([try SampleEvents.physics()[0]], mean: 0, out: out).status == 0)
        let same = try Python.run(
            """
            import glob, sys, h5py, numpy as np
            ok = True
            for path in sorted(glob.glob(sys.argv[1] + '/*.h5')):
                a, b = h5py.File(path), h5py.File(sys.argv[2] + '/' + path.split('/')[-1])
                for k in ['towers/et', 'towers/eta', 'towers/phi', 'towers/offsets', 'jets/pt', 'jets/eta', 'jets/phi',
                          'jets/mass', 'leptons/pt', 'met/value', 'met/phi', 'channel', 'weight']:
                    ok = ok and np.array_equal(a[k][:], b[k][:])
                ok = ok and not b['pileup/n'][:].any()
            print(ok)
            """, [try SampleEvents.physics()[0], out.path])
        #expect(same.trimmingCharacters(in: .whitespacesAndNewlines) == "True")
    }

    @Test func reclusteredOutputIsIdenticalForOneThreeAndFiveRanks() throws {
        var reference: [String: Data]?
        for ranks in [1, 3, 5] {
            let out = TestPaths.temporaryDirectory("overlay-ranks-\(ranks)")
            let run = try overlay([try SampleEvents.physics()[4]], mean: 20, ranks: ranks, out: out)
            #expect(run.status == 0, "\(run.combined)")
            var files = try SampleEvents.contents(out)
            files["overlay-manifest.json"] = nil // names the output folder
            if let reference { #expect(files == reference, "\(ranks) ranks") } else { reference = files }
        }
        #expect(reference?.count == 2 + 1) // the events file, the manifest, producer.json
    }

    @Test func badInputNamesTheFileAndLeavesOutputsAlone() throws {
        let out = TestPaths.temporaryDirectory("overlay-bad")
        let notMinBias = try Launcher.vbfgrid([
            "overlay", "--input", SampleEvents.physics()[0], "--minbias", SampleEvents.physics()[1],
            "--mean", "5", "--seed", "1", "--out", out.path,
        ])
        #expect(notMinBias.status != 0 && notMinBias.combined.contains("a min-bias library needs MINBIAS events"))
        let truncated = out.appendingPathComponent("input")
        try FileManager.default.createDirectory(at: truncated, withIntermediateDirectories: true)
        let source = try FileManager.default.contentsOfDirectory(atPath: try SampleEvents.physics()[0]).sorted()[0]
        let data = try Data(
            contentsOf: URL(fileURLWithPath: try SampleEvents.physics()[0]).appendingPathComponent(source))
        try data.prefix(data.count / 2).write(to: truncated.appendingPathComponent(source))
        let result = out.appendingPathComponent("result")
        let run = try Launcher.mpirun(
            ranks: 2,
            [
                "overlay", "--input", truncated.path, "--minbias", SampleEvents.minbias(),
                "--mean", "5", "--seed", "1", "--out", result.path,
            ], timeout: 120)
        #expect(run.status != 0 && !run.timedOut)
        #expect(run.combined.contains(source), "the message names the file: \(run.combined)")
        #expect(!FileManager.default.fileExists(atPath: result.appendingPathComponent("overlay-manifest.json").path))
        let negative = try Launcher.vbfgrid([
            "overlay", "--input", truncated.path, "--minbias", SampleEvents.minbias(),
            "--mean=-1", "--seed", "1", "--out", result.path,
        ])
        #expect(negative.status != 0 && negative.combined.contains("--mean must be a finite number ≥ 0"))
    }
}
