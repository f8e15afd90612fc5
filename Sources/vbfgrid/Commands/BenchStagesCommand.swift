import ArgumentParser
import Datasets
import Events
import Foundation
import HDF5
import Pileup
import Selection
import Stages

/// `vbfgrid bench overlay` and `vbfgrid bench preprocess`: events per second of the two data
/// stages on fastsim samples, under `mpirun -n K` for each K given, and the bytes per event on
/// disk of each image variant.
struct BenchStageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Rank counts to compare, e.g. 1,2 (each run under mpirun).", valueName: "list"))
    var ranks: String = "1,2"

    @Option(
        help: ArgumentHelp(
            "Scratch folder (default: a new folder under the system temporary folder).", valueName: "dir"))
    var scratch: String?

    @Flag(help: "Print the figures as JSON.")
    var json = false

    func rankCounts() throws -> [Int] {
        try ranks.split(separator: ",").map {
            guard let k = Int($0.trimmingCharacters(in: .whitespaces)), k > 0 else {
                throw ValidationError("--ranks: '\($0)' is not a positive rank count")
            }
            return k
        }
    }

    func folder(_ label: String) throws -> URL {
        let url =
            scratch.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("vbfgrid-bench-\(label)-\(getpid())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The wall time of a launched run and the CPU time (user + system) of all its processes.
struct LaunchTimes {
    var wall: Double
    var cpu: Double
}

/// Runs this executable (alone or under mpirun) and returns its times, failing loudly.
enum SelfLauncher {
    /// CPU seconds of the terminated child processes (and theirs) so far.
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(
            usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }

    @discardableResult
    static func run(_ arguments: [String], ranks: Int? = nil) throws -> LaunchTimes {
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
        if getuid() == 0 {
            environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
            environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        }
        let me =
            CommandLine.arguments[0].hasPrefix("/")
            ? CommandLine.arguments[0]
            : FileManager.default.currentDirectoryPath + "/" + CommandLine.arguments[0]
        let (executable, args): (String, [String])
        if let ranks {
            guard let mpirun = ExecutableSearch.find("mpirun") else { throw ValidationError("mpirun is not on PATH") }
            (executable, args) = (mpirun, ["-n", String(ranks), "--bind-to", "core", me] + arguments)
        } else {
            (executable, args) = (me, arguments)
        }
        let start = Date(), cpu = childrenCPUSeconds()
        guard let output = ExecutableSearch.capture(executable, args, timeout: 7200, environment: environment) else {
            throw ValidationError("\(arguments.first ?? "") did not finish")
        }
        if output.contains("vbfgrid") && output.lowercased().contains("error") {
            throw ValidationError("\(arguments.joined(separator: " ")) failed:\n\(output)")
        }
        return LaunchTimes(wall: Date().timeIntervalSince(start), cpu: childrenCPUSeconds() - cpu)
    }
}

struct BenchOverlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlay",
        abstract: "Pileup-overlay events/s (and per core) with 1 and more ranks.",
        discussion: """
            Generates S_EW events and a min-bias library with fastsim, then times `vbfgrid overlay` under mpirun -n K. \
            Besides wall-clock rates it reports the CPU seconds (user + system) of every process of the run and the \
            events per CPU-second, the figure that stays meaningful on a machine shared with other work.
            """)

    @OptionGroup var options: BenchStageOptions
    @Option(help: "Hard events to overlay.") var events = 4000
    @Option(help: "The mean pileup ⟨N⟩.") var mean = 50.0
    @Flag(help: "Keep the hard jets and MET (no reclustering).") var keepHardObjects = false

    func run() throws {
        let dir = try options.folder("overlay")
        try SelfLauncher.run([
            "generate", "--channel", "S_EW", "--events", String(events), "--seed", "1",
            "--out", dir.appendingPathComponent("hard").path, "--shard-size", String(max(events / 8, 1)),
        ])
        try SelfLauncher.run([
            "generate", "--channel", "minbias", "--events", "2000", "--seed", "2",
            "--out", dir.appendingPathComponent("minbias").path, "--shard-size", "2000",
        ])
        var rows: [[String: Double]] = []
        for k in try options.rankCounts() {
            let out = dir.appendingPathComponent("out-\(k)")
            try? FileManager.default.removeItem(at: out)
            let times = try SelfLauncher.run(
                [
                    "overlay", "--input", dir.appendingPathComponent("hard").path,
                    "--minbias", dir.appendingPathComponent("minbias").path, "--mean", String(mean),
                    "--seed", "3", "--out", out.path,
                ] + (keepHardObjects ? ["--keep-hard-objects"] : []),
                ranks: k)
            rows.append([
                "ranks": Double(k), "seconds": times.wall, "events_per_s": Double(events) / times.wall,
                "events_per_s_per_core": Double(events) / times.wall / Double(k),
                "cpu_seconds": times.cpu, "events_per_cpu_s": Double(events) / times.cpu,
            ])
        }
        try? FileManager.default.removeItem(at: dir)
        try BenchTable.print(
            title:
                "overlay ⟨N⟩ = \(mean)\(keepHardObjects ? " (hard objects kept)" : " (jets and MET reclustered)"), \(events) events",
            rows: rows,
            columns: [
                "ranks", "seconds", "events_per_s", "events_per_s_per_core", "cpu_seconds",
                "events_per_cpu_s",
            ], json: options.json)
    }
}

