import Foundation
import TestSupport
import Testing

@testable import Grid

@Suite("Grid spec")
struct SpecTests {
    @Test("a well-formed spec reads with its values and defaults")
    func reads() throws {
        let spec = try Fixtures.spec()
        #expect(spec.name == "tiny" && spec.seed == 42)
        #expect(spec.samples.events == Dictionary(uniqueKeysWithValues: GridSpec.channels.map { ($0, 1000) }))
        #expect(spec.images == [.pjLR]) // implied by PJ-LR-CNN
        #expect(spec.pileup.means == [0, 20])
        #expect(spec.limits.cutBased == [GridSpec.CutBased(observable: .mjj, metCut: 250)])
        #expect(
            spec.resources.of(stage: "train") == TaskResources(ranks: 2, cpusPerRank: 1, memory: "1G", time: "00:10:00")
        )
        #expect(spec.resources.of(stage: "generate").ranks == 1)
        #expect(spec.slurm.launcher == "srun" && spec.slurm.extra == ["--constraint=avx2"])
        #expect(spec.epochs.of(network: .kANN) == 5 && spec.epochs.of(network: .pjLRCNN) == 2)
    }

    @Test("YAML syntax errors give file, line and column")
    func syntax() {
        let text = "name: x\nseed: 1\nsamples:\n  events: [1, 2\n  train: 3\n"
        #expect(
            throws: SpecError(
                file: "bad.yaml", line: 5, column: 8, path: "",
                message: "YAML syntax: while parsing a flow sequence did not find expected ',' or ']'")
        ) {
            try GridSpec.parse(text, file: "bad.yaml")
        }
    }

    @Test("an unknown key is an error at the key, naming the keys allowed there")
    func unknownKey() throws {
        let text = Fixtures.physics.replacingOccurrences(of: "  validation: 200", with: "  validaton: 200")
        do {
            _ = try GridSpec.parse(text, file: "tiny.yaml")
            Issue.record("an unknown key was accepted")
        } catch let error as SpecError {
            #expect(error.line == 7 && error.column == 3)
            #expect(error.path == "samples.validaton")
            #expect(
                error.description.hasPrefix(
                    "tiny.yaml:7:3: samples.validaton: unknown key; expected one of: generator, events"))
        }
    }

    @Test(
        "wrong types and bad values name the key path and what was expected",
        arguments: [
            ("seeds: 2", "seeds: two", 13, 8, "seeds", "expected a seed count, found 'two'"),
            (
                "means: [0, 20]", "means: [0, -5]", 11, 14, "pileup.means[1]",
                "expected a mean pileup ⟨N⟩ ≥ 0.0, found -5.0"
            ),
            (
                "networks: [K-ANN, PJ-LR-CNN]", "networks: [K-ANN, CNN]", 12, 19, "networks[1]",
                "expected one of K-ANN, R-ANN, H-ANN, PJ-LR-CNN, PJ-HR-CNN, Pmet-LR-CNN, Pmet-HR-CNN, found 'CNN'"
            ),
            (
                "train: {ranks: 2}", "train: {ranks: 2, time: soon}", 21, 27, "resources.train.time",
                "expected a time limit like 30, 02:00:00 or 1-12:00:00"
            ),
            (
                "  events: 1000", "  events: {S_EW: 5}", 4, 11, "samples.events",
                "missing channel S_QCD (give all six, or one number for every channel)"
            ),
            ("qos: short", "qos: [a, b]", 24, 8, "slurm.qos", "expected a text value, found a list"),
            // Anything listed twice is an error at the second entry.
            (
                "networks: [K-ANN, PJ-LR-CNN]", "networks: [K-ANN, PJ-LR-CNN, K-ANN]", 12, 30, "networks[2]",
                "K-ANN is listed twice"
            ),
            (
                "luminosities: [36, 140]", "luminosities: [36, 140, 36]", 16, 27, "limits.luminosities[2]",
                "L = 36.0 fb⁻¹ is listed twice"
            ),
            ("means: [0, 20]", "means: [0, 20, 20.0]", 11, 18, "pileup.means[2]", "⟨N⟩ = 20.0 is listed twice"),
            // Slurm time limits with impossible minutes or seconds.
            (
                "train: {ranks: 2}", "train: {ranks: 2, time: \"99:99:99\"}", 21, 27, "resources.train.time",
                "expected a time limit like 30, 02:00:00 or 1-12:00:00"
            ),
        ])
    func badValues(old: String, new: String, line: Int, column: Int, path: String, message: String) {
        #expect(throws: SpecError(file: "tiny.yaml", line: line, column: column, path: path, message: message)) {
            _ = try Fixtures.variant(old, new)
        }
    }

    @Test("a whole number may be written with a decimal point")
    func wholeNumbers() throws {
        let spec = try Fixtures.variant("met_cut: 250}", "met_cut: 250.0}")
        #expect(spec.limits.cutBased == [GridSpec.CutBased(observable: .mjj, metCut: 250)])
        #expect(throws: SpecError.self) { try Fixtures.variant("met_cut: 250}", "met_cut: 250.5}") }
        let bigSeed = try Fixtures.variant("seed: 42", "seed: 12880544164254958")
        #expect(bigSeed.seed == 12_880_544_164_254_958)
    }

    @Test("a spec listing the same image variant twice is refused")
    func duplicateImages() throws {
        #expect(throws: SpecError.self) {
            try Fixtures.variant("networks: [K-ANN, PJ-LR-CNN]", "images: [PJ-LR, PJ-LR]\nnetworks: [K-ANN]")
        }
    }

    @Test("dev_tasks need the explicit flag")
    func devTasksNeedFlag() throws {
        let text = Fixtures.devGrid(name: "dev")
        #expect(throws: SpecError.self) { try GridSpec.parse(text, file: "dev.yaml") }
        let spec = try GridSpec.parse(text, file: "dev.yaml", allowDevTasks: true)
        #expect(spec.devTasks?.map(\.name) == ["a", "b", "c", "d"])
    }

    @Test("every spec in jobs/ reads")
    func jobsFolder() throws {
        let folder = TestPaths.repositoryRoot.appendingPathComponent("jobs")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(files).isSuperset(of: ["demo.yaml", "paper-table1.yaml", "pileup-study.yaml", "five-seeds.yaml"]))
        for file in files {
            let spec = try GridSpec.load(path: folder.appendingPathComponent(file).path)
            #expect(!TaskGraph(spec: spec).tasks.isEmpty, "\(file)")
        }
    }

    @Test(
        "Slurm time syntax",
        arguments: [
            ("30", 1800), ("02:00:00", 7200), ("1-12:00:00", 129_600), ("5:30", 330),
            ("2-3", 183_600),
        ])
    func timeSyntax(text: String, seconds: Int) {
        #expect(TaskResources.seconds(of: text) == seconds)
    }
}
