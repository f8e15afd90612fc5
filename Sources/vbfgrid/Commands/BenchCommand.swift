import ArgumentParser

/// `vbfgrid bench`: benchmark programs, one subcommand each (speed is measured here, not in tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks of the compute kernels; each prints its figures (and JSON with --json).",
        discussion: "Build with `swift build -c release` first: debug builds are many times slower.",
        subcommands: [
            BenchTrainCommand.self,
            BenchFastSimCommand.self,
            BenchPythiaCommand.self,
            BenchLimitsCommand.self,
            BenchOverlayCommand.self,
            BenchPreprocessCommand.self,
            BenchShardsCommand.self,
        ]
    )
}
