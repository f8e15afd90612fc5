import ArgumentParser
import Foundation
import Statistics

/// `vbfgrid limits`: expected (and optionally observed) CLs upper limits on μ = BR(h→inv).
struct LimitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Expected CLs upper limits on BR(h→inv) (asymptotic q̃_μ, 95% CL) for a model file.",
        discussion: """
        --model takes a reference case file (its `simple` block, with μ's bounds from its `workspace`), \
        a bare `simple` block ({"lumi_unc", "samples"}), or a pyhf workspace.

        The model is the HistFactory likelihood of reference/limits/README.md: μ on the signal samples, \
        lumi, normsys (code 4), staterror (Barlow–Beeston lite), histosys (code 4p), shapesys. \
        Expected limits use the background-only Asimov data built from the μ = 0 fit to the data. \
        --export-pyhf writes the same model as a pyhf workspace, so any limit can be checked with pyhf.
        """)

    @Option(name: .long, help: ArgumentHelp("Model file (JSON).", valueName: "file"))
    var model: String

    @Option(name: .customLong("export-pyhf"), help: ArgumentHelp("Also write the model as a pyhf workspace JSON.", valueName: "file"))
    var exportPyhf: String?

    @Flag(name: .long, help: "Also compute the observed limit from the model's data.")
    var observed = false

    @Option(name: .long, help: "Confidence level.")
    var cl: Double = 0.95

    @Flag(name: .long, help: "Print only the JSON result {\"expected\": {\"-2\": …, …, \"2\": …}}.")
    var json = false

    func validate() throws {
        guard cl > 0.5, cl < 1 else { throw ValidationError("--cl must be in (0.5, 1), got \(cl)") }
    }

    func run() throws {
        let content = try ModelFile.load(URL(fileURLWithPath: model))
        let workspace = content.workspace
        if let exportPyhf { try workspace.write(to: URL(fileURLWithPath: exportPyhf)) }
        let statistical = try StatisticalModel(workspace: workspace, source: model)
        let calculator = try AsymptoticCalculator(model: statistical)
        let options = LimitOptions(confidenceLevel: cl)
        let result = LimitsResult(
            expected: try ExpectedLimits.compute(calculator, options: options),
            observed: observed ? try ObservedLimit.compute(calculator, options: options) : nil)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.table(model: model, cl: cl))
        }
    }
}

/// The printed result of `vbfgrid limits`.
struct LimitsResult: Encodable {
    var expected: Band
    var observed: Double?

    func table(model: String, cl: Double) -> String {
        var lines = ["Expected \(Int((cl * 100).rounded()))% CL upper limits on μ for \(model):"]
        for (n, label) in zip(-2...2, ["-2σ", "-1σ", "median", "+1σ", "+2σ"]) {
            lines.append("  \(label.padding(toLength: 7, withPad: " ", startingAt: 0)) \(expected[n])")
        }
        if let observed { lines.append("Observed: \(observed)") }
        return lines.joined(separator: "\n")
    }
}
