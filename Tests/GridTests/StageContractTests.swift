import Evaluation
import Fidelity
import Foundation
import Generation
import Limits
import Pileup
import Preprocessing
import Stages
import TestSupport
import Testing
import Training

@testable import Grid

/// The grid → stage contract: every task of every spec parses with the real option parser of
/// its stage (the declarations the stage's command reads with `@OptionGroup`, validation
/// included), and writes back the same argument vector.
@Suite("Grid to stage contract")
struct StageContractTests {
    /// Parses `arguments` (without the subcommand) as `O` and writes them back.
    static func roundTrip<O: StageOptions>(_ type: O.Type, _ arguments: [String]) throws -> [String] {
        try O.parse(arguments).commandLine
    }

    /// The real parser of each stage subcommand the grid runs.
    static let parsers: [String: @Sendable ([String]) throws -> [String]] = [
        GenerateStage.Options.command: { try roundTrip(GenerateStage.Options.self, $0) },
        DetectorStage.Options.command: { try roundTrip(DetectorStage.Options.self, $0) },
        ImportDelphesStage.Options.command: { try roundTrip(ImportDelphesStage.Options.self, $0) },
        OverlayStage.Options.command: { try roundTrip(OverlayStage.Options.self, $0) },
        PreprocessStage.Options.command: { try roundTrip(PreprocessStage.Options.self, $0) },
        TrainStage.Options.command: { try roundTrip(TrainStage.Options.self, $0) },
        EvaluateStage.Options.command: { try roundTrip(EvaluateStage.Options.self, $0) },
        LimitsStage.Options.command: { try roundTrip(LimitsStage.Options.self, $0) },
        FidelityStage.Options.command: { try roundTrip(FidelityStage.Options.self, $0) },
    ]

    /// Commands only a `generator: files` grid runs (none of jobs/ reads files that are not in the
    /// repository).
    static let inputCommands: Set = [DetectorStage.Options.command, ImportDelphesStage.Options.command]

    /// The test specs: the fixture, variants reaching every option the grid writes, the training
    /// grid of the Slurm tests, and a files grid (named by its path: its inputs are beside it).
    static let testSpecs: [(name: String, text: String)] = {
        let variants: [(String, String, String)] = [
            ("seeds per job", "seeds: 2", "seeds: 5\nseeds_per_job: 2"),
            ("pythia", "  events: 1000", "  generator: pythia\n  events: 1000"),
            ("fractional values", "means: [0, 20]", "means: [0, 12.5]\n  keep_hard_objects: true"),
            (
                "invisible-pT floor and met cut", "  validation: 200",
                "  validation: 200\n  min_invisible_pt: 140.5\n  met_cut: 250.5"
            ),
            (
                "systematics", "luminosities: [36, 140]",
                "luminosities: [36.5, 140]\n  jes: true\n  systematics: "
                    + "{lumi: 0.03, xsec: {S_QCD: 0.15, Z_EW: 1}, physics: {signal_yield: 1500, fractions.Z_EW: 0.03}}"
            ),
            ("fidelity", "seeds: 2", "seeds: 2\nfidelity: {reference: \(FidelitySpecTests.reference), events: 300}"),
            (
                "all networks", "networks: [K-ANN, PJ-LR-CNN]",
                "networks: [K-ANN, R-ANN, H-ANN, PJ-LR-CNN, PJ-HR-CNN, Pmet-LR-CNN, Pmet-HR-CNN]"
            ),
        ]
        let (_, files) = try! FilesFixtures.planningFolder(label: "contract-files")
        return [
            ("fixture", Fixtures.physics), ("training grid", Fixtures.trainingGrid(name: "training", epochs: 2)),
            (files, try! String(contentsOfFile: files, encoding: .utf8)),
        ]
            + variants.map { name, old, new in
                precondition(Fixtures.physics.contains(old), name)
                return (name, Fixtures.physics.replacingOccurrences(of: old, with: new))
            }
    }()

