import Foundation
import Testing
import TestSupport

/// The events of both adapters (Pythia for every channel, plus a Delphes import added to W_QCD,
/// the channel with the fewest selected Pythia events)
/// go through preprocess and one epoch of K-ANN training like any other events.
@Suite(.serialized)
struct AdaptersToTrainingTests {
    @Test func pythiaAndDelphesEventsPreprocessAndTrain() throws {
        let dir = TestPaths.temporaryDirectory("adapters-train")
        let root = dir.appendingPathComponent("delphes.root")
        _ = try DelphesImportTests.writeDelphes(root, events: 30, seed: 9, selectable: true)
        let imported = dir.appendingPathComponent("W_QCD-delphes.h5")
        let run = try Launcher.vbfgrid(["import-delphes", root.path, "--channel", "W_QCD", "--out", imported.path,
                                        "--cross-section-fb", "1000", "--n-generated", "3000"], timeout: 600)
        #expect(run.status == 0, "\(run.combined)")

        let inputs = try PythiaSamples.channels.flatMap { try PythiaSamples.eventFiles($0) } + [imported.path]
        let dataset = dir.appendingPathComponent("dataset")
        let preprocess = try Launcher.vbfgrid(["preprocess", "--input"] + inputs + ["--out", dataset.path, "--images", "PJ-LR",
                                               "--train", "12", "--validation", "4", "--seed", "3"], timeout: 600)
        #expect(preprocess.status == 0, "\(preprocess.combined)")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: dataset.appendingPathComponent("manifest.json")))
            as! [String: Any]
        let channels = manifest["channels"] as! [[String: Any]]
        let wQCD = channels.first { $0["name"] as? String == "W_QCD" }!
        // Every imported event passes the selection: W_QCD's selected events include all 30 of them.
        #expect((wQCD["selected"] as! Int) >= 30, "\(wQCD)")
        #expect((wQCD["generated"] as! Int) >= 3000 + PythiaSamples.events, "\(wQCD)")

        let train = try Launcher.vbfgrid(["train", "--network", "K-ANN", "--dataset", dataset.path, "--epochs", "1",
                                          "--seed", "1", "--out", dir.appendingPathComponent("run").path], timeout: 600)
        #expect(train.status == 0, "\(train.combined)")
        let history = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("run/history.json")))
        let epochs = (history as? [[String: Any]]) ?? ((history as? [String: Any])?["epochs"] as? [[String: Any]]) ?? []
        #expect(epochs.count == 1, "\(history)")
        if let loss = epochs.first?["loss"] as? Double { #expect(loss.isFinite && loss > 0) } else { Issue.record("no loss") }
    }
}
