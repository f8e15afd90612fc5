import Datasets
import Events
import Foundation
import Generation
import Limits
import NeuralNet
import Training
import Yams

extension GridSpec {
    /// Reads and checks a grid spec file. Every problem — YAML syntax, unknown key, wrong type,
    /// bad value — throws a `SpecError` located at `FILE:LINE:COLUMN` with the key path.
    /// `dev_tasks` (free-form test grids) are refused unless `allowDevTasks` is set.
    /// `resolveInputs`: with generator `files`, expand, check and hash the input files
    /// (`samples.inputs`); off for the copy in a run folder, whose graph.json holds them.
    public static func load(path: String, allowDevTasks: Bool = false, resolveInputs: Bool = true) throws -> GridSpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError(file: path, line: 0, column: 0, path: "", message: "cannot read the file")
        }
        return try parse(
            String(decoding: data, as: UTF8.self), file: path, allowDevTasks: allowDevTasks,
            resolveInputs: resolveInputs)
    }

    /// Parses spec text; `file` names it in errors, and relative `samples.files` paths are taken
    /// relative to its folder.
    public static func parse(_ text: String, file: String, allowDevTasks: Bool = false, resolveInputs: Bool = true)
        throws -> GridSpec
    {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw SpecError(
                    file: file, line: 1, column: 1, path: "", message: "the file is empty; expected a mapping")
            }
            root = node
        } catch let error as YamlError {
            throw SpecReader.locate(error, file: file)
        }
        let base = resolveInputs ? URL(fileURLWithPath: file).deletingLastPathComponent().path : nil
        return try SpecReader(allowDevTasks: allowDevTasks, inputBase: base)
            .spec(SpecNode(node: root, file: file, path: ""))
    }
}

/// Turns the composed YAML tree into a `GridSpec`, key by key (the keys of docs/grid-spec.md).
struct SpecReader {
    let allowDevTasks: Bool
    /// The folder relative `samples.files` paths start from; nil: the files are not resolved.
    let inputBase: String?

