import Events
import Foundation
import TestSupport
import Testing

/// `vbfgrid import-delphes`: a ROOT file written with uproot in Delphes' layout (tree `Delphes`,
/// split branches `Tower.ET`, …, counters `Tower_size`, …) reads back with the numbers written.
@Suite(.serialized)
struct DelphesImportTests {
    @Test func importedNumbersEqualTheWrittenOnes() throws {
        let dir = TestPaths.temporaryDirectory("delphes")
        let root = dir.appendingPathComponent("sample.root")
        let written = try DelphesFiles.write(root, events: 40, seed: 5, selectable: false)
        let out = dir.appendingPathComponent("imported.h5")
        let run = try Launcher.vbfgrid(
            [
                "import-delphes", root.path, "--channel", "w_qcd", "--out", out.path,
                "--cross-section-fb", "1234.5", "--n-generated", "400",
            ], timeout: 600)
        #expect(run.status == 0, "\(run.combined)")
        let reader = try EventFileReader(path: out.path)
        #expect(
            reader.header.channel == "W_QCD" && reader.header.nGenerated == 400
                && reader.header.crossSectionFb == 1234.5)
        #expect(reader.count == written.count)
        let events = try reader.read(start: 0, count: reader.count)
        func floats(_ object: Any?, _ key: String) -> [Float] {
            ((object as! [String: Any])[key] as! [Double]).map { Float($0) }
        }
        for (event, row) in zip(events, written) {
            #expect(event.channel == .wQCD)
            #expect(event.weight == Float(row["weight"] as! Double))
            #expect(event.towers.map(\.et) == floats(row["towers"], "ET"))
            #expect(event.towers.map(\.eta) == floats(row["towers"], "Eta"))
            #expect(event.towers.map(\.phi) == floats(row["towers"], "Phi"))
            #expect(event.jets.map(\.pt) == floats(row["jets"], "PT"))
            #expect(event.jets.map(\.eta) == floats(row["jets"], "Eta"))
            #expect(event.jets.map(\.phi) == floats(row["jets"], "Phi"))
            #expect(event.jets.map(\.mass) == floats(row["jets"], "Mass"))
            let leptons = [("electrons", Int32(11)), ("muons", 13), ("photons", 22)].flatMap { name, pid in
                zip(floats(row[name], "PT"), zip(floats(row[name], "Eta"), floats(row[name], "Phi"))).map {
                    RecoObject(pt: $0.0, eta: $0.1.0, phi: $0.1.1, pid: pid)
                }
            }
            #expect(event.leptons == leptons)
            let met = (row["met"] as! [Double]).map { Float($0) }
            #expect(event.met.value == met[0] && event.met.phi == met[1])
        }
        #expect(written.contains { !($0["jets"] as! [String: Any]).isEmpty })
    }

    @Test func missingBranchAndBadFileAreClearErrors() throws {
        let dir = TestPaths.temporaryDirectory("delphes-bad")
        let notRoot = dir.appendingPathComponent("not.root")
        try Data("not a ROOT file".utf8).write(to: notRoot)
        let run = try Launcher.vbfgrid(
            [
                "import-delphes", notRoot.path, "--channel", "Z_QCD",
                "--out", dir.appendingPathComponent("x.h5").path,
            ], timeout: 600)
        #expect(run.status != 0 && run.combined.contains("not.root: cannot open as a ROOT file"), "\(run.combined)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.h5").path))
        let missing = try Launcher.vbfgrid([
            "import-delphes", dir.appendingPathComponent("none.root").path,
            "--channel", "Z_QCD", "--out", dir.appendingPathComponent("x.h5").path,
        ])
        #expect(missing.status != 0 && missing.combined.contains("none.root: no such file"), "\(missing.combined)")
    }
}
