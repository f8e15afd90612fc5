import Events
import NeuralNet
import Stages

/// The tasks of a grid spec, in an order where every task comes after its inputs.
///
/// Stages: generate (per channel × shard of `shard_size` events; one task per channel for
/// `files`) → minbias → overlay (per ⟨N⟩ > 0 × generated shard) → preprocess (per ⟨N⟩) →
/// train (per network × ⟨N⟩ × seed, or per group of `seeds_per_job`
/// seeds) → evaluate (per seed) → limits (per network analysis × ⟨N⟩, and per cut-based
/// analysis × ⟨N⟩) → report. ⟨N⟩ = 0 reads the generate outputs directly. The argument
/// vectors are the typed stage options of `StageTasks`, written by `StageOptions.commandLine`.
public struct TaskGraph: Sendable, Codable, Equatable {
    public static let stages = [
        "generate", "minbias", "overlay", "preprocess", "train", "evaluate", "limits", "report",
    ]

    public var tasks: [GridTask]

    public init(tasks: [GridTask]) { self.tasks = tasks }

    public func task(_ id: String) -> GridTask? { tasks.first { $0.id == id } }

    /// Every task that depends (directly or not) on `id`.
    public func downstream(of id: String) -> Set<String> {
        var result: Set<String> = [], frontier = [id]
        while let current = frontier.popLast() {
            for task in tasks where task.inputs.contains(current) && !result.contains(task.id) {
                result.insert(task.id)
                frontier.append(task.id)
            }
        }
        return result
    }

    /// The stages present, in pipeline order (dev grids have the single stage `dev`).
    public var stageNames: [String] {
        let present = Set(tasks.map(\.stage))
        return (TaskGraph.stages + ["dev"]).filter(present.contains)
    }

    /// fastsim's invisible-p_T floor when the spec does not set one: 160 GeV (generate's default)
    /// without pileup; with pileup, whose fake missing energy lifts events from below the floor over
    /// the met cut, 150 GeV: fastsim's own generation threshold, so the floor cuts nothing more
    /// for H and Z (measured losses in docs/physics.md).
    public static func defaultMinInvisiblePt(_ pileupMeans: [Double]) -> Double {
        pileupMeans.contains { $0 > 0 } ? 150 : 160
    }

    /// Whether fastsim's particle-level preselection and Pythia's parton-level veto run: only
    /// without pileup. Their cuts on MET and jets are tight enough that pileup's fake missing
    /// energy and extra jets would turn rejected events into selected ones (1.4–6.9% of fastsim's
    /// selected events at ⟨N⟩ = 50, 2.4–12% of Pythia's at ⟨N⟩ = 20, docs/physics.md).
    public static func particlePreselection(_ pileupMeans: [Double]) -> Bool {
        !pileupMeans.contains { $0 > 0 }
    }

    /// Builds the graph of `spec`.
    public init(spec: GridSpec) {
        var builder = Builder(spec: spec)
        if let dev = spec.devTasks { builder.addDevTasks(dev) } else { builder.addPhysics() }
        self.tasks = builder.tasks
    }

    private struct Builder {
        let spec: GridSpec
        var tasks: [GridTask] = []

        mutating func add(
            _ stage: String, _ label: String, _ parameters: [String: String], inputs: [GridTask],
            preemptible: Bool = false, ranks: Int? = nil, options: some StageOptions
        ) -> GridTask {
            add(
                stage, label, parameters, inputs: inputs, preemptible: preemptible, ranks: ranks,
                arguments: options.commandLine)
        }

        mutating func add(
            _ stage: String, _ label: String, _ parameters: [String: String], inputs: [GridTask],
            preemptible: Bool = false, ranks: Int? = nil, arguments: [String]
        ) -> GridTask {
            var resources = spec.resources.of(stage: stage)
            if let ranks { resources.ranks = ranks }
            let task = GridTask(
                stage: stage, label: label, parameters: parameters, inputs: inputs.map(\.id),
                resources: resources, preemptible: preemptible, argumentTemplate: arguments)
            tasks.append(task)
            return task
        }

        func seed(_ identity: String) -> UInt64 { SeedDerivation.seed(master: spec.seed, identity: identity) }

