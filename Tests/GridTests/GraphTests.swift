import Foundation
import Testing

@testable import Grid

@Suite("Task graph")
struct GraphTests {
    func ids(_ graph: TaskGraph, _ stage: String? = nil) -> Set<String> {
        Set(graph.tasks.filter { stage == nil || $0.stage == stage }.map(\.id))
    }

    @Test("generate per channel × shard, overlay per ⟨N⟩ > 0 × shard, then per ⟨N⟩, network and seed")
    func counts() throws {
        let graph = TaskGraph(spec: try Fixtures.spec())
        let count = { (stage: String) in graph.tasks.filter { $0.stage == stage }.count }
        // 1000 events per channel in shards of 500.
        #expect(count("generate") == 12 && count("minbias") == 1 && count("overlay") == 12 && count("preprocess") == 2)
        #expect(count("train") == 2 * 2 * 2 && count("evaluate") == 8)
        #expect(count("limits") == 2 * (2 + 1) && count("report") == 1)
        // Inputs always come before their dependents.
        var seen: Set<String> = []
        for task in graph.tasks {
            #expect(task.inputs.allSatisfy(seen.contains), "\(task.label)")
            seen.insert(task.id)
        }
        #expect(seen.count == graph.tasks.count)
    }

    @Test("argument vectors follow the stage subcommands' options")
    func arguments() throws {
        let spec = try Fixtures.spec()
        let graph = TaskGraph(spec: spec)
        let generate = graph.tasks.first { $0.label == "generate S_EW shard 2/2" }!
        let seed = SeedDerivation.seed(master: 42, identity: "generate/S_EW")
        #expect(
            generate.arguments(run: "/r") == [
                "generate", "--channel", "S_EW", "--events", "1000", "--seed", String(seed),
                "--out", "/r/tasks/generate/\(generate.id)/events", "--shard-size", "500",
                "--shard-index", "1", "--min-invisible-pt", "150",
                "--no-particle-preselection",
            ])
        #expect(generate.parameters["shard_events"] == "500")
        // The invisible-p_T floor: 150 GeV with pileup, 160 without, or the spec's; the particle-level
        // preselection only without pileup.
        let noPileup = TaskGraph(spec: try Fixtures.variant("means: [0, 20]", "means: [0]"))
        let noPileupGenerate = noPileup.tasks.first { $0.stage == "generate" }!
        #expect(noPileupGenerate.parameters["min_invisible_pt"] == "160")
        #expect(noPileupGenerate.parameters["particle_preselection"] == nil)
        #expect(!noPileupGenerate.arguments(run: "/r").contains("--no-particle-preselection"))
        #expect(generate.parameters["particle_preselection"] == "false")
        let explicit = TaskGraph(
            spec: try Fixtures.variant("shard_size: 500", "shard_size: 500\n  min_invisible_pt: 100"))
        #expect(
            explicit.tasks.first { $0.stage == "generate" }!.arguments(run: "/r").suffix(3)
                == ["--min-invisible-pt", "100", "--no-particle-preselection"])
        let overlay = graph.tasks.first { $0.label == "overlay Z_QCD <N>=20 shard 1/2" }!
        let minbias = graph.tasks.first { $0.stage == "minbias" }!
        let zqcd = graph.tasks.first { $0.label == "generate Z_QCD shard 1/2" }!
        #expect(overlay.inputs == [zqcd.id, minbias.id])
        // Each overlay shard has its own stream.
        let second = graph.tasks.first { $0.label == "overlay Z_QCD <N>=20 shard 2/2" }!
        #expect(overlay.parameters["seed"] != second.parameters["seed"])
        #expect(
            Array(overlay.arguments(run: "/r").prefix(7)) == [
                "overlay", "--input", "/r/tasks/generate/\(zqcd.id)/events",
                "--minbias", "/r/tasks/minbias/\(minbias.id)/events", "--mean", "20",
            ])
        let preprocess0 = graph.tasks.first { $0.label == "preprocess <N>=0" }!
        #expect(
            preprocess0.inputs
                == GridSpec.channels.flatMap { c in
                    [1, 2].map { k in graph.tasks.first { $0.label == "generate \(c) shard \(k)/2" }!.id }
                })
        let train = graph.tasks.first { $0.stage == "train" && $0.parameters["network"] == "PJ-LR-CNN" }!
        #expect(train.preemptible && train.resources.ranks == 2)
        let args = train.arguments(run: "/r")
        #expect(
            args.starts(with: [
                "train", "--dataset", "/r/tasks/preprocess/\(train.inputs[0])/dataset", "--network", "PJ-LR-CNN",
                "--epochs", "2", "--seed",
            ]) && args.suffix(3) == ["--out", "/r/tasks/train/\(train.id)/run", "--resume"])
        let cut = graph.tasks.first { $0.parameters["analysis"] == "cut-mjj-250" && $0.parameters["mean"] == "0" }!
        #expect(
            cut.arguments(run: "/r") == [
                "limits", "--cut-based", "mjj", "--met-cut", "250", "--dataset",
                "/r/tasks/preprocess/\(preprocess0.id)/dataset", "--luminosities", "36,140",
                "--out", "/r/tasks/limits/\(cut.id)/limits",
            ])
        #expect(graph.tasks.last!.arguments(run: "/r") == ["report", "/r"])
    }

    @Test("ids are stable and independent of the run folder")
    func stable() throws {
        let a = TaskGraph(spec: try Fixtures.spec()), b = TaskGraph(spec: try Fixtures.spec())
        #expect(a == b)
        #expect(Set(a.tasks.map(\.id)).count == a.tasks.count)
        #expect(a.tasks.allSatisfy { $0.id.count == 16 })
    }

    @Test(
        "changing one parameter changes that task and its downstream only",
        arguments: [
            // (old text, new text, the tasks that must change: their labels start with one of these)
            ("cnn: 2", "cnn: 3", ["train PJ-LR-CNN", "evaluate PJ-LR-CNN", "limits PJ-LR-CNN", "report"]),
            (
                "means: [0, 20]", "means: [0, 25]",
                [
                    "overlay", "preprocess <N>=2", "train K-ANN <N>=2", "train PJ-LR-CNN <N>=2",
                    "evaluate K-ANN <N>=2", "evaluate PJ-LR-CNN <N>=2", "limits K-ANN <N>=2",
                    "limits PJ-LR-CNN <N>=2", "limits mjj met>250 <N>=2", "report",
                ]
            ),
            ("luminosities: [36, 140]", "luminosities: [36, 300]", ["limits", "report"]),
        ])
    func downstreamOnly(old: String, new: String, changed prefixes: [String]) throws {
        let before = TaskGraph(spec: try Fixtures.spec()), after = TaskGraph(spec: try Fixtures.variant(old, new))
        let beforeIds = ids(before)
        for task in after.tasks {
            let shouldChange = prefixes.contains { task.label.hasPrefix($0) }
            #expect(beforeIds.contains(task.id) != shouldChange, "\(task.label)")
        }
        // And the changed set is closed downstream: whatever depends on a changed task changed too.
        let changed = Set(after.tasks.filter { !beforeIds.contains($0.id) }.map(\.id))
        for id in changed { #expect(after.downstream(of: id).isSubset(of: changed)) }
    }

    @Test("seeds_per_job groups seeds into one multi-rank training task per group")
    func seedGroups() throws {
        let spec = try Fixtures.variant("seeds: 2", "seeds: 5\nseeds_per_job: 2")
        let graph = TaskGraph(spec: spec)
        let trains = graph.tasks.filter {
            $0.stage == "train" && $0.parameters["network"] == "K-ANN" && $0.parameters["mean"] == "0"
        }
        #expect(trains.map { $0.parameters["seeds"]!.split(separator: ",").count } == [2, 2, 1])
        #expect(trains.map { $0.resources.ranks! } == [4, 4, 2])
        let first = trains[0]
        let seeds = first.parameters["seeds"]!
        #expect(first.arguments(run: "/r").contains(seeds) && first.argumentTemplate.contains("--seeds"))
        let evaluations = graph.tasks.filter { $0.stage == "evaluate" && $0.inputs.contains(first.id) }
        #expect(evaluations.count == 2)
        for evaluation in evaluations {
            let seed = evaluation.parameters["seed"]!
            #expect(
                evaluation.arguments(run: "/r").starts(with: [
                    "evaluate", "--run", "/r/tasks/train/\(first.id)/runs/seed-\(seed)",
                ]))
        }
        // Seed values do not depend on the grouping.
        let single = TaskGraph(spec: try Fixtures.variant("seeds: 2", "seeds: 5"))
        let singleSeeds = Set(single.tasks.filter { $0.stage == "evaluate" }.map { $0.parameters["seed"]! })
        #expect(Set(graph.tasks.filter { $0.stage == "evaluate" }.map { $0.parameters["seed"]! }) == singleSeeds)
    }

    @Test("the plan sums the stages' cost model")
    func plan() throws {
        let spec = try Fixtures.spec(Fixtures.physics + "\nfidelity: {reference: \(FidelitySpecTests.reference)}")
        let graph = TaskGraph(spec: spec)
        let plan = GridPlan(spec: spec, graph: graph)
        #expect(plan.stages.map(\.stage) == TaskGraph.stages)
        #expect(plan.stages.map(\.tasks).reduce(0, +) == graph.tasks.count)
        let total = graph.tasks.reduce(0) { $0 + CostModel.cpuSeconds(of: $1, spec: spec) } / 3600
        #expect(abs(plan.totalCoreHours - total) < 1e-9 * max(1, total))
        #expect(plan.stages.first { $0.stage == "overlay" }!.after == ["generate", "minbias"])
    }

    @Test("CNN arithmetic follows the layer shapes: the parameter counts of the paper's networks")
    func cnnFlops() {
        // Dense part of the LR CNN: 7×5×64 → 300 → 300 → 300 → 2 (the 1,182,590-parameter network).
        let dense = 2.0 * Double(7 * 5 * 64 * 300 + 300 * 300 * 2 + 300 * 2)
        let conv =
            2.0 * 16 * 64
            * (Double(59 * 45 * 1) + Double(59 * 45 * 64) + Double(29 * 22 * 64 * 2) + Double(14 * 11 * 64 * 2))
        #expect(CostModel.forwardFlops(network: "PJ-LR-CNN") == dense + conv)
        #expect(CostModel.forwardFlops(network: "PJ-HR-CNN") > 4 * CostModel.forwardFlops(network: "PJ-LR-CNN"))
    }
}
