import ArgumentParser
import Events
import FastSim
import Foundation
import Generation
import Outputs
import Preprocessing
import Stages

/// `fidelity`: fastsim against a reference generator, channel by channel (docs/physics.md,
/// "fastsim fidelity"): fastsim generated in process, or read from the events of `--fastsim`
/// (a grid's generate tasks), against the reference's selected events; writes `fidelity.json`,
/// `index.html` and one figure per channel into `--out`.
public struct FidelityStage: SerialStage {
    public var options: Options

    public init(options: Options) { self.options = options }

    /// The options of `vbfgrid fidelity`.
    public struct Options: StageOptions {
        public static let command = "fidelity"

        @Option(help: "Reference: a folder of vbfgrid.events files, one such file, or a vbfgrid.observables file.")
        public var reference: String
        @Option(
            help: ArgumentHelp("Comma-separated channels (default: the six physics channels).", valueName: "list"),
            transform: CommaList.init(parsing:))
        public var channels: CommaList<Channel>?
        @Option(help: "At most this many selected events per sample and channel (default: all of the reference's).")
        public var events: Int?
        @Option(help: "Seed of the in-process fastsim and of the classifier tests.")
        public var seed: UInt64 = 1
        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp(
                "Read fastsim events from these vbfgrid.events files or folders (a grid's generate shards) "
                    + "instead of generating them.", valueName: "path"))
        public var fastsim: [String] = []
        @Option(help: "Folds of the classifier tests.")
        public var folds = 5
        @Option(help: "Training epochs of the event-level MLP.")
        public var eventEpochs = 40
        @Option(help: "Training epochs of the image-level CNN.")
        public var imageEpochs = 12
        @Flag(help: "Skip the image-level test.")
        public var noImages = false
        @Option(help: "Write the reference's observables to this vbfgrid.observables file and stop.")
        public var exportObservables: String?
        @Option(help: "Output folder (fidelity.json, index.html, figures).")
        public var out: String?
        @Flag(help: .forceOutput)
        public var force = false

        public init() {}

        /// A comparison of the events in `fastsim` with `reference`, written to `out`, with the
        /// harness's default settings (`FidelitySettings()`).
        public init(reference: String, fastsim: [String], events: Int?, seed: UInt64, out: String, force: Bool = false)
        {
            let defaults = FidelitySettings()
            self.reference = reference
            self.fastsim = fastsim
            self.events = events
            self.seed = seed
            self.out = out
            self.force = force
            (channels, exportObservables, noImages) = (nil, nil, !defaults.images)
            (folds, eventEpochs, imageEpochs) = (defaults.folds, defaults.eventEpochs, defaults.imageEpochs)
        }

        public func validate() throws {
            guard folds >= 2 else { throw ValidationError("--folds must be at least 2, got \(folds)") }
            guard eventEpochs > 0, imageEpochs > 0 else {
                throw ValidationError("--event-epochs and --image-epochs must be positive")
            }
            if let events, events <= 0 { throw ValidationError("--events must be positive, got \(events)") }
            guard out != nil || exportObservables != nil else {
                throw ValidationError("give --out (or --export-observables)")
            }
        }

        public var arguments: [String] {
            var a = ["--reference", reference]
            if let channels { a += ["--channels", channels.argument] }
            if let events { a += ["--events", String(events)] }
            a += ["--seed", String(seed)]
            if !fastsim.isEmpty { a += ["--fastsim"] + fastsim }
            a += [
                "--folds", String(folds), "--event-epochs", String(eventEpochs), "--image-epochs", String(imageEpochs),
            ]
            if noImages { a.append("--no-images") }
            if let exportObservables { a += ["--export-observables", exportObservables] }
            if let out { a += ["--out", out] }
            return a + (force ? ["--force"] : [])
        }

        /// The channels compared.
        var channelList: [Channel] { channels?.values ?? Channel.physics }

