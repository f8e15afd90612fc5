import Events
import Foundation
import NeuralNet
import Stages

/// The tasks of a grid spec, in an order where every task comes after its inputs.
///
/// Stages: generate (per channel × shard of `shard_size` events; for `files` one input task per
/// file: a copy, `detector` or `import-delphes`, `addInputTasks`) → minbias → overlay (per
/// ⟨N⟩ > 0 × overlay mode × generated shard) → preprocess (per ⟨N⟩ × overlay mode × training size
/// of a learning curve) → train (per network × ⟨N⟩ × seed, or per group of `seeds_per_job` seeds)
/// → evaluate (per seed) → limits (per network analysis × ⟨N⟩, and per cut-based analysis × ⟨N⟩)
/// → report; with `fidelity`, one fidelity task reading every generate task, also read by the report. ⟨N⟩ = 0 reads the generate outputs directly. The argument vectors are the typed stage
/// options of `StageTasks`, written by `StageOptions.commandLine`.
public struct TaskGraph: Sendable, Codable, Equatable {
    public static let stages = [
        "generate", "minbias", "fidelity", "overlay", "preprocess", "train", "evaluate", "limits", "report",
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
        /// Where an input task of generator `files` writes its events, when not `{task}/events`.
        var eventsPaths: [String: String] = [:]

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

        /// The events a generate, minbias or overlay task writes, as other tasks read them.
        func events(_ task: GridTask) -> String { eventsPaths[task.id] ?? Self.folder(task, "events") }

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
            for channel in GridSpec.channels where s.generator == .files {
                generated[channel] = addInputTasks(channel, stage: "generate", seed: seed("generate/\(channel.name)"))
            }
            for channel in GridSpec.channels where s.generator != .files {
                let seed = seed("generate/\(channel.name)"), events = s.events[channel]!
                // One task per shard (array elements on Slurm).
                let shards = max(1, (events + s.shardSize - 1) / s.shardSize)
                generated[channel] = (0..<shards).map { k in
                    let shardEvents = min(s.shardSize, events - k * s.shardSize)
                    var parameters = [
                        "channel": channel.name, "events": String(events), "seed": String(seed),
                        "generator": s.generator.rawValue, "shard_size": String(s.shardSize),
                        "shard_events": String(shardEvents), "shard": String(k),
                    ]
                    if let floor { parameters["min_invisible_pt"] = floor.argument }
                    if !particleStage { parameters["particle_preselection"] = "false" }
                    if !partonVeto { parameters["parton_veto"] = "false" }
                    return add(
                        "generate", "generate \(channel.name)" + Self.shardLabel(k, of: shards), parameters, inputs: [],
                        options: StageTasks.generate(
                            s, channel: channel, events: events, seed: seed, shardIndex: k, minInvisiblePt: floor,
                            particlePreselection: particleStage, partonVeto: partonVeto))
                }
            }
            var minbias: [GridTask] = []
            if spec.pileup.means.contains(where: { $0 > 0 }) {
                let seed = seed("minbias")
                minbias =
                    s.generator == .files
                    ? addInputTasks(.minBias, stage: "minbias", seed: seed)
                    : [
                        add(
                            "minbias", "minbias", ["events": String(spec.minbias.events), "seed": String(seed)],
                            inputs: [],
                            options: StageTasks.generate(
                                s, channel: .minBias, events: spec.minbias.events, seed: seed, shardIndex: nil))
                    ]
            }
            let fidelity = spec.fidelity.map {
                addFidelityTask($0, generated: GridSpec.channels.flatMap { generated[$0]! })
            }
            var datasets: [Dataset] = []
            for mean in spec.pileup.means {
                let mu = mean.argument
                // Both overlay modes side by side when the spec lists them (⟨N⟩ > 0 only).
                let modes = mean > 0 ? spec.pileup.overlayModes ?? [spec.pileup.keepHardObjects] : [false]
                for mode in modes {
                    let tag = mean > 0 && spec.pileup.overlayModes != nil ? mode : nil
                    var sources: [GridTask] = []
                    for channel in GridSpec.channels {
                        let shards = generated[channel]!
                        guard mean > 0, !minbias.isEmpty else {
                            sources += shards
                            continue
                        }
                        for (k, shard) in shards.enumerated() {
                            let seed = seed("overlay/\(mu)/\(channel.name)" + (shards.count > 1 ? "/\(k)" : ""))
                            sources.append(
                                add(
                                    "overlay",
                                    "overlay \(channel.name) <N>=\(mu)\(Dataset.modeLabel(tag))"
                                        + Self.shardLabel(k, of: shards.count),
                                    [
                                        "channel": channel.name, "mean": mu, "seed": String(seed),
                                        "events": shard.parameters["shard_events"] ?? shard.parameters["events"] ?? "?",
                                        "keep_hard_objects": String(mode),
                                    ],
                                    inputs: [shard] + minbias,
                                    options: StageTasks.overlay(
                                        events: events(shard), minbias: minbias.map(events),
                                        mean: mean, seed: seed, keepHardObjects: mode)))
                        }
                    }
                    // One data set per training size of a learning curve, all of one mixing seed.
                    let seed = seed("preprocess/\(mu)")
                    for size in s.learningCurve ?? [s.train] {
                        let dataset = Dataset(
                            mean: mean, keepHardObjects: tag, train: s.learningCurve == nil ? nil : size,
                            task: nil)
                        var parameters = dataset.parameters([
                            "mean": mu, "met_cut": s.metCut.argument,
                            "images": spec.images.map(\.rawValue).joined(separator: ","),
                            "train": String(size), "validation": String(s.validation), "seed": String(seed),
                        ])
                        if s.learningCurve != nil { parameters["validation_first"] = "true" }
                        let task = add(
                            "preprocess", "preprocess <N>=\(mu)\(dataset.label)", parameters, inputs: sources,
                            options: StageTasks.preprocess(
                                inputs: sources.map(events), samples: s, images: spec.images,
                                seed: seed, train: size))
                        datasets.append(Dataset(mean: mean, keepHardObjects: tag, train: dataset.train, task: task))
                    }
                }
            }
            var limitTasks: [GridTask] = []
            for d in datasets {
                let mu = d.mean.argument, dataset = d.task!
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
                            "train",
                            "train \(network) <N>=\(mu)\(d.label) seed \(group.map(String.init).joined(separator: ","))",
                            d.parameters([
                                "network": network, "mean": mu, "epochs": String(epochs),
                                "seeds": group.map(String.init).joined(separator: ","),
                            ]),
                            inputs: [dataset], preemptible: true, ranks: ranks, options: options)
                        for seed in group {
                            evaluations.append(
                                add(
                                    "evaluate", "evaluate \(network) <N>=\(mu)\(d.label) seed \(seed)",
                                    d.parameters([
                                        "network": network, "mean": mu, "seed": String(seed),
                                        "jes": String(spec.limits.jes),
                                    ]),
                                    inputs: [train, dataset],
                                    options: StageTasks.evaluate(
                                        run: Self.resolve(options.runDirectory(seed: seed), of: train),
                                        dataset: datasetFolder, jes: spec.limits.jes)))
                        }
                    }
                    limitTasks.append(
                        add(
                            "limits", "limits \(network) <N>=\(mu)\(d.label)",
                            limitParameters(d.parameters(["analysis": network, "mean": mu])),
                            inputs: evaluations + [dataset],
                            options: StageTasks.limits(
                                evaluations: evaluations.map { Self.folder($0, "evaluation") },
                                dataset: datasetFolder, analysis: network, limits: spec.limits)))
                }
                // The cut-based analyses read only the validation events, the same for every
                // training size: once per ⟨N⟩ and overlay mode, on the largest data set.
                guard d.train == nil || d.train == s.train else { continue }
                for cut in spec.limits.cutBased {
                    let observable = cut.observable.rawValue
                    limitTasks.append(
                        add(
                            "limits",
                            "limits \(observable) met>\(cut.metCut) <N>=\(mu)\(Dataset.modeLabel(d.keepHardObjects))",
                            limitParameters(
                                Dataset(mean: d.mean, keepHardObjects: d.keepHardObjects, train: nil, task: nil)
                                    .parameters(["analysis": "cut-\(observable)-\(cut.metCut)", "mean": mu])),
                            inputs: [dataset],
                            options: StageTasks.cutBasedLimits(cut, dataset: datasetFolder, limits: spec.limits)))
                }
            }
            if !limitTasks.isEmpty {
                _ = add(
                    "report", "report", [:], inputs: limitTasks + (fidelity.map { [$0] } ?? []),
                    arguments: StageTasks.report)
            }
        }

        /// The fidelity task: the events of every generate task (⟨N⟩ = 0) against the reference,
        /// whose path and SHA-256 are part of its identity.
        mutating func addFidelityTask(_ fidelity: GridSpec.Fidelity, generated: [GridTask]) -> GridTask {
            let seed = seed("fidelity")
            var parameters = ["input": fidelity.reference, "seed": String(seed)]
            if let sha256 = fidelity.sha256 { parameters["sha256"] = sha256 }
            if let events = fidelity.events { parameters["events"] = String(events) }
            return add(
                "fidelity", "fidelity", parameters, inputs: generated,
                options: StageTasks.fidelity(fidelity, fastsim: generated.map(events), seed: seed))
        }

        /// One task per file of `channel` (generator `files`), in path order: a copy, the detector or
        /// import-delphes by the file's format (`StageTasks.input`), labelled `<command> <channel>
        /// file k/n (<name>)`. Its identity holds the file's absolute path and SHA-256, so a changed
        /// file reruns it and what depends on it.
        mutating func addInputTasks(_ channel: Channel, stage: String, seed: UInt64) -> [GridTask] {
            let files = spec.samples.inputs[channel] ?? []
            return files.enumerated().map { k, file in
                var parameters = [
                    "channel": channel.name, "generator": "files", "input": file.path, "sha256": file.sha256,
                    "format": file.format.rawValue,
                ]
                if let events = file.events { parameters["events"] = String(events) }
                let (options, events) = StageTasks.input(file, channel: channel, seed: seed)
                let name = URL(fileURLWithPath: file.path).lastPathComponent
                let task = add(
                    stage, "\(type(of: options).command) \(channel.name) file \(k + 1)/\(files.count) (\(name))",
                    parameters, inputs: [], options: options)
                eventsPaths[task.id] = Self.resolve(events, of: task)
                return task
            }
        }

        /// One data set of the graph: its ⟨N⟩, its overlay mode when the spec lists both, its
        /// training size on a learning curve. The mode and size enter the parameters (and so the
        /// ids) of the tasks that read it only when the spec asks for several, so a scalar spec
        /// keeps its task ids.
        struct Dataset {
            var mean: Double
            var keepHardObjects: Bool?
            var train: Int?
            var task: GridTask?

            func parameters(_ base: [String: String]) -> [String: String] {
                var p = base
                if let keepHardObjects { p["keep_hard_objects"] = String(keepHardObjects) }
                if let train { p["train"] = String(train) }
                return p
            }

            static func modeLabel(_ keepHardObjects: Bool?) -> String {
                keepHardObjects.map { $0 ? " keep-hard-objects" : " reclustered" } ?? ""
            }

            var label: String { Self.modeLabel(keepHardObjects) + (train.map { " train \($0)" } ?? "") }
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
