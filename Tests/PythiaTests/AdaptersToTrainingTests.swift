import Foundation
import TestSupport
import Testing

/// The events of both adapters go through preprocess, one epoch of K-ANN training and evaluate
/// like any other events: Pythia for S_EW, S_QCD, Z_QCD, Z_EW and W_EW, a Delphes import (a ROOT
/// file written with uproot) for W_QCD, the channel with the fewest selected Pythia events. With
/// W_QCD from the import only, the imported events are certain to be in the data set.
@Suite(.serialized)
struct AdaptersToTrainingTests {
    @Test func pythiaAndDelphesEventsPreprocessTrainAndEvaluate() throws {
        let dir = TestPaths.temporaryDirectory("adapters-train")
        let root = dir.appendingPathComponent("delphes.root")
        _ = try DelphesFiles.write(root, events: 30, seed: 9, selectable: true)
        let imported = dir.appendingPathComponent("W_QCD-delphes.h5")
        let run = try Launcher.vbfgrid(
            [
                "import-delphes", root.path, "--channel", "W_QCD", "--out", imported.path,
                "--cross-section-fb", "1000", "--n-generated", "3000",
            ], timeout: 600)
        #expect(run.status == 0, "\(run.combined)")

        let inputs =
            try PythiaSamples.channels.filter { $0 != "W_QCD" }.flatMap { try PythiaSamples.eventFiles($0) }
            + [imported.path]
        let dataset = dir.appendingPathComponent("dataset")
        let preprocess = try Launcher.vbfgrid(
            ["preprocess", "--input"] + inputs + [
                "--out", dataset.path, "--images", "PJ-LR",
                "--train", "12", "--validation", "8", "--seed", "3",
            ], timeout: 600)
        try #require(preprocess.status == 0, "\(preprocess.combined)")
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: dataset.appendingPathComponent("manifest.json")))
            as! [String: Any]
        let channels = manifest["channels"] as! [[String: Any]]
        let wQCD = channels.first { $0["name"] as? String == "W_QCD" }!
        // Every imported event passes the selection.
        #expect(wQCD["selected"] as? Int == 30 && wQCD["generated"] as? Int == 3000, "\(wQCD)")

        let training = dir.appendingPathComponent("run")
        let train = try Launcher.vbfgrid(
            [
                "train", "--network", "K-ANN", "--dataset", dataset.path, "--epochs", "1",
                "--seed", "1", "--out", training.path,
            ], timeout: 600)
        try #require(train.status == 0, "\(train.combined)")
        let history = try JSONSerialization.jsonObject(
            with: Data(contentsOf: training.appendingPathComponent("history.json")))
        let epochs = (history as? [[String: Any]]) ?? ((history as? [String: Any])?["epochs"] as? [[String: Any]]) ?? []
        #expect(epochs.count == 1, "\(history)")
        if let loss = epochs.first?["loss"] as? Double {
            #expect(loss.isFinite && loss > 0)
        } else {
            Issue.record("no loss")
        }

        let evaluation = dir.appendingPathComponent("evaluation")
        let evaluate = try Launcher.vbfgrid(
            [
                "evaluate", "--run", training.path, "--dataset", dataset.path,
                "--out", evaluation.path,
            ], timeout: 600)
        try #require(evaluate.status == 0, "\(evaluate.combined)")
        // h5py, independently of vbfgrid: outputs.h5 holds one score in [0, 1] per validation
        // event, in the validation split's order, with the data set's channels, labels and event
        // ids; each event's channel is the channel of its source file; the accuracy of
        // metrics.json is the one of these scores.
        let check = try PythiaSamples.systemPython(
            """
            import json, sys, h5py, numpy as np
            dataset, evaluation = sys.argv[1], sys.argv[2]
            manifest = json.load(open(dataset + '/manifest.json'))
            metrics = json.load(open(evaluation + '/metrics.json'))
            split = manifest['splits']['validation']
            parts = {k: [] for k in ('channel', 'label', 'event_id')}
            for shard in split['shards']:
                with h5py.File(dataset + '/' + shard['file'], 'r') as f:
                    for k in parts: parts[k].append(f[k][...])
            expected = {k: np.concatenate(v) for k, v in parts.items()}
            with h5py.File(evaluation + '/outputs.h5', 'r') as f:
                assert f.attrs['format'] in (b'vbfgrid.outputs', 'vbfgrid.outputs'), f.attrs['format']
                assert f.attrs['network'] in (b'K-ANN', 'K-ANN'), f.attrs['network']
                out = {k: f[k][...] for k in ('score', 'label', 'channel', 'event_id')}
            n = split['events']
            assert len(out['score']) == n == len(expected['channel']), (len(out['score']), n)
            assert np.all(np.isfinite(out['score'])) and np.all((out['score'] >= 0) & (out['score'] <= 1)), out['score']
            for k in parts: assert np.array_equal(out[k], expected[k]), k
            names = ['S_EW', 'S_QCD', 'Z_QCD', 'W_QCD', 'Z_EW', 'W_EW']
            source_channels = [s['channel'] for s in manifest['sources']]
            assert all(names[c] == source_channels[s] for c, (s, _) in zip(out['channel'], out['event_id']))
            assert np.array_equal(out['label'], (out['channel'] <= 1).astype(np.uint8))
            per_channel = {names[c]: int((out['channel'] == c).sum()) for c in set(out['channel'].tolist())}
            assert per_channel == {k: v for k, v in split['events_per_channel'].items() if v}, (per_channel, split)
            assert metrics['events'] == n, metrics['events']
            accuracy = float(np.mean((out['score'] >= 0.5) == (out['label'] == 1)))
            assert abs(metrics['accuracy'] - accuracy) < 1e-9, (metrics['accuracy'], accuracy)
            delphes = [i for i, s in enumerate(manifest['sources']) if s['path'].endswith('W_QCD-delphes.h5')]
            print(json.dumps(dict(per_channel=per_channel,
                                  delphes=int(np.isin(out['event_id'][:, 0], delphes).sum()))))
            """, [dataset.path, evaluation.path])
        let summary = try JSONSerialization.jsonObject(with: Data(check.utf8)) as! [String: Any]
        let perChannel = summary["per_channel"] as! [String: Int]
        // The class mixture of 8 validation events: two of each of S_EW, S_QCD, Z_QCD and W_QCD.
        #expect(perChannel == ["S_EW": 2, "S_QCD": 2, "Z_QCD": 2, "W_QCD": 2], "\(summary)")
        #expect(summary["delphes"] as? Int == 2, "\(summary)")
    }
}