        var settings: FidelitySettings {
            FidelitySettings(
                folds: folds, eventEpochs: eventEpochs, imageEpochs: imageEpochs, seed: seed, images: !noImages)
        }
    }

    public func run() throws {
        if let path = options.exportObservables { return try export(to: path) }
        let out = options.out!
        try OutputPath.ensureDirectory(out)
        let output = try OutputClaim(
            options, folder: out, inputs: ["reference", "fastsim"], neutral: ["export-observables"],
            force: options.force
        ).take()
        defer { output.release() }
        let settings = options.settings
        var results: [ChannelFidelity] = []
        var pairs: [(fastsim: FidelitySample, reference: FidelitySample)] = []
        var referenceGenerators: [String] = [], fastsimGenerators: [String] = []
        func note(_ generator: String, in list: inout [String]) {
            if !list.contains(generator) { list.append(generator) }
        }
        // One channel at a time, so that only one channel's images are in memory.
        for channel in options.channelList {
            let loaded = try SampleLoader.load(
                [options.reference], channels: [channel], keepImages: settings.images, maxSelected: options.events)
            note(loaded.generator, in: &referenceGenerators)
            guard var ref = loaded.samples[channel] else {
                print("\(channel.name): no reference events, skipped")
                continue
            }
            var fast: FidelitySample
            if !options.fastsim.isEmpty {
                let files = try SampleLoader.load(
                    options.fastsim, channels: [channel], keepImages: ref.hasImages, maxSelected: ref.count)
                note(files.generator, in: &fastsimGenerators)
                guard let sample = files.samples[channel] else {
                    throw FidelityError.invalidInput(
                        "--fastsim \(options.fastsim.joined(separator: " ")): no \(channel.name) events")
                }
                fast = sample
            } else {
                fast = try Self.generate(channel, seed: options.seed, selected: ref.count, images: ref.hasImages)
                note("vbfgrid fastsim \(FastSim.version) (seed \(options.seed), in process)", in: &fastsimGenerators)
            }
            let result = try ChannelFidelity.compare(fastsim: fast, reference: ref, settings: settings)
            print(Self.line(result))
            results.append(result)
            fast.dropImages()
            ref.dropImages()
            pairs.append((fast, ref))
        }
        let report = FidelityReport(
            fastsimGenerator: fastsimGenerators.joined(separator: "; "),
            referenceGenerator: referenceGenerators.joined(separator: "; "),
            reference: options.reference, settings: settings, channels: results)
        try FidelityOutput.write(report, samples: pairs, to: URL(fileURLWithPath: out))
        print("wrote \(out)/fidelity.json and \(out)/index.html")
    }

    /// `--export-observables`: the reference's observables as a vbfgrid.observables file.
    private func export(to path: String) throws {
        let list = options.channelList
        let (generator, samples) = try SampleLoader.load(
            [options.reference], channels: list, keepImages: false, maxSelected: options.events)
        try ObservablesFile.write(list.compactMap { samples[$0] }, generator: generator, to: path)
        for c in list { print("\(c.name): \(samples[c]?.count ?? 0) selected of \(samples[c]?.offered ?? 0)") }
        print("wrote \(path)")
    }

    /// fastsim events of `channel` (fastsim + detector, as `generate`) until `selected` pass the selection.
    static func generate(_ channel: Channel, seed: UInt64, selected: Int, images: Bool) throws -> FidelitySample {
        let pipeline = FastSimPipeline(channel: channel, seed: seed)
        var sample = FidelitySample(channel: channel, keepImages: images)
        var imager = EventImager()
        var i = 0
        while sample.count < selected {
            guard i < 1000 * selected else {
                throw FidelityError.invalidInput(
                    "fastsim selected \(sample.count) \(channel.name) events of \(i); the selection rejects nearly all")
            }
            sample.add(pipeline.event(i).event, imager: &imager)
            i += 1
        }
        return sample
    }

    /// One channel's result as a line for the terminal.
    static func line(_ c: ChannelFidelity) -> String {
        var s =
            "\(c.channel): \(c.compared) events, event AUC "
            + String(format: "%.3f ± %.3f", c.eventAUC.mean, c.eventAUC.spread)
        if let image = c.imageAUC { s += ", image AUC " + String(format: "%.3f ± %.3f", image.mean, image.spread) }
        let worst = c.worst.compactMap { name in c.observables.first { $0.name == name } }.map {
            "\($0.name) "
                + String(format: "%.3f (%.3g / %.3g)", $0.auc, $0.fastsimMedian ?? .nan, $0.referenceMedian ?? .nan)
        }
        return s + "; worst: " + worst.joined(separator: ", ")
    }
}