    static func locate(_ error: YamlError, file: String) -> SpecError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let what = [context?.text, problem].compactMap { $0 }.joined(separator: " ")
            return SpecError(
                file: file, line: mark.line, column: mark.column, path: "", message: "YAML syntax: \(what)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return SpecError(
                file: file, line: context.mark.line, column: context.mark.column, path: "",
                message: "duplicated keys \(duplicates.joined(separator: ", "))")
        default:
            return SpecError(file: file, line: 1, column: 1, path: "", message: "YAML: \(error)")
        }
    }

    func spec(_ root: SpecNode) throws -> GridSpec {
        let top = try root.mapping(allowed: [
            "name", "seed", "samples", "minbias", "pileup", "images", "networks", "seeds",
            "seeds_per_job", "epochs", "limits", "resources", "slurm", "local", "dev_tasks", "fidelity",
        ])
        let name = try top.required("name").string()
        guard name.range(of: "^[A-Za-z0-9][A-Za-z0-9._-]*$", options: .regularExpression) != nil else {
            throw try top.required("name").error("expected a run name of letters, digits, '.', '_' and '-'")
        }
        let seedNode = try top.required("seed")
        guard let seed = UInt64(try seedNode.string()) else {
            throw seedNode.error("expected a non-negative integer seed")
        }

        var devTasks: [GridSpec.DevTask]?
        if let node = top["dev_tasks"] {
            guard allowDevTasks else {
                throw node.error("dev_tasks are for tests and development only; pass --dev-tasks to accept them")
            }
            devTasks = try self.devTasks(node)
        }
        let physics = devTasks == nil
        func need(_ key: String) throws -> SpecNode? {
            if let node = top[key] { return node }
            if physics { _ = try top.required(key) }
            return nil
        }

        let samples =
            try need("samples").map(self.samples)
            ?? GridSpec.Samples(
                generator: .fastsim, events: [:], files: [:], inputs: [:], shardSize: 1000, train: 0, validation: 0,
                metCut: 200)
        let networks = try need("networks").map { try names($0, allowed: GridSpec.networkChoices, \.rawValue) } ?? []
        func imageInput(_ network: Network) -> ImageVariant? {
            if case .image(let variant) = try? NetworkInput(network: network) { return variant }
            return nil
        }
        var images =
            try top["images"].map { try names($0, allowed: ImageVariant.allCases, \.rawValue) }
            ?? networks.compactMap(imageInput)
        for (index, network) in networks.enumerated() {
            if let variant = imageInput(network), !images.contains(variant) {
                throw try top.required("networks").list()[index]
                    .error("network \(network.rawValue) needs image variant \(variant.rawValue) in images")
            }
        }
        images = images.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }

        let seeds = try top["seeds"]?.int(min: 1, what: "a seed count") ?? 1
        let pileup = try top["pileup"].map(pileup) ?? GridSpec.Pileup(means: [0], keepHardObjects: false)
        if samples.generator == .files, samples.files[.minBias] == nil, pileup.means.contains(where: { $0 > 0 }),
            let node = top["samples"]
        {
            throw node.error("pileup (some ⟨N⟩ > 0) with generator files needs samples.files.minbias")
        }
        return GridSpec(
            name: name, seed: seed,
            samples: samples,
            minbias: try top["minbias"].map(minbias) ?? GridSpec.MinBias(events: 10_000),
            pileup: pileup,
            images: images, networks: networks, seeds: seeds,
            seedsPerJob: try top["seeds_per_job"]?.int(min: 1, what: "a number of seeds per job") ?? 1,
            epochs: try top["epochs"].map(epochs) ?? GridSpec.Epochs(cnn: 20, reluANN: 200, sigmoidANN: 1000),
            limits: try top["limits"].map(limits)
                ?? GridSpec.Limits(
                    luminosities: [36, 140, 300], cutBased: [], jes: false,
                    systematics: GridSpec.Systematics(lumi: nil, xsec: [:], physics: [:])),
            resources: try top["resources"].map(resources)
                ?? GridSpec.Resources(defaults: Self.defaultResources, stages: [:]),
            slurm: try top["slurm"].map(slurm)
                ?? GridSpec.SlurmOptions(
                    account: nil, partition: nil, qos: nil, extra: [], setup: [], launcher: "srun", arrayLimit: 50,
                    signalSeconds: 300),
            local: try top["local"].map(local) ?? GridSpec.LocalOptions(concurrency: 2),
            devTasks: devTasks,
            fidelity: try top["fidelity"].map { try fidelity($0, generator: samples.generator) })
    }

    static let defaultResources = TaskResources(
        ranks: 1, cpusPerRank: 1, memory: "2G", time: "01:00:00", partition: nil)

    private func names<T: Equatable>(_ node: SpecNode, allowed: [T], _ name: (T) -> String) throws -> [T] {
        let items = try node.list()
        guard !items.isEmpty else {
            throw node.error("expected a non-empty list of \(allowed.map(name).joined(separator: ", "))")
        }
        var chosen: [T] = []
        for item in items {
            let value = try item.choice(allowed, name)
            if chosen.contains(value) { throw item.error("\(name(value)) is listed twice") }
            chosen.append(value)
        }
        return chosen
    }

    /// The physics channel called `key` in a mapping (or, with `minbias`, the key `minbias`).
    private func channel(_ key: String, _ keyNode: SpecNode, what: String = "channel", minbias: Bool = false) throws
        -> Channel
    {
        if minbias && key == "minbias" { return .minBias }
        guard let channel = GridSpec.channels.first(where: { $0.name == key }) else {
            throw keyNode.error(
                "unknown \(what); expected one of \(GridSpec.channels.map(\.name).joined(separator: ", "))"
                    + (minbias ? ", minbias" : ""))
        }
        return channel
    }

    private func samples(_ node: SpecNode) throws -> GridSpec.Samples {
        let m = try node.mapping(allowed: [
            "generator", "events", "files", "shard_size", "train", "validation", "met_cut",
            "min_invisible_pt",
        ])
        let generator = try m["generator"]?.choice(GenerateStage.Generator.allCases, \.rawValue) ?? .fastsim
        if generator == .files, let node = m["events"] {
            throw node.error("not used with generator files (the events are those of samples.files); remove it")
        }
        let eventsNode = generator == .files ? nil : try m.required("events")
        var events: [Channel: Int] = [:]
        if let eventsNode, case .mapping = eventsNode.node {
            for (key, value, keyNode) in try eventsNode.freeMapping() {
                events[try channel(key, keyNode)] = try value.int(min: 1, what: "a number of events")
            }
            if let missing = GridSpec.channels.first(where: { events[$0] == nil }) {
                throw eventsNode.error(
                    "missing channel \(missing.name) (give all six, or one number for every channel)")
            }
        } else if let eventsNode {
            let n = try eventsNode.int(min: 1, what: "a number of events per channel, or a mapping channel → events")
            for channel in GridSpec.channels { events[channel] = n }
        }
        var files: [Channel: String] = [:]
        var inputs: [Channel: [InputFile]] = [:]
        if let filesNode = m["files"] {
            guard generator == .files else { throw filesNode.error("needs samples.generator: files") }
            for (key, value, keyNode) in try filesNode.freeMapping() {
                let channel = try channel(key, keyNode, minbias: true)
                files[channel] = try value.string()
                if let inputBase {
                    inputs[channel] = try InputFiles.resolve(
                        files[channel]!, channel: channel, base: inputBase, node: value)
                }
            }
        }
        if generator == .files, let missing = GridSpec.channels.first(where: { files[$0] == nil }) {
            throw (m["files"] ?? node).error("generator files needs samples.files.\(missing.name)")
        }
        let trainNode = try m.required("train")
        var learningCurve: [Int]?
        if case .sequence = trainNode.node {
            var sizes: [Int] = []
            for item in try trainNode.list() {
                let size = try item.int(min: 1, what: "a train-set size")
                if let last = sizes.last, size <= last {
                    throw item.error("train-set sizes must be listed in increasing order (\(size) after \(last))")
                }
                sizes.append(size)
            }
            guard sizes.count >= 2 else {
                throw trainNode.error("a learning curve needs at least two train-set sizes; give one number otherwise")
            }
            learningCurve = sizes
        }
        return GridSpec.Samples(
            generator: generator, events: events, files: files, inputs: inputs,
            shardSize: try m["shard_size"]?.int(min: 1, what: "events per shard") ?? 1000,
            train: try learningCurve?.last ?? trainNode.int(min: 1, what: "a train-set size, or a list of them"),
            validation: try m.required("validation").int(min: 1, what: "a validation-set size"),
            metCut: try m["met_cut"]?.double(min: 0, what: "a missing-energy cut in GeV") ?? 200,
            minInvisiblePt: try m["min_invisible_pt"]?.double(min: 0, what: "an invisible-p_T floor in GeV"),
            learningCurve: learningCurve)
    }

    private func minbias(_ node: SpecNode) throws -> GridSpec.MinBias {
        let m = try node.mapping(allowed: ["events"])
        return GridSpec.MinBias(events: try m.required("events").int(min: 1, what: "a min-bias library size"))
    }

    private func pileup(_ node: SpecNode) throws -> GridSpec.Pileup {
        let m = try node.mapping(allowed: ["means", "keep_hard_objects"])
        let items = try m.required("means").list()
        guard !items.isEmpty else { throw try m.required("means").error("expected a non-empty list of ⟨N⟩ values") }
        var means: [Double] = []
        for item in items {
            let mean = try item.double(min: 0, what: "a mean pileup ⟨N⟩")
            if means.contains(mean) { throw item.error("⟨N⟩ = \(mean) is listed twice") }
            means.append(mean)
        }
        var modes: [Bool]?
        if let node = m["keep_hard_objects"], case .sequence = node.node {
            let values = try node.list().map { try $0.bool() }
            guard Set(values).count == values.count, values.count == 2 else {
                throw node.error("expected a boolean, or both overlay modes as [false, true]")
            }
            modes = values
        }
        return GridSpec.Pileup(
            means: means, keepHardObjects: try modes?.first ?? m["keep_hard_objects"]?.bool() ?? false,
            overlayModes: modes)
    }

    private func epochs(_ node: SpecNode) throws -> GridSpec.Epochs {
        let m = try node.mapping(allowed: ["cnn", "relu_ann", "sigmoid_ann"])
        return GridSpec.Epochs(
            cnn: try m["cnn"]?.int(min: 1, what: "a number of epochs") ?? 20,
            reluANN: try m["relu_ann"]?.int(min: 1, what: "a number of epochs") ?? 200,
            sigmoidANN: try m["sigmoid_ann"]?.int(min: 1, what: "a number of epochs") ?? 1000)
    }

    private func limits(_ node: SpecNode) throws -> GridSpec.Limits {
        let m = try node.mapping(allowed: ["luminosities", "cut_based", "jes", "systematics"])
        var luminosities: [Double] = []
        for item in try m["luminosities"]?.list() ?? [] {
            let luminosity = try item.double(min: 0.001, what: "a luminosity in fb⁻¹")
            if luminosities.contains(luminosity) { throw item.error("L = \(luminosity) fb⁻¹ is listed twice") }
            luminosities.append(luminosity)
        }
        if m["luminosities"] == nil { luminosities = [36, 140, 300] }
        var cutBased: [GridSpec.CutBased] = []
        for item in try m["cut_based"]?.list() ?? [] {
            let c = try item.mapping(allowed: ["observable", "met_cut"])
            let analysis = GridSpec.CutBased(
                observable: try c.required("observable").choice(CutBasedLimits.Variable.allCases, \.rawValue),
                metCut: try c.required("met_cut").int(min: 0, what: "a missing-energy cut in GeV"))
            if cutBased.contains(analysis) { throw item.error("this cut-based analysis is listed twice") }
            cutBased.append(analysis)
        }
        var systematics = GridSpec.Systematics(lumi: nil, xsec: [:], physics: [:])
        if let s = try m["systematics"]?.mapping(allowed: ["lumi", "xsec", "physics"]) {
            systematics.lumi = try s["lumi"]?.double(min: 0, what: "a relative uncertainty")
            for (key, value, keyNode) in try s["xsec"]?.freeMapping() ?? [] {
                systematics.xsec[try channel(key, keyNode, what: "sample").name] = try value.double(
                    min: 0, what: "a relative uncertainty")
            }
            for (key, value, _) in try s["physics"]?.freeMapping() ?? [] {
                systematics.physics[key] = try value.double(what: "a number")
            }
        }
        return GridSpec.Limits(
            luminosities: luminosities, cutBased: cutBased, jes: try m["jes"]?.bool() ?? false,
            systematics: systematics)
    }

    static let resourceKeys = ["ranks", "cpus_per_rank", "memory", "time", "partition"]

    private func taskResources(_ node: SpecNode) throws -> TaskResources {
        let m = try node.mapping(allowed: Self.resourceKeys)
        var r = TaskResources()
        r.ranks = try m["ranks"]?.int(min: 1, what: "a number of MPI ranks")
        r.cpusPerRank = try m["cpus_per_rank"]?.int(min: 1, what: "a number of CPUs per rank")
        if let memory = m["memory"] {
            let text = try memory.string()
            guard text.range(of: "^[0-9]+[KMGT]?$", options: .regularExpression) != nil else {
                throw memory.error("expected memory in Slurm syntax, e.g. 4G or 500M")
            }
            r.memory = text
        }
        if let time = m["time"] {
            let text = try time.string()
            guard TaskResources.seconds(of: text) != nil else {
                throw time.error("expected a time limit like 30, 02:00:00 or 1-12:00:00")
            }
            r.time = text
        }
        r.partition = try m["partition"]?.string()
        return r
    }

    private func resources(_ node: SpecNode) throws -> GridSpec.Resources {
        let m = try node.mapping(allowed: ["default"] + TaskGraph.stages + ["pilot", "dev"])
        var defaults = Self.defaultResources
        if let d = try m["default"].map(taskResources) {
            defaults = TaskResources(
                ranks: d.ranks ?? 1, cpusPerRank: d.cpusPerRank ?? 1, memory: d.memory ?? "2G",
                time: d.time ?? "01:00:00", partition: d.partition)
        }
        var stages: [String: TaskResources] = [:]
        for (key, value) in m.entries where key != "default" { stages[key] = try taskResources(value) }
        return GridSpec.Resources(defaults: defaults, stages: stages)
    }

    private func slurm(_ node: SpecNode) throws -> GridSpec.SlurmOptions {
        let m = try node.mapping(allowed: [
            "account", "partition", "qos", "extra", "setup", "launcher", "array_limit",
            "signal_seconds",
        ])
        return GridSpec.SlurmOptions(
            account: try m["account"]?.string(), partition: try m["partition"]?.string(), qos: try m["qos"]?.string(),
            extra: try m["extra"]?.stringList() ?? [], setup: try m["setup"]?.stringList() ?? [],
            launcher: try m["launcher"]?.choice(["srun", "mpirun"]) ?? "srun",
            arrayLimit: try m["array_limit"]?.int(min: 1, what: "a number of array elements running at once") ?? 50,
            signalSeconds: try m["signal_seconds"]?.int(min: 10, what: "seconds before the time limit") ?? 300)
    }

    private func local(_ node: SpecNode) throws -> GridSpec.LocalOptions {
        let m = try node.mapping(allowed: ["concurrency"])
        return GridSpec.LocalOptions(concurrency: try m["concurrency"]?.int(min: 1, what: "a number of cores") ?? 2)
    }

    private func devTasks(_ node: SpecNode) throws -> [GridSpec.DevTask] {
        var tasks: [GridSpec.DevTask] = []
        for item in try node.list() {
            let m = try item.mapping(allowed: ["name", "command", "after", "ranks", "preemptible"])
            let name = try m.required("name").string()
            if tasks.contains(where: { $0.name == name }) {
                throw try m.required("name").error("task name '\(name)' is used twice")
            }
            let after = try m["after"]?.stringList() ?? []
            for (index, dependency) in after.enumerated() where !tasks.contains(where: { $0.name == dependency }) {
                throw try m.required("after").list()[index].error(
                    "expected the name of an earlier task, found '\(dependency)'")
            }
            let command = try m.required("command").stringList()
            guard !command.isEmpty else {
                throw try m.required("command").error("expected a non-empty vbfgrid argument list")
            }
            tasks.append(
                GridSpec.DevTask(
                    name: name, command: command, after: after,
                    ranks: try m["ranks"]?.int(min: 1, what: "a number of MPI ranks") ?? 1,
                    preemptible: try m["preemptible"]?.bool() ?? false))
        }
        return tasks
    }
}
