import ArgumentParser
import Dispatch
import Events
import NeuralNet
import Selection

/// `vbfgrid bench fastsim`: generates, reconstructs and selects events of every channel in
/// memory, and prints the speed, the cutflow, the feature medians and the separation ranking.
struct BenchFastSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fastsim",
        abstract: "Measure fastsim + detector + selection speed and print the calibration summary.",
        discussion: "Runs on one core, in memory (no files). Rates are wall-clock per core.")

    @Option(help: "Events generated per channel.") var events = 20_000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "MET cut of the baseline selection (GeV).") var metCut: Float = 200
    @Option(help: "Comma-separated channels (default: the six physics channels).") var channels: String?
    @Option(help: "Also time anti-kt after merging this many min-bias events' towers onto each of 200 events.")
    var pileup = 0

    func run() throws {
        let list: [Channel] = try channels.map { spec in
            try spec.split(separator: ",").map { name in
                try FastSimPipeline.channel(named: String(name), option: "--channels")
            }
        } ?? Channel.physics
        guard events > 0 else { throw ValidationError("--events must be positive") }
        var summary = SampleSummary(selection: BaselineSelection(metCut: metCut))
        print("channel    generated  attempts  selected   gen ev/s   sel ev/s")
        for channel in list {
            let pipeline = FastSimPipeline(channel: channel, seed: seed)
            let start = DispatchTime.now().uptimeNanoseconds
            var attempts = 0, selected = 0
            for i in 0..<events {
                let result = pipeline.event(i)
                attempts += result.attempts
                if summary.add(result.event) { selected += 1 }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print("\(channel.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(events)  \(attempts)  \(selected)  "
                  + "\(Int(Double(events) / seconds))  \(Int(Double(selected) / seconds))")
        }
        print(summary.report())
        if pileup > 0 { timePileupReclustering() }
    }

    /// Anti-kt on hard events with `pileup` min-bias events merged onto the tower grid.
    func timePileupReclustering() {
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
        print("anti-kt + MET with \(pileup) min-bias events merged: \(towers) towers per event, "
              + String(format: "%.3f ms CPU per event (%.3f ms wall)", cpuMs, ms))
    }
}
