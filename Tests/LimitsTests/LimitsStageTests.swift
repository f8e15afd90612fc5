import Foundation
import Limits
import TestSupport
import Testing

/// `vbfgrid limits --evaluations` and `--cut-based` on the small pipeline: the bands, the yields
/// (summing to N_c(L)), the exported workspaces checked with pyhf, several seeds, and errors.
@Suite(.serialized) struct LimitsStageTests {
    static func limits(_ arguments: [String]) throws -> ProcessOutput {
        try Launcher.vbfgrid(["limits"] + arguments, timeout: 300)
    }

    @Test func networkLimitsAgreeWithPyhf() throws {
        let f = try Pipeline.folders()
        let out = f.root.appendingPathComponent("limits-nn").path
        let run = try Self.limits([
            "--evaluations", f.evaluation(1), "--dataset", f.dataset, "--analysis", "K-ANN",
            "--luminosities", "36,140,300", "--out", out, "--jes", "--bins", "3",
        ])
        #expect(run.status == 0, "\(run.combined)")
        let report = try Pipeline.json(out + "/limits.json")
        let all = report["luminosities"] as! [[String: Any]]
        #expect(
            all.map { $0["binning"] as! String } == ["equal_width", "background_quantiles"].flatMap { [$0, $0, $0] })
        let sigmaEff = report["sigma_efficiency_fb"] as! [String: Double]
        var medians: [String: [Double]] = [:]
        for rule in ["equal_width", "background_quantiles"] {
            let lumis = all.filter { $0["binning"] as! String == rule }
            #expect(lumis.map { $0["luminosity_fb"] as! Double } == [36, 140, 300])
            for l in lumis {
                let band = l["band"] as! [String: Double]
                let values = ["-2", "-1", "0", "1", "2"].map { band[$0]! }
                #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 } && values[0] > 0, "\(values)")
                medians[rule, default: []].append(values[2])
                // Every event is in a bin: each sample's yields sum to σ·ε·L.
                let yields = l["yields"] as! [String: [Double]]
                for (name, counts) in yields {
                    let expected = sigmaEff[name]! * (l["luminosity_fb"] as! Double)
                    #expect(
                        abs(counts.reduce(0, +) - expected) <= 1e-9 * expected, "\(name): \(counts) vs \(expected)")
                }
                // The quantile rule has as many bins, fewer only when background outputs tie.
                let edges = l["edges"] as! [Double]
                #expect(rule == "equal_width" ? edges.count == 4 : (2...4).contains(edges.count), "\(edges)")
                if rule == "background_quantiles" {
                    let background = ["Z_QCD", "W_QCD", "Z_EW", "W_EW"].map { yields[$0]! }
                    #expect(edges.indices.dropLast().allSatisfy { b in background.contains { $0[b] > 0 } })
                }
                #expect(FileManager.default.fileExists(atPath: out + "/" + (l["workspace"] as! String)))
            }
            let m = medians[rule]!
            #expect(m[0] > m[1] && m[1] > m[2], "\(rule): limits improve with luminosity: \(m)")
        }
        let seeds = report["seeds"] as! [[String: Any]]
        #expect(seeds.count == 1 && (seeds[0]["binning"] as! [String: Any])["edges"] != nil)
        #expect((report["systematics"] as! [String: Any])["jes"] as! Bool)

        // The exported workspaces of both rules, given to pyhf, give the same medians.
        let script = TestPaths.repositoryRoot.appendingPathComponent("tools/pyhf_limits.py").path
        for (file, median) in [
            ("workspace-36.json", medians["equal_width"]![0]),
            ("workspace-36-quantiles.json", medians["background_quantiles"]![0]),
        ] {
            let pyhf = try Launcher.run(
                try Python.pyhf(), [script, out + "/" + file, "--tolerance", "1e-10", "--rtol", "1e-6"], timeout: 900)
            #expect(pyhf.status == 0, "\(pyhf.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(pyhf.stdout.utf8)) as! [String: Any]
            let pyhfMedian = (object["expected"] as! [String: Double])["0"]!
            #expect(abs(median - pyhfMedian) / pyhfMedian < 1e-4, "\(file): vbfgrid \(median) vs pyhf \(pyhfMedian)")
        }
    }

    @Test func severalSeedsGiveMeanAndSpread() throws {
        let f = try Pipeline.folders()
        let out = f.root.appendingPathComponent("limits-seeds").path
        let run = try Self.limits([
            "--evaluations", f.evaluation(1), f.evaluation(2), "--dataset", f.dataset, "--analysis", "K-ANN",
            "--luminosities", "36", "--out", out, "--bins", "3",
        ])
        #expect(run.status == 0, "\(run.combined)")
        let report = try Pipeline.json(out + "/limits.json")
        let seeds = report["seeds"] as! [[String: Any]]
        #expect(seeds.count == 2)
        let aucs = seeds.map { $0["auc"] as! Double }
        #expect(abs((report["auc_mean"] as! Double) - (aucs[0] + aucs[1]) / 2) < 1e-12)
        #expect(abs((report["auc_std"] as! Double) - abs(aucs[0] - aucs[1]) / 2.0.squareRoot()) < 1e-12)
        let medians = seeds.map { (($0["luminosities"] as! [[String: Any]])[0]["band"] as! [String: Double])["0"]! }
        let l = (report["luminosities"] as! [[String: Any]])[0]
        #expect(abs((l["median_mean"] as! Double) - (medians[0] + medians[1]) / 2) < 1e-12)
        #expect(abs((l["median_std"] as! Double) - abs(medians[0] - medians[1]) / 2.0.squareRoot()) < 1e-12)
        for i in 0..<2 {
            #expect(FileManager.default.fileExists(atPath: out + "/workspace-36-seed\(i).json"))
            #expect(FileManager.default.fileExists(atPath: out + "/workspace-36-seed\(i)-quantiles.json"))
        }
    }

    @Test func cutBasedLimits() throws {
        let f = try Pipeline.folders()
        var medians: [String: Double] = [:]
        var totals: [String: Double] = [:]
        for (variable, cut) in [("mjj", "200"), ("mjj", "250"), ("deta", "200")] {
            let out = f.root.appendingPathComponent("limits-\(variable)-\(cut)").path
            let run = try Self.limits([
                "--cut-based", variable, "--met-cut", cut, "--dataset", f.dataset, "--luminosities", "36,140",
                "--out", out,
            ])
            #expect(run.status == 0, "\(run.combined)")
            let report = try Pipeline.json(out + "/limits.json")
            #expect(report["kind"] as! String == "cut-based" && report["met_cut"] as! Double == Double(cut)!)
            let l = (report["luminosities"] as! [[String: Any]])[0]
            medians["\(variable)\(cut)"] = (l["band"] as! [String: Double])["0"]!
            totals["\(variable)\(cut)"] = (l["yields"] as! [String: [Double]]).values.reduce(0) { $0 + $1.reduce(0, +) }
            // The used edges are the fixed ones, some merged: first and last always kept.
            let edges = l["edges"] as! [Double],
                fixed = variable == "mjj" ? CutBasedLimits.Variable.mjj.edges : CutBasedLimits.Variable.deta.edges
            #expect(
                edges.count >= 2 && Set(edges).isSubset(of: fixed) && edges.first == fixed.first
                    && edges.last == fixed.last)
        }
        // met > 250 keeps fewer events than met > 200 (the data set's baseline, where all events pass).
        #expect(totals["mjj250"]! < totals["mjj200"]!)
        #expect(abs(totals["mjj200"]! - totals["deta200"]!) < 1e-9 * totals["mjj200"]!)
        #expect(medians.values.allSatisfy { $0 > 0 && $0.isFinite }, "\(medians)")
    }

    /// Physics-table numbers and systematics from the command line reach limits.json and the workspace.
    @Test func overridesReachTheModel() throws {
        let f = try Pipeline.folders()
        let out = f.root.appendingPathComponent("limits-overrides").path
        let run = try Self.limits([
            "--cut-based", "mjj", "--dataset", f.dataset, "--luminosities", "36", "--out", out,
            "--physics", "signal_yield=2000,fractions.S_EW=0.5,fractions.S_QCD=0.5",
            "--xsec-uncertainty", "S_QCD=0.15", "--lumi-uncertainty", "0.03",
        ])
        #expect(run.status == 0, "\(run.combined)")
        let report = try Pipeline.json(out + "/limits.json")
        let sigmaEff = report["sigma_efficiency_fb"] as! [String: Double]
        #expect(abs(sigmaEff["S_EW"]! - 1000.0 / 36) < 1e-9 && abs(sigmaEff["S_QCD"]! - 1000.0 / 36) < 1e-9)
        let workspace = try Pipeline.json(out + "/workspace-36.json")
        let samples = ((workspace["channels"] as! [[String: Any]])[0]["samples"] as! [[String: Any]])
        let qcd = samples.first { $0["name"] as! String == "S_QCD" }!["modifiers"] as! [[String: Any]]
        let normsys = qcd.first { $0["type"] as! String == "normsys" }!["data"] as! [String: Double]
        #expect(normsys == ["hi": 1.15, "lo": 0.85])
        let parameters =
            ((workspace["measurements"] as! [[String: Any]])[0]["config"] as! [String: Any])["parameters"]
            as! [[String: Any]]
        #expect(parameters.first { $0["name"] as! String == "lumi" }!["sigmas"] as! [Double] == [0.03])
        // Into a new folder: the finished one would refuse another configuration before reading --physics.
        let bad = try Self.limits([
            "--cut-based", "mjj", "--dataset", f.dataset, "--out", out + "-bad", "--physics", "signal=3",
        ])
        #expect(bad.status != 0 && bad.stderr.contains("unknown physics-table number 'signal'"), "\(bad.combined)")
    }

    @Test func degenerateInputsGiveClearErrors() throws {
        let f = try Pipeline.folders()
        let out = f.root.appendingPathComponent("limits-errors").path
        // A missing evaluation folder.
        var run = try Self.limits([
            "--evaluations", f.root.appendingPathComponent("no-eval").path, "--dataset", f.dataset,
            "--luminosities", "36", "--out", out,
        ])
        #expect(
            run.status == 1 && run.stderr.contains("no-eval") && run.stderr.contains("no such file"), "\(run.combined)")
        // Outputs of another data set (a second preprocess of the same events with another seed).
        let other = f.root.appendingPathComponent("data-other").path
        if !FileManager.default.fileExists(atPath: other + "/manifest.json") {
            let events = f.root.appendingPathComponent("events")
            let inputs = ["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"].map {
                events.appendingPathComponent($0).path
            }
            try Launcher.vbfgrid(
                ["preprocess", "--input"] + inputs + [
                    "--out", other, "--met-cut", "200",
                    "--images", "PJ-LR", "--train", "400", "--validation", "600", "--seed", "4",
                ]
            ).succeeded()
        }
        run = try Self.limits([
            "--evaluations", f.evaluation(1), "--dataset", other, "--luminosities", "36", "--out", out,
        ])
        #expect(run.status == 1 && run.stderr.contains("evaluated on another data set"), "\(run.combined)")
        // --jes without JES outputs: an evaluation written without --jes.
        let plain = f.root.appendingPathComponent("eval-plain").path
        try Launcher.vbfgrid(["evaluate", "--run", f.run(1), "--dataset", f.dataset, "--out", plain]).succeeded()
        run = try Self.limits([
            "--evaluations", plain, "--dataset", f.dataset, "--luminosities", "36", "--out", out, "--jes",
        ])
        #expect(run.status == 1 && run.stderr.contains("score_jes_up"), "\(run.combined)")
        // Fewer than three output bins.
        run = try Self.limits([
            "--evaluations", plain, "--dataset", f.dataset, "--luminosities", "36", "--out", out, "--bins", "2",
        ])
        #expect(run.status != 0 && run.stderr.contains("--bins must be at least 3"), "\(run.combined)")
        // An empty channel: the same shards with W_EW's validation count removed from the manifest.
        let empty = f.root.appendingPathComponent("data-empty-channel")
        try? FileManager.default.removeItem(at: empty)
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        for split in ["train", "validation"] {
            try FileManager.default.createSymbolicLink(
                atPath: empty.appendingPathComponent(split).path,
                withDestinationPath: f.dataset + "/" + split)
        }
        var manifest = try Pipeline.json(f.dataset + "/manifest.json")
        var splits = manifest["splits"] as! [String: Any], validation = splits["validation"] as! [String: Any]
        var perChannel = validation["events_per_channel"] as! [String: Int]
        perChannel["W_EW"] = nil
        validation["events_per_channel"] = perChannel
        splits["validation"] = validation
        manifest["splits"] = splits
        try JSONSerialization.data(withJSONObject: manifest).write(to: empty.appendingPathComponent("manifest.json"))
        run = try Self.limits(["--cut-based", "mjj", "--dataset", empty.path, "--luminosities", "36", "--out", out])
        #expect(run.status == 1 && run.stderr.contains("channel W_EW has no validation events"), "\(run.combined)")
        // Bad modes and values.
        run = try Self.limits(["--cut-based", "ptj", "--dataset", f.dataset, "--out", out])
        #expect(run.status != 0 && run.stderr.contains("expected mjj or deta"), "\(run.combined)")
        run = try Self.limits(["--cut-based", "mjj", "--dataset", f.dataset, "--out", out, "--luminosities", "36,-1"])
        #expect(run.status != 0 && run.stderr.contains("--luminosities"), "\(run.combined)")
        #expect(!run.combined.contains("Fatal error"))
    }

    /// A NaN in the cut-based observable is refused, naming the data set, the event and the
    /// feature, as train and evaluate refuse the same data set.
    @Test func aNaNInTheObservableIsRefused() throws {
        let f = try Pipeline.folders()
        let damaged = f.root.appendingPathComponent("data-nan")
        try? FileManager.default.removeItem(at: damaged)
        try FileManager.default.copyItem(atPath: f.dataset, toPath: damaged.path)
        let shard = try #require(
            try Pipeline.json(damaged.path + "/manifest.json")["splits"].flatMap {
                (($0 as? [String: Any])?["validation"] as? [String: Any])?["shards"] as? [[String: Any]]
            }?.first?["file"] as? String)
        _ = try Python.run(
            """
            import hashlib, sys, h5py, numpy as np
            with h5py.File(sys.argv[1], "r+") as f:
                k = f["features/K"][...]
                k[3, 2] = np.nan
                f["features/K"][...] = k
                # A NaN written by a faulty writer: the dataset's checksum matches its values.
                f["features/K"].attrs["sha256"] = np.bytes_(hashlib.sha256(k.astype("<f4").tobytes()).hexdigest())
            """, [damaged.path + "/" + shard])
        let out = f.root.appendingPathComponent("limits-nan").path
        let run = try Self.limits([
            "--cut-based", "mjj", "--met-cut", "200", "--dataset", damaged.path, "--luminosities", "36",
            "--out", out,
        ])
        #expect(
            run.status != 0 && run.stderr.contains("data-nan") && run.stderr.contains("'m_jj' is nan"),
            "\(run.combined)")
        #expect(!FileManager.default.fileExists(atPath: out + "/limits.json"))
    }
}
