import ArgumentParser
import Foundation
import Statistics

/// `vbfgrid bench limits`: times the full expected band (five limits) on every reference case,
/// and optionally pyhf on the same cases in the same run (tools/bench_pyhf.py).
struct BenchLimitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Time the expected-limit band on the reference cases (and pyhf on the same cases).",
        discussion: """
            For every case file in --cases, computes the five expected limits --runs times and reports \
            the median wall time per band and the largest relative deviation from the case's stored pyhf answers.

            With --pyhf-python, runs tools/bench_pyhf.py with that interpreter (pyhf 0.7.6 installed) \
            on the same files in the same run, and prints pyhf's time, its own deviation and the ratio.
            """)

    @Option(name: .long, help: ArgumentHelp("Folder of reference case files.", valueName: "dir"))
    var cases: String = "Tests/Fixtures/limits"

    @Option(name: .long, help: "Runs per case (the median is reported).")
    var runs: Int = 21

    @Option(
        name: .customLong("pyhf-python"),
        help: ArgumentHelp("Python with pyhf 0.7.6, to time pyhf too.", valueName: "path"))
    var pyhfPython: String?

    @Option(name: .customLong("pyhf-script"), help: ArgumentHelp("The pyhf timing script.", valueName: "path"))
    var pyhfScript: String = "tools/bench_pyhf.py"

    @Option(name: .customLong("pyhf-tolerance"), help: "scipy optimizer tolerance for pyhf (pyhf's default if absent).")
    var pyhfTolerance: Double?

    @Flag(name: .long, help: "Print the figures as JSON.")
    var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be ≥ 1") }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: cases)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw ValidationError("\(folder.path): cannot list the case folder (use --cases DIR)")
        }
        let files = names.filter { $0.hasSuffix(".json") }.sorted().map { folder.appendingPathComponent($0) }
        guard !files.isEmpty else { throw ValidationError("\(folder.path): no case files (*.json)") }
        var rows: [BenchRow] = []
        for file in files {
            let reference = try Self.storedBand(file)
            guard case let .simple(model) = try ModelFile.load(file) else {
                throw ValidationError("\(file.path): not a reference case file (no 'simple' block)")
            }
            var times: [Double] = []
            var band = Band(minus2: 0, minus1: 0, median: 0, plus1: 0, plus2: 0)
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                band = try ExpectedLimits.compute(model)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            rows.append(
                BenchRow(
                    name: file.deletingPathExtension().lastPathComponent, milliseconds: Self.median(times),
                    maxRelativeDeviation: Self.maxRelativeDeviation(band.values, reference), stored: reference))
        }
        if let pyhfPython { try addPyhf(python: pyhfPython, files: files, to: &rows) }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(rows), as: UTF8.self))
        } else {
            print(BenchRow.table(rows, runs: runs))
        }
    }

    private func addPyhf(python: String, files: [URL], to rows: inout [BenchRow]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments =
            [pyhfScript] + files.map(\.path) + (pyhfTolerance.map { ["--tolerance", String($0)] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let cases = object["cases"] as? [String: [String: Any]]
        else {
            throw ValidationError("\(pyhfScript) with \(python) failed (status \(process.terminationStatus))")
        }
        for i in rows.indices {
            guard let entry = cases[rows[i].name], let seconds = entry["seconds"] as? Double else { continue }
            rows[i].pyhfMilliseconds = seconds * 1000
            rows[i].ratio = seconds * 1000 / rows[i].milliseconds
            if let expected = entry["expected"] as? [Double] {
                rows[i].pyhfMaxRelativeDeviation = Self.maxRelativeDeviation(expected, rows[i].stored)
            }
        }
    }

    static func storedBand(_ file: URL) throws -> [Double] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any],
            let band = object["expected"] as? [String: Double]
        else {
            throw ValidationError("\(file.path): field 'expected' is missing or not {\"-2\": …, \"2\": …}")
        }
        return try (-2...2).map { n in
            guard let v = band[String(n)] else {
                throw ValidationError("\(file.path): field 'expected.\(n)' is missing")
            }
            return v
        }
    }

    static func maxRelativeDeviation(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) / abs($1) }.max() ?? .infinity
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : 0.5 * (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2])
    }
}

/// One case's figures.
struct BenchRow: Encodable {
    var name: String
    var milliseconds: Double
    var maxRelativeDeviation: Double
    /// The case's stored pyhf limits.
    var stored: [Double]
    var pyhfMilliseconds: Double?
    /// pyhf's deviation in this run (its optimizer tolerance may differ from the stored run's).
    var pyhfMaxRelativeDeviation: Double?
    var ratio: Double?

    static func table(_ rows: [BenchRow], runs: Int) -> String {
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        var lines = [
            pad("case", 26) + pad("ms/band", 10) + pad("max rel dev", 13) + pad("pyhf ms", 11)
                + pad("pyhf dev", 10) + "pyhf/vbfgrid",
            "(median of \(runs) runs; deviation from the case's stored pyhf limits)",
        ]
        for r in rows {
            lines.append(
                pad(r.name, 26) + pad(String(format: "%.3f", r.milliseconds), 10)
                    + pad(String(format: "%.1e", r.maxRelativeDeviation), 13)
                    + pad(r.pyhfMilliseconds.map { String(format: "%.0f", $0) } ?? "-", 11)
                    + pad(r.pyhfMaxRelativeDeviation.map { String(format: "%.1e", $0) } ?? "-", 10)
                    + (r.ratio.map { String(format: "%.0f×", $0) } ?? "-"))
        }
        return lines.joined(separator: "\n")
    }
}
