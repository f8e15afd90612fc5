import Foundation
import TestSupport
import Testing

/// `vbfgrid evaluate` on the small pipeline: the same bytes from 1, 2 and 3 ranks, and the AUC of
/// metrics.json equal to a NumPy Mann–Whitney computation on outputs.h5.
@Suite(.serialized) struct EvaluateStageTests {
    @Test func outputsAreIdenticalForOneTwoAndThreeRanks() throws {
        let f = try Pipeline.folders()
        for ranks in [2, 3] {
            try Launcher.mpirun(
                ranks: ranks,
                [
                    "evaluate", "--run", f.run(1), "--dataset", f.dataset,
                    "--out", f.evaluation(1, ranks: ranks), "--jes",
                ]
            ).succeeded()
        }
        let one = try Data(contentsOf: URL(fileURLWithPath: f.evaluation(1) + "/outputs.h5"))
        #expect(one.count > 600 * 20)
        for ranks in [2, 3] {
            let other = try Data(contentsOf: URL(fileURLWithPath: f.evaluation(1, ranks: ranks) + "/outputs.h5"))
            #expect(other == one, "outputs.h5 of \(ranks) ranks differs from 1 rank")
            let metrics = try Data(contentsOf: URL(fileURLWithPath: f.evaluation(1, ranks: ranks) + "/metrics.json"))
            #expect(metrics == (try Data(contentsOf: URL(fileURLWithPath: f.evaluation(1) + "/metrics.json"))))
        }
        // No temporary file is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: f.evaluation(1, ranks: 3))
        #expect(Set(left) == ["outputs.h5", "metrics.json", "producer.json"])
    }

    @Test func aucEqualsNumpyMannWhitneyOnOutputs() throws {
        let f = try Pipeline.folders()
        let code = """
            import sys, json, h5py, numpy as np
            f = h5py.File(sys.argv[1] + '/outputs.h5', 'r')
            s, y = f['score'][:].astype(np.float64), f['label'][:]
            order = np.argsort(s, kind='mergesort'); ranks = np.empty(len(s)); sorted_s = s[order]
            i = 0
            while i < len(s):
                j = i
                while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]: j += 1
                ranks[order[i:j + 1]] = 0.5 * (i + j) + 1; i = j + 1
            ns, nb = int((y == 1).sum()), int((y == 0).sum())
            auc = (ranks[y == 1].sum() - ns * (ns + 1) / 2) / (ns * nb)
            ids = f['event_id'][:]
            manifest = json.load(open(sys.argv[2] + '/manifest.json'))
            shards = [h5py.File(sys.argv[2] + '/' + sh['file'], 'r') for sh in manifest['splits']['validation']['shards']]
            feats = np.concatenate([np.concatenate([sh['features/K'][:], sh['features/R'][:]], axis=1) for sh in shards]).astype(np.float64)
            names = manifest['features']['K']['names'] + manifest['features']['R']['names']
            metrics = json.load(open(sys.argv[1] + '/metrics.json'))
            cols = [feats[:, names.index(n)] for n in metrics['correlation']['columns'][:-1]] + [s]
            corr = np.corrcoef(np.array(cols)[:, y == 1])
            corr_diff = float(np.abs(corr - np.array(metrics['correlation']['signal'])).max())
            print(json.dumps({"auc": auc, "n": len(s), "shape_ids": list(ids.shape), "network": f.attrs['network'].decode() if isinstance(f.attrs['network'], bytes) else str(f.attrs['network']),
                              "up_mean": float(f['score_jes_up'][:].mean()), "down_mean": float(f['score_jes_down'][:].mean()),
                              "dtypes": [str(f[k].dtype) for k in ['score', 'label', 'channel', 'weight', 'event_id']], "corr_diff": corr_diff}))
            """
        let result =
            try JSONSerialization.jsonObject(with: Data(try Python.run(code, [f.evaluation(1), f.dataset]).utf8))
            as! [String: Any]
        let metrics = try Pipeline.json(f.evaluation(1) + "/metrics.json")
        let auc = metrics["auc"] as! Double, oracle = result["auc"] as! Double
        #expect(abs(auc - oracle) < 1e-12, "metrics \(auc) vs numpy \(oracle)")
        #expect(auc > 0.6, "a K-ANN trained 2 epochs should separate somewhat: AUC \(auc)")
        #expect(result["n"] as! Int == 600 && metrics["events"] as! Int == 600)
        #expect(result["shape_ids"] as! [Int] == [600, 2])
        #expect(result["network"] as! String == "K-ANN")
        #expect(result["dtypes"] as! [String] == ["float32", "uint8", "uint8", "float32", "int64"])
        #expect((metrics["roc"] as! [Any]).count <= 300)
        #expect(metrics["auc_jes_up"] is Double && metrics["auc_jes_down"] is Double)
        #expect(
            (result["corr_diff"] as! Double) < 1e-9,
            "signal correlation matrix vs numpy corrcoef: \(result["corr_diff"]!)")
        #expect((metrics["feature_separation"] as! [String: Double]).count == 24)
    }

    @Test func missingRunFolderIsAClearError() throws {
        let f = try Pipeline.folders()
        let run = try Launcher.vbfgrid([
            "evaluate", "--run", f.root.appendingPathComponent("nowhere").path, "--dataset", f.dataset,
            "--out", f.root.appendingPathComponent("eval-missing").path,
        ])
        #expect(run.status != 0)
        #expect(run.stderr.contains("nowhere: no such file"), "\(run.combined)")
        #expect(!run.combined.contains("Fatal error"))
    }
}
