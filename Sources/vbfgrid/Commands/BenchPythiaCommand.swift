import ArgumentParser
import Events
import Foundation
import Generation
import NeuralNet
import Pileup
import Selection
import Stages

/// `vbfgrid bench pythia`: the rate of selected Pythia events per CPU-second with and without the
/// adapter's parton-level veto, and the selected events the veto loses, per channel, without
/// pileup and after a pileup overlay.
struct BenchPythiaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pythia",
        abstract: "Measure the Pythia pipeline's selected events per CPU-second and its parton-level veto's loss.",
        discussion: """
            Per channel, two runs of the `generate --generator pythia` pipeline (adapter + detector, \
            one shard of --events events) with the same Pythia seed: one with the parton-level veto \
            (tools/pythia/parton_veto.py), one with the veto only judging each event (as \
            `--no-parton-veto`, plus the judgement, which costs little). CPU is the summed user + \
            system time of the adapter's process tree and of the detector and selection here. The \
            loss is the share of the second run's selected events that the veto would have dropped, \
            with its binomial standard error (with none lost, the 95% upper bound 3/n), and in \
            brackets the part of the veto that would have dropped them (m: MET floor, j: jet \
            topology, a: MET alignment). With \
            --pileup MEAN > 0 every event is also selected after overlaying Poisson(MEAN) min-bias \
            events from a library of 2,000 fastsim min-bias events (as `vbfgrid overlay`; the \
            overlay's CPU is not counted). σ×ε is cross_section_fb × selected / n_generated: both \
            runs estimate the same number, which checks the bookkeeping of vetoed events. \
            --loss-only skips the first run (the loss needs only the second).
            """)

    @Option(help: "Events written per channel and run.") var events = 1_000
    @Option(help: "Random seed (as `generate --seed`).") var seed = 1
    @Option(help: "Comma-separated channels (default: the six physics channels).") var channels: String?
    @Option(help: "Mean number of min-bias events overlaid for the pileup columns (0: none).") var pileup = 20.0
    @Option(help: "Folder for the runs' files (default: a temporary folder, removed at the end).") var work: String?
    @Flag(help: "Only the run without the veto: the loss, not the rate with the veto.") var lossOnly = false

    /// One run of one channel: its CPU time, written and generated events, σ, and selections.
    struct Run {
        var cpu = 0.0
        var written = 0
        var generated = 0
        var crossSectionFb = 0.0
        var selected = 0
        var selectedPileup = 0
        var lost: [Character] = []
        var lostPileup: [Character] = []

        /// Selected events per CPU-second; "-" for a run that was skipped (--loss-only).
        func rate(_ n: Int) -> String { cpu > 0 ? String(format: "%.1f", Double(n) / cpu) : "-" }
        func sigmaEfficiency(_ n: Int) -> String {
            String(format: "%.3g", crossSectionFb * Double(n) / Double(max(generated, 1)))
        }
    }

    func run() throws {
        guard events > 0, seed >= 0, pileup >= 0 else {
            throw ValidationError("--events must be positive, --seed and --pileup non-negative")
        }
        let list =
            try channels.map { try $0.split(separator: ",").map { try Channel(parsing: String($0)) } }
            ?? Channel.physics
        let tools = try PythonTools.locate()
        try tools.prepare()
        let folder = URL(fileURLWithPath: work ?? NSTemporaryDirectory() + "vbfgrid-bench-pythia-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { if work == nil { try? FileManager.default.removeItem(at: folder) } }
        let library = pileup > 0 ? BenchFastSimCommand.minBiasLibrary(seed: UInt64(seed)) : nil
        print(
            "channel  events  | veto on: n_generated  selected  CPU s  sel/CPU-s  σ×ε fb | veto off: n_generated  selected  "
                + "CPU s  sel/CPU-s  σ×ε fb | lost by the veto"
                + (pileup > 0 ? " | ⟨N⟩ = \(pileup.argument): selected on / off, sel/CPU-s on / off, lost" : ""))
        for channel in list {
            let base = folder.appendingPathComponent(channel.name).path
            let on =
                lossOnly
                ? Run() : try measure(PythiaPipeline(tools: tools, channel: channel, seed: seed), base + "-on", library)
            let verdicts = base + "-verdicts.txt"
            let off = try measure(
                PythiaPipeline(tools: tools, channel: channel, seed: seed, partonVeto: .record(verdicts: verdicts)),
                base + "-off", library, verdicts: verdicts)
            var line =
                "\(channel.name)  \(events)  | \(on.generated)  \(on.selected)  \(String(format: "%.1f", on.cpu))  "
                + "\(on.rate(on.selected))  \(on.sigmaEfficiency(on.selected)) | \(off.generated)  \(off.selected)  "
                + "\(String(format: "%.1f", off.cpu))  \(off.rate(off.selected))  \(off.sigmaEfficiency(off.selected)) | "
                + Self.loss(off.lost, of: off.selected)
            if pileup > 0 {
                line +=
                    " | \(on.selectedPileup) / \(off.selectedPileup), \(on.rate(on.selectedPileup)) / "
                    + "\(off.rate(off.selectedPileup)), " + Self.loss(off.lostPileup, of: off.selectedPileup)
            }
            print(line)
        }
    }

    /// "k of n (p% ± σ%) [parts]", the binomial standard error; with k = 0 the 95% upper bound 3/n.
    static func loss(_ lost: [Character], of n: Int) -> String {
        let k = lost.count
        guard n > 0 else { return "\(k) of 0" }
        let p = Double(k) / Double(n)
        if k == 0 { return String(format: "0 of %d (< %.2f%%, 95%% CL)", n, 300 / Double(n)) }
        let parts = "mja".compactMap { part in
            let c = lost.filter { $0 == part }.count
            return c > 0 ? "\(part) \(c)" : nil
        }
        return String(format: "%d of %d (%.2f%% ± %.2f%%)", k, n, 100 * p, 100 * (p * (1 - p) / Double(n)).squareRoot())
            + " [\(parts.joined(separator: ", "))]"
    }

    /// Generates `events` events with `pipeline` into `path`.h5, times it, and selects them
    /// (also after the overlay when `library` is given), counting against `verdicts` if given.
    func measure(_ pipeline: PythiaPipeline, _ path: String, _ library: MinimumBiasLibrary?, verdicts: String? = nil)
        throws -> Run
    {
        let children = SelfLauncher.childrenCPUSeconds(), own = threadCPUSeconds()
        let header = try pipeline.generate(shard: 0, first: 0, count: events, path: path + ".h5", keepParticles: false)
        let reader = try EventFileReader(path: path + ".h5")
        let selection = BaselineSelection()
        var run = Run(written: reader.count, generated: header.nGenerated, crossSectionFb: header.crossSectionFb)
        var passes: [Bool] = []
        try reader.forEachChunk { chunk in passes += chunk.map(selection.passes) }
        run.cpu = SelfLauncher.childrenCPUSeconds() - children + threadCPUSeconds() - own
        let parts = try verdicts.map { try Self.readVerdicts($0, count: reader.count) } ?? []
        var index = 0
        let overlay = PileupOverlay(mean: pileup, seed: UInt64(seed))
        try reader.forEachChunk { chunk in
            for var event in chunk {
                let part: Character = parts.isEmpty ? "0" : parts[index]
                if passes[index] {
                    run.selected += 1
                    if part != "0" { run.lost.append(part) }
                }
                if let library {
                    var rng = overlay.stream(channel: pipeline.channel, eventIndex: header.firstEvent + index)
                    _ = overlay.overlay(&event, library: library, rng: &rng)
                    if selection.passes(event) {
                        run.selectedPileup += 1
                        if part != "0" { run.lostPileup.append(part) }
                    }
                }
                index += 1
            }
        }
        return run
    }

    /// The adapter's verdict file: per written event `0` (passes) or the vetoing part (m, j, a).
    static func readVerdicts(_ path: String, count: Int) throws -> [Character] {
        let text = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.count == count, text.allSatisfy({ "0mja".contains($0) }) else {
            throw ValidationError("\(path): expected \(count) verdicts (0, m, j or a), found \(text.count) characters")
        }
        return Array(text)
    }
}