    /// Every spec of jobs/, by path (their relative paths start at jobs/).
    static func jobSpecs() throws -> [(name: String, text: String)] {
        let folder = TestPaths.repositoryRoot.appendingPathComponent("jobs")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
            .sorted().map {
                let path = folder.appendingPathComponent($0)
                return (path.path, try String(contentsOf: path, encoding: .utf8))
            }
    }

    /// Checks every task of `spec`; returns the stages seen.
    static func check(_ name: String, _ text: String) throws -> Set<String> {
        let graph = TaskGraph(spec: try GridSpec.parse(text, file: name))
        var seen: Set<String> = []
        for task in graph.tasks {
            let arguments = task.arguments(run: "/runs/x")
            let command = arguments[0]
            seen.insert(command)
            guard let parse = parsers[command] else {
                #expect(arguments == ["report", "/runs/x"], "\(name): \(task.label)")
                continue
            }
            do {
                #expect(try parse(Array(arguments.dropFirst())) == arguments, "\(name): \(task.label)")
            } catch {
                let message = GenerateStage.Options.fullMessage(for: error)
                Issue.record(
                    "\(name): \(task.label): `vbfgrid \(arguments.joined(separator: " "))` does not parse: \(message)")
            }
        }
        return seen
    }

    @Test("every task of every spec in jobs/ parses with its stage's parser and writes back the same arguments")
    func jobs() throws {
        let specs = try Self.jobSpecs()
        #expect(specs.count >= 5)
        var seen: Set<String> = []
        for (name, text) in specs { seen.formUnion(try Self.check(name, text)) }
        #expect(seen == Set(Self.parsers.keys).subtracting(Self.inputCommands).union(["report"]))
    }

    @Test("every task of the test specs, including generator files and pythia, round-trips")
    func testSpecs() throws {
        var seen: Set<String> = []
        for (name, text) in Self.testSpecs { seen.formUnion(try Self.check(name, text)) }
        #expect(seen == Set(Self.parsers.keys).union(["report"]))
    }