struct BenchPreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preprocess",
        abstract: "Preprocessing events/s (and per core) with all four image variants, and bytes per event on disk.",
        discussion: """
            Generates the six channels with fastsim, then times `vbfgrid preprocess --images PJ-LR,PJ-HR,Pmet-LR,Pmet-HR` \
            under mpirun -n K with train + validation sets as large as the selected events allow. Reports input \
            events/s (both passes read every input event), output events/s, the CPU seconds (user + system) of \
            every process of the run with the input events per CPU-second, and per variant the bytes per event \
            on disk and the compression ratio.
            """)

    @OptionGroup var options: BenchStageOptions
    @Option(help: "Events generated per channel (W_QCD and W_EW get 4× and 2×: their selection efficiency is lower).")
    var events = 24000

    func run() throws {
        let dir = try options.folder("preprocess")
        var inputs: [String] = [], selected: [Channel: Int] = [:], total = 0
        for channel in Channel.physics {
            let n = events * (channel == .wQCD ? 4 : channel == .wEW ? 2 : 1)
            let path = dir.appendingPathComponent(channel.name).path
            try SelfLauncher.run([
                "generate", "--channel", channel.name, "--events", String(n), "--seed", "1",
                "--out", path, "--shard-size", String(max(n / 4, 1)),
            ])
            inputs.append(path)
            total += n
            for file in try EventPaths.expand([path]) {
                let reader = try EventFileReader(path: file)
                try reader.forEachChunk { selected[channel, default: 0] += $0.filter(BaselineSelection().passes).count }
            }
        }
        let fractions = ClassMixture.paper
        let fit = Channel.physics.map { Int(Double(selected[$0]!) / (0.5 * fractions[$0]!)) }.min()!
        let size = Int(Double(fit) * 0.95)
        let train = size * 4 / 5, validation = size - train
        var rows: [[String: Double]] = []
        var storage: [String: (bytes: Int, raw: Int)] = [:]
        for k in try options.rankCounts() {
            let out = dir.appendingPathComponent("out-\(k)")
            try? FileManager.default.removeItem(at: out)
            let times = try SelfLauncher.run(
                ["preprocess", "--input"] + inputs + [
                    "--out", out.path,
                    "--images", "PJ-LR,PJ-HR,Pmet-LR,Pmet-HR", "--train", String(train),
                    "--validation", String(validation), "--seed", "4",
                ], ranks: k)
            let seconds = times.wall
            rows.append([
                "ranks": Double(k), "seconds": seconds, "input_events_per_s": Double(total) / seconds,
                "input_events_per_s_per_core": Double(total) / seconds / Double(k),
                "output_events_per_s": Double(size) / seconds,
                "output_events_per_s_per_core": Double(size) / seconds / Double(k),
                "cpu_seconds": times.cpu, "input_events_per_cpu_s": Double(total) / times.cpu,
            ])
            if storage.isEmpty {
                for split in ["train", "validation"] {
                    for file in try FileManager.default.contentsOfDirectory(
                        atPath: out.appendingPathComponent(split).path)
                    {
                        let shard = try HDF5File(
                            opening: out.appendingPathComponent(split).appendingPathComponent(file).path)
                        for name in ImageVariant.allCases.map({ "images/\($0.rawValue)" }) + [
                            "features/K", "features/R",
                        ] {
                            let d = try shard.dataset(name)
                            storage[name, default: (0, 0)].bytes += d.storageBytes
                            storage[name, default: (0, 0)].raw += d.rawBytes
                        }
                    }
                }
            }
        }
        try? FileManager.default.removeItem(at: dir)
        try BenchTable.print(
            title: "preprocess: \(total) input events, \(size) selected into train + validation, 4 variants",
            rows: rows,
            columns: [
                "ranks", "seconds", "input_events_per_s_per_core", "output_events_per_s",
                "output_events_per_s_per_core", "cpu_seconds", "input_events_per_cpu_s",
            ],
            json: options.json)
        let disk: [[String: Double]] = storage.keys.sorted().map { name in
            [
                "bytes_per_event": Double(storage[name]!.bytes) / Double(size),
                "raw_bytes_per_event": Double(storage[name]!.raw) / Double(size),
                "compression_ratio": Double(storage[name]!.raw) / Double(max(storage[name]!.bytes, 1)),
            ]
        }
        if options.json {
            let object = Dictionary(uniqueKeysWithValues: zip(storage.keys.sorted(), disk))
            print(
                String(
                    decoding: try JSONSerialization.data(
                        withJSONObject: ["storage": object], options: [.sortedKeys, .prettyPrinted]),
                    as: UTF8.self))
        } else {
            print("\ndataset            bytes/event   raw bytes/event   compression")
            for (name, row) in zip(storage.keys.sorted(), disk) {
                print(
                    name.padding(toLength: 18, withPad: " ", startingAt: 0)
                        + String(
                            format: "%11.0f %17.0f %12.1f×", row["bytes_per_event"]!, row["raw_bytes_per_event"]!,
                            row["compression_ratio"]!))
            }
        }
    }
}

/// Printing benchmark rows as a table or JSON.
enum BenchTable {
    static func print(title: String, rows: [[String: Double]], columns: [String], json: Bool) throws {
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: ["title": title, "runs": rows], options: [.sortedKeys, .prettyPrinted])
            Swift.print(String(decoding: data, as: UTF8.self))
            return
        }
        Swift.print(title)
        Swift.print(
            columns.map { $0.padding(toLength: max($0.count, 10), withPad: " ", startingAt: 0) }.joined(separator: "  ")
        )
        for row in rows {
            Swift.print(
                columns.map { c in
                    let text = c == "ranks" ? String(Int(row[c]!)) : String(format: "%.1f", row[c]!)
                    return text.padding(toLength: max(c.count, 10), withPad: " ", startingAt: 0)
                }.joined(separator: "  "))
        }
    }
}
