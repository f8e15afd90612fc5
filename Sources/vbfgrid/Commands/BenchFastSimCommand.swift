import ArgumentParser
import Events
import FastSim
import Foundation
import Generation
import NeuralNet
import Pileup
import Selection
import Stages

/// `vbfgrid bench fastsim`: generates, reconstructs and selects events of every channel in
/// memory, and prints the speed, the cutflow, the feature medians and the separation ranking.
struct BenchFastSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fastsim",
        abstract: "Measure fastsim + detector + selection speed and print the calibration summary.",
        discussion: """
            Runs on one core, in memory (no files). Rates are per second of wall-clock time and, in \
            the cpu columns, per second of this thread's CPU time (the meaningful figure on a shared \
            machine); "cpu share" is their ratio. With --preselection-loss the generator-level \
            preselection is not applied but judged: the program counts the selected events it would \
            have rejected, and in brackets how many of them only its particle-level stage rejects; add \
            --loss-pileup MEAN to select after overlaying Poisson(MEAN) min-bias events (a library of \
            2,000 fastsim min-bias events, as `vbfgrid overlay`).
            """)

    @Option(help: "Events generated per channel.") var events = 20_000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "MET cut of the baseline selection (GeV).") var metCut: Float = 200
    @Option(help: "Comma-separated channels (default: the six physics channels).") var channels: String?
    @Option(help: "Also time anti-kt after merging this many min-bias events' towers onto each of 200 events.")
    var pileup = 0
    @Option(
        help: ArgumentHelp(
            "With --pileup: a Python with the fastjet package, to time FastJet's anti-kt on the same towers.",
            discussion: "E.g. the venv of the anti-kt tests, .build/fastjet-venv/bin/python (`pip install fastjet`)."))
    var fastjetPython: String?
    @Flag(help: "Generate without the generator-level preselection and count the selected events it would reject.")
    var preselectionLoss = false
    @Option(help: "With --preselection-loss: overlay this mean number of min-bias events before the selection.")
    var lossPileup = 0.0
    @Option(help: "The preselection's minimum invisible p_T in GeV (as `generate --min-invisible-pt`).")
    var minInvisiblePt = Preselection().minInvisiblePt
    @Flag(help: "Skip the preselection's particle-level stage (as `generate --no-particle-preselection`).")
    var noParticlePreselection = false

    func run() throws {
        let list: [Channel] =
            try channels.map { spec in
                try spec.split(separator: ",").map { name in
                    try Channel(parsing: String(name))
                }
            } ?? Channel.physics
        guard events > 0 else { throw ValidationError("--events must be positive") }
        guard minInvisiblePt >= 0 && minInvisiblePt.isFinite else {
            throw ValidationError("--min-invisible-pt must be a non-negative number of GeV, got \(minInvisiblePt)")
        }
        guard lossPileup >= 0, lossPileup == 0 || preselectionLoss else {
            throw ValidationError("--loss-pileup must be a non-negative number and needs --preselection-loss")
        }
        let overlay = lossPileup > 0 ? PileupOverlay(mean: lossPileup, seed: seed) : nil
        let library = lossPileup > 0 ? Self.minBiasLibrary(seed: seed) : nil
        var summary = SampleSummary(selection: BaselineSelection(metCut: metCut))
        print(
            "channel    generated  attempts  selected   gen ev/s   sel ev/s   cpu gen ev/s   cpu sel ev/s   cpu share"
                + (preselectionLoss
                    ? "   selected but rejected by the preselection [by its particle-level stage alone]" : ""))
        for channel in list {
            var pipeline = FastSimPipeline(channel: channel, seed: seed)
            pipeline.simulation.applyPreselection = !preselectionLoss
            pipeline.simulation.preselection.minInvisiblePt = minInvisiblePt
            pipeline.simulation.preselection.particles.enabled = !noParticlePreselection
            let start = monotonicSeconds(), startCPU = threadCPUSeconds()
            var attempts = 0, selected = 0, lost = 0, lostByParticles = 0
            for i in 0..<events {
                var result = pipeline.event(i)
                attempts += result.attempts
                if let overlay, let library {
                    var rng = overlay.stream(channel: channel, eventIndex: i)
                    _ = overlay.overlay(&result.event, library: library, rng: &rng)
                }
                if summary.add(result.event) {
                    selected += 1
                    if !result.verdict.passes { lost += 1 }
                    if result.verdict.hardProcess && !result.verdict.particles { lostByParticles += 1 }
                }
            }
            let seconds = monotonicSeconds() - start, cpuSeconds = threadCPUSeconds() - startCPU
            var line =
                "\(channel.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(events)  \(attempts)  \(selected)  "
                + "\(Int(Double(events) / seconds))  \(Int(Double(selected) / seconds))  "
                + "\(Int(Double(events) / cpuSeconds))  \(Int(Double(selected) / cpuSeconds))  "
                + String(format: "%.0f%%", 100 * cpuSeconds / seconds)
            if preselectionLoss {
                line += String(
                    format: "  %d (%.2f%%) [%d]", lost, 100 * Double(lost) / Double(max(selected, 1)), lostByParticles)
            }
            print(line)
        }
        print(summary.report())
        if pileup > 0 { try timePileupReclustering() }
    }

    /// 2,000 fastsim min-bias events of `seed` as a pileup library.
    static func minBiasLibrary(seed: UInt64) -> MinimumBiasLibrary {
        let minBias = FastSimPipeline(channel: .minBias, seed: seed)
        return MinimumBiasLibrary(towers: (0..<2000).map { minBias.event($0).event.towers })
    }

    /// Anti-kt on hard events with `pileup` min-bias events merged onto the tower grid, and with
    /// --fastjet-python FastJet's own on the same towers.
    func timePileupReclustering() throws {
        let hard = FastSimPipeline(channel: .zQCD, seed: seed), soft = FastSimPipeline(channel: .minBias, seed: seed)
        var events = (0..<200).map { hard.event($0).event }
        var next = 0
        for k in events.indices {
            for _ in 0..<pileup {
                events[k].towers = hard.detector.calorimeter.merge(events[k].towers, soft.event(next).event.towers)
                next += 1
            }
        }
        let towers = events.reduce(0) { $0 + $1.towers.count } / events.count
        let wall = monotonicSeconds(), cpu = threadCPUSeconds()
        for k in events.indices { hard.detector.recluster(&events[k]) }
        let ms = (monotonicSeconds() - wall) * 1e3 / Double(events.count)
        let cpuMs = (threadCPUSeconds() - cpu) * 1e3 / Double(events.count)
        print(
            "anti-kt + MET with \(pileup) min-bias events merged: \(towers) towers per event, "
                + String(format: "%.3f ms CPU per event (%.3f ms wall)", cpuMs, ms))
        guard let fastjetPython else { return }
        let fastjet = try Self.fastjetMilliseconds(python: fastjetPython, events: events)
        print(
            String(
                format: "FastJet (%@) on the same towers: %.3f ms CPU per event, %.2f jets above 20 GeV per event "
                    + "(vbfgrid %.2f); vbfgrid's anti-kt + MET is %.2f× FastJet's anti-kt",
                fastjet.strategy, fastjet.milliseconds, fastjet.jets,
                Double(events.reduce(0) { $0 + $1.jets.count }) / Double(events.count), fastjet.milliseconds / cpuMs))
    }

    /// Runs tools/bench/antikt_fastjet.py on the towers of `events`.
    static func fastjetMilliseconds(python: String, events: [Event]) throws -> (
        milliseconds: Double, jets: Double, strategy: String
    ) {
        let script = try PythonTools.toolsFile("bench/antikt_fastjet.py")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vbfgrid-fastjet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var rows: [Double] = [], offsets: [Int64] = [0]
        for event in events {
            for t in event.towers { rows += [Double(t.et), Double(t.eta), Double(t.phi)] }
            offsets.append(Int64(rows.count / 3))
        }
        let towersFile = folder.appendingPathComponent("towers.f64"),
            offsetsFile = folder.appendingPathComponent("offsets.i64")
        try rows.withUnsafeBytes { try Data($0).write(to: towersFile) }
        try offsets.withUnsafeBytes { try Data($0).write(to: offsetsFile) }
        guard
            let text = ExecutableSearch.capture(python, [script.path, towersFile.path, offsetsFile.path], timeout: 600)
        else {
            throw ValidationError("--fastjet-python: cannot run \(python)")
        }
        let fields = text.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 3, let ms = Double(fields[fields.count - 3]), let jets = Double(fields[fields.count - 2])
        else {
            throw ValidationError(
                "--fastjet-python: \(script.path) failed; does \(python) have the fastjet package?\n\(text)")
        }
        return (ms, jets, String(fields[fields.count - 1]))
    }
}
