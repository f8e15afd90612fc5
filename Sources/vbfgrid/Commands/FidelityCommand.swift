import ArgumentParser
import Events
import FastSim
import Fidelity
import Foundation
import Generation
import Preprocessing

/// `vbfgrid fidelity`: fastsim against a reference generator, channel by channel (docs/physics.md,
/// "fastsim fidelity").
struct FidelityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fidelity",
        abstract: "Compare fastsim with reference events: classifier two-sample tests and per-observable statistics.",
        discussion: """
            For each channel, the selected events (baseline selection, met > 200 GeV) of fastsim, generated in \
            process with --seed (or read from --fastsim DIR), and of the reference: a folder of vbfgrid.events \
            files of any generator (Pythia through the detector, Delphes imports), or a vbfgrid.observables file \
            (then without the image test). An MLP on the z-scored observables and a small CNN on the PJ-LR images \
            learn to tell the two apart in k-fold cross-validation: AUC 0.5 means they cannot. Per observable: \
            medians, Kolmogorov–Smirnov distance and the observable's own AUC, so the worst offenders are named. \
            Writes fidelity.json, index.html and one figure per channel (SVG, CSV, JSON) into --out. \
            --export-observables FILE instead writes the reference's observables as a vbfgrid.observables file.
            """)

    @Option(help: "Reference: a folder of vbfgrid.events files, one such file, or a vbfgrid.observables file.")
    var reference: String
    @Option(help: "Comma-separated channels (default: the six physics channels).") var channels: String?
    @Option(help: "At most this many selected events per sample and channel (default: all of the reference's).")
    var events: Int?
    @Option(help: "Seed of the in-process fastsim and of the classifier tests.") var seed: UInt64 = 1
    @Option(help: "Read fastsim events from this folder of vbfgrid.events files instead of generating them.")
    var fastsim: String?
    @Option(help: "Folds of the classifier tests.") var folds = 5
    @Option(help: "Training epochs of the event-level MLP.") var eventEpochs = 40
    @Option(help: "Training epochs of the image-level CNN.") var imageEpochs = 12
    @Flag(help: "Skip the image-level test.") var noImages = false
    @Option(help: "Write the reference's observables to this vbfgrid.observables file and stop.")
    var exportObservables: String?
    @Option(help: "Output folder (fidelity.json, index.html, figures).") var out: String?

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2, got \(folds)") }
        guard eventEpochs > 0, imageEpochs > 0 else {
            throw ValidationError("--event-epochs and --image-epochs must be positive")
        }
        if let events, events <= 0 { throw ValidationError("--events must be positive, got \(events)") }
        guard out != nil || exportObservables != nil else {
            throw ValidationError("give --out (or --export-observables)")
        }
    }

    func run() throws {
        let list =
            try channels.map { spec in
                try spec.split(separator: ",").map { try Channel(parsing: String($0)) }
            } ?? Channel.physics
        if let exportObservables {
            let (generator, samples) = try SampleLoader.load(
                reference, channels: list, keepImages: false, maxSelected: events)
            try ObservablesFile.write(list.compactMap { samples[$0] }, generator: generator, to: exportObservables)
            for c in list { print("\(c.name): \(samples[c]?.count ?? 0) selected of \(samples[c]?.offered ?? 0)") }
            print("wrote \(exportObservables)")
            return
        }
        let settings = FidelitySettings(
            folds: folds, eventEpochs: eventEpochs, imageEpochs: imageEpochs, seed: seed,
            images: !noImages)
        var results: [ChannelFidelity] = []
        var pairs: [(fastsim: FidelitySample, reference: FidelitySample)] = []
        var referenceGenerators: [String] = [], fastsimGenerators: [String] = []
        func note(_ generator: String, in list: inout [String]) {
            if !list.contains(generator) { list.append(generator) }
        }
        // One channel at a time, so that only one channel's images are in memory.
        for channel in list {
            let loaded = try SampleLoader.load(
                reference, channels: [channel], keepImages: settings.images, maxSelected: events)
            note(loaded.generator, in: &referenceGenerators)
            guard var ref = loaded.samples[channel] else {
                print("\(channel.name): no reference events, skipped")
                continue
            }
            var fast: FidelitySample
            if let fastsim {
                let files = try SampleLoader.load(
                    fastsim, channels: [channel], keepImages: ref.hasImages, maxSelected: ref.count)
                note(files.generator, in: &fastsimGenerators)
                guard let sample = files.samples[channel] else {
                    throw ValidationError("--fastsim \(fastsim): no \(channel.name) events")
                }
                fast = sample
            } else {
                fast = try Self.generate(channel, seed: seed, selected: ref.count, images: ref.hasImages)
                note("vbfgrid fastsim \(FastSim.version) (seed \(seed), in process)", in: &fastsimGenerators)
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
            reference: reference, settings: settings, channels: results)
        try FidelityOutput.write(report, samples: pairs, to: URL(fileURLWithPath: out!))
        print("wrote \(out!)/fidelity.json and \(out!)/index.html")
    }

    /// fastsim events of `channel` (fastsim + detector, as `generate`) until `selected` pass the selection.
    static func generate(_ channel: Channel, seed: UInt64, selected: Int, images: Bool) throws -> FidelitySample {
        let pipeline = FastSimPipeline(channel: channel, seed: seed)
        var sample = FidelitySample(channel: channel, keepImages: images)
        var imager = EventImager()
        var i = 0
        while sample.count < selected {
            guard i < 1000 * selected else {
                throw ValidationError(
                    "fastsim selected \(sample.count) \(channel.name) events of \(i); the selection rejects nearly all")
            }
            sample.add(pipeline.event(i).event, imager: &imager)
            i += 1
        }
        return sample
    }

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
