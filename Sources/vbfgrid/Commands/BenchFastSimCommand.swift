import ArgumentParser
import Dispatch
import Events
import Selection

/// `vbfgrid bench-fastsim`: generates, reconstructs and selects events of every channel in
/// memory, and prints the speed, the cutflow, the feature medians and the separation ranking.
struct BenchFastSimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-fastsim",
        abstract: "Measure fastsim + detector + selection speed and print the calibration summary.",
        discussion: "Runs on one core, in memory (no files). Rates are wall-clock per core.")

    @Option(help: "Events generated per channel.") var events = 20_000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "MET cut of the baseline selection (GeV).") var metCut: Float = 200
    @Option(help: "Comma-separated channels (default: the six physics channels).") var channels: String?

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
    }
}