        static func folder(_ task: GridTask, _ sub: String) -> String { "{tasks}/\(task.stage)/\(task.id)/\(sub)" }

        /// A path of `task`'s options (`{task}/…`) as another task reads it.
        static func resolve(_ path: String, of task: GridTask) -> String {
            path.replacingOccurrences(of: "{task}", with: "{tasks}/\(task.stage)/\(task.id)")
        }

        /// " shard 2/8" (1-based) when a channel has several shards, "" otherwise.
        static func shardLabel(_ k: Int, of shards: Int) -> String { shards > 1 ? " shard \(k + 1)/\(shards)" : "" }

        mutating func addPhysics() {
            let s = spec.samples
            var generated: [Channel: [GridTask]] = [:]
            let floor =
                s.generator == .fastsim ? s.minInvisiblePt ?? TaskGraph.defaultMinInvisiblePt(spec.pileup.means) : nil
            let particleStage = s.generator != .fastsim || TaskGraph.particlePreselection(spec.pileup.means)
            let partonVeto = s.generator != .pythia || TaskGraph.particlePreselection(spec.pileup.means)
            for channel in GridSpec.channels {
                let seed = seed("generate/\(channel.name)"), events = s.events[channel]!
                // One task per shard (array elements on Slurm); a `files` input is one task.
                let sharded = s.generator != .files
                let shards = sharded ? max(1, (events + s.shardSize - 1) / s.shardSize) : 1
                generated[channel] = (0..<shards).map { k in
                    let shardEvents = sharded ? min(s.shardSize, events - k * s.shardSize) : events
                    var parameters = [
                        "channel": channel.name, "events": String(events), "seed": String(seed),
                        "generator": s.generator.rawValue, "shard_size": String(s.shardSize),
                        "shard_events": String(shardEvents),
                    ]
                    if sharded { parameters["shard"] = String(k) }
                    if let floor { parameters["min_invisible_pt"] = floor.argument }
                    if !particleStage { parameters["particle_preselection"] = "false" }
                    if !partonVeto { parameters["parton_veto"] = "false" }
                    return add(
                        "generate", "generate \(channel.name)" + Self.shardLabel(k, of: shards), parameters, inputs: [],
                        options: StageTasks.generate(
                            s, channel: channel, events: events, seed: seed,
                            shardIndex: sharded ? k : nil, minInvisiblePt: floor,
                            particlePreselection: particleStage, partonVeto: partonVeto))
                }
            }
            var minbias: GridTask?
            if spec.pileup.means.contains(where: { $0 > 0 }) {
                let seed = seed("minbias")
                minbias = add(
                    "minbias", "minbias", ["events": String(spec.minbias.events), "seed": String(seed)], inputs: [],
                    options: StageTasks.generate(
                        s, channel: .minBias, events: spec.minbias.events, seed: seed, shardIndex: nil))
            }
            var datasets: [(mean: Double, task: GridTask)] = []
            for mean in spec.pileup.means {
                let mu = mean.argument
                var sources: [GridTask] = []
                for channel in GridSpec.channels {
                    let shards = generated[channel]!
                    guard mean > 0, let minbias else {
                        sources += shards
                        continue
                    }
                    for (k, shard) in shards.enumerated() {
                        let seed = seed("overlay/\(mu)/\(channel.name)" + (shards.count > 1 ? "/\(k)" : ""))
                        sources.append(
                            add(
                                "overlay", "overlay \(channel.name) <N>=\(mu)" + Self.shardLabel(k, of: shards.count),
                                [
                                    "channel": channel.name, "mean": mu, "seed": String(seed),
                                    "events": shard.parameters["shard_events"]!,
                                    "keep_hard_objects": String(spec.pileup.keepHardObjects),
                                ],
                                inputs: [shard, minbias],
                                options: StageTasks.overlay(
                                    events: Self.folder(shard, "events"), minbias: Self.folder(minbias, "events"),
                                    mean: mean, seed: seed, keepHardObjects: spec.pileup.keepHardObjects)))
                    }
                }
                let seed = seed("preprocess/\(mu)")
                let task = add(
                    "preprocess", "preprocess <N>=\(mu)",
                    [
                        "mean": mu, "met_cut": s.metCut.argument,
                        "images": spec.images.map(\.rawValue).joined(separator: ","),
                        "train": String(s.train), "validation": String(s.validation), "seed": String(seed),
                    ],
                    inputs: sources,
                    options: StageTasks.preprocess(
                        inputs: sources.map { Self.folder($0, "events") }, samples: s, images: spec.images,
                        seed: seed))
                datasets.append((mean, task))
            }
            var limitTasks: [GridTask] = []
            for (mean, dataset) in datasets {
                let mu = mean.argument
                let datasetFolder = Self.folder(dataset, "dataset")
                for net in spec.networks {
                    let network = net.rawValue
                    let seeds = (1...spec.seeds).map { seed("train/\(network)/\(mu)/\($0)") }
                    var evaluations: [GridTask] = []
                    let groups = stride(from: 0, to: seeds.count, by: spec.seedsPerJob).map {
                        Array(seeds[$0..<min($0 + spec.seedsPerJob, seeds.count)])
                    }
                    for group in groups {
                        let ranks = spec.resources.of(stage: "train").ranks! * group.count
                        let epochs = spec.epochs.of(network: net)
                        let options = StageTasks.train(
                            dataset: datasetFolder, network: net, epochs: epochs, seeds: group)
                        let train = add(
                            "train", "train \(network) <N>=\(mu) seed \(group.map(String.init).joined(separator: ","))",
                            [
                                "network": network, "mean": mu, "epochs": String(epochs),
                                "seeds": group.map(String.init).joined(separator: ","),
                            ],
                            inputs: [dataset], preemptible: true, ranks: ranks, options: options)
                        for seed in group {
                            evaluations.append(
                                add(
                                    "evaluate", "evaluate \(network) <N>=\(mu) seed \(seed)",
                                    [
                                        "network": network, "mean": mu, "seed": String(seed),
                                        "jes": String(spec.limits.jes),
                                    ],
                                    inputs: [train, dataset],
                                    options: StageTasks.evaluate(
                                        run: Self.resolve(options.runDirectory(seed: seed), of: train),
                                        dataset: datasetFolder, jes: spec.limits.jes)))
                        }
                    }
                    limitTasks.append(
                        add(
                            "limits", "limits \(network) <N>=\(mu)",
                            limitParameters(["analysis": network, "mean": mu]), inputs: evaluations + [dataset],
                            options: StageTasks.limits(
                                evaluations: evaluations.map { Self.folder($0, "evaluation") },
                                dataset: datasetFolder, analysis: network, limits: spec.limits)))
                }
                for cut in spec.limits.cutBased {
                    let observable = cut.observable.rawValue
                    limitTasks.append(
                        add(
                            "limits", "limits \(observable) met>\(cut.metCut) <N>=\(mu)",
                            limitParameters(["analysis": "cut-\(observable)-\(cut.metCut)", "mean": mu]),
                            inputs: [dataset],
                            options: StageTasks.cutBasedLimits(cut, dataset: datasetFolder, limits: spec.limits)))
                }
            }
            if !limitTasks.isEmpty {
                _ = add("report", "report", [:], inputs: limitTasks, arguments: StageTasks.report)
            }
        }

        /// Luminosities and systematics belong to every limits task's identity.
        func limitParameters(_ base: [String: String]) -> [String: String] {
            var p = base
            p["luminosities"] = spec.limits.luminosities.map(\.argument).joined(separator: ",")
            let sys = spec.limits.systematics
            if let lumi = sys.lumi { p["sys.lumi"] = String(lumi) }
            for (k, v) in sys.xsec { p["sys.xsec.\(k)"] = String(v) }
            for (k, v) in sys.physics { p["sys.physics.\(k)"] = String(v) }
            return p
        }

        mutating func addDevTasks(_ dev: [GridSpec.DevTask]) {
            var byName: [String: GridTask] = [:]
            for item in dev {
                let seed = seed("dev/\(item.name)")
                let arguments = item.command.map { $0.replacingOccurrences(of: "{seed}", with: String(seed)) }
                byName[item.name] = add(
                    "dev", item.name, ["name": item.name, "seed": String(seed)],
                    inputs: item.after.map { byName[$0]! }, preemptible: item.preemptible,
                    ranks: item.ranks, arguments: arguments)
            }
        }
    }
}