    @Test("generator files: one input task per file, by its content: a copy, the detector or import-delphes")
    func filesGenerator() throws {
        let (name, text) = Self.testSpecs.first { $0.name.hasSuffix("spec.yaml") }!
        let folder = URL(fileURLWithPath: name).deletingLastPathComponent().standardizedFileURL.path
        let graph = TaskGraph(spec: try GridSpec.parse(text, file: name))
        let generate = graph.tasks.filter { $0.stage == "generate" }
        func command(_ channel: String) -> [[String]] {
            generate.filter { $0.parameters["channel"] == channel }.map { Array($0.arguments(run: "/r").prefix(1)) }
        }
        #expect(generate.count == 7)
        #expect(command("S_EW") == [["generate"]] && command("W_QCD") == [["generate"], ["generate"]])
        #expect(command("S_QCD") == [["detector"]] && command("W_EW") == [["import-delphes"]])
        let wqcd = generate.filter { $0.parameters["channel"] == "W_QCD" }
        #expect(wqcd.map(\.label) == ["generate W_QCD file 1/2 (W_QCD-a.h5)", "generate W_QCD file 2/2 (W_QCD-b.h5)"])
        let copy = try GenerateStage.Options.parse(Array(wqcd[1].arguments(run: "/r").dropFirst()))
        #expect(copy.generator == .files && copy.input == "\(folder)/W_QCD/W_QCD-b.h5" && copy.events == 500)
        let detector = try #require(generate.first { $0.parameters["channel"] == "S_QCD" })
        let particles = try DetectorStage.Options.parse(Array(detector.arguments(run: "/r").dropFirst()))
        #expect(particles.input == "\(folder)/S_QCD.particles.h5")
        #expect(particles.out == "/r/\(detector.relativePath)/S_QCD.h5")
        // ⟨N⟩ = 0 reads the detector's file; every overlay reads the min-bias copy.
        let preprocess = try #require(graph.tasks.first { $0.stage == "preprocess" && $0.parameters["mean"] == "0" })
        #expect(preprocess.arguments(run: "/r").contains(particles.out))
        let minbias = try #require(graph.tasks.first { $0.stage == "minbias" })
        #expect(
            try GenerateStage.Options.parse(Array(minbias.arguments(run: "/r").dropFirst())).input
                == "\(folder)/minbias.h5")
        #expect(graph.tasks.filter { $0.stage == "overlay" }.allSatisfy { $0.inputs.contains(minbias.id) })
        #expect(generate.allSatisfy { $0.parameters["sha256"]?.count == 64 })
    }

    @Test("options the grid never writes round-trip too, and bad values are refused with the option named")
    func commandOptions() throws {
        let generate = ["--channel", "Z_EW", "--events", "7", "--seed", "3", "--out", "o", "--keep-particles"]
        #expect(try Self.roundTrip(GenerateStage.Options.self, generate) == ["generate"] + generate)
        let train = [
            "--network", "K-ANN", "--epochs", "3", "--seed", "4", "--seeds", "2", "--schedule", "keras3",
            "--batch-size", "50", "--progress-interval", "0.5", "--summary",
        ]
        #expect(try Self.roundTrip(TrainStage.Options.self, train) == ["train"] + train)
        #expect(try TrainStage.Options.parse(train).seedList == [4, 5])
        let grouped = try TrainStage.Options.parse([
            "--network", "R-ANN", "--dataset", "d", "--seeds", "8,13", "--out", "o",
        ])
        #expect(grouped.seedList == [8, 13] && grouped.runDirectory(seed: 13) == "o/seed-13")
        #expect(
            try TrainStage.Options.parse(["--network", "r-ann", "--dataset", "d", "--out", "o"]).runDirectory(seed: 1)
                == "o")
        let model = ["--model", "m.json", "--export-pyhf", "w.json", "--observed", "--cl", "0.9", "--json"]
        #expect(try Self.roundTrip(LimitsStage.Options.self, model) == ["limits"] + model)
        let cut = [
            "--cut-based", "deta", "--met-cut", "250", "--dataset", "d", "--luminosities", "36", "--out", "o",
            "--bins", "5", "--physics-table", "t.json", "--no-staterror",
        ]
        #expect(try Self.roundTrip(LimitsStage.Options.self, cut) == ["limits"] + cut)
        let refused: [(String, [String], String)] = [
            (
                "generate", ["--channel", "TTBAR", "--events", "1", "--seed", "1", "--out", "o"],
                "unknown channel 'TTBAR'"
            ),
            (
                "generate",
                ["--channel", "S_EW", "--events", "1", "--seed", "1", "--out", "o", "--generator", "files"],
                "--generator files needs --input"
            ),
            (
                "preprocess",
                [
                    "--input", "a", "--out", "o", "--images", "PJ-LR,PJ-XR", "--train", "1", "--validation", "1",
                    "--seed", "1",
                ],
                "unknown image variant 'PJ-XR'"
            ),
            ("train", ["--network", "Q-ANN", "--summary"], "unknown network 'Q-ANN'"),
            (
                "limits", ["--evaluations", "e", "--dataset", "d", "--out", "o", "--luminosities", "36,-1"],
                "'-1' is not a positive number"
            ),
            (
                "limits", ["--evaluations", "e", "--dataset", "d", "--out", "o", "--physics", "signal_yield"],
                "'signal_yield' is not name=number"
            ),
        ]
        for (command, arguments, expected) in refused {
            do {
                _ = try Self.parsers[command]!(arguments)
                Issue.record("\(command) \(arguments) was accepted")
            } catch {
                let message = GenerateStage.Options.fullMessage(for: error)
                #expect(message.contains(expected), "\(message)")
            }
        }
    }
}
