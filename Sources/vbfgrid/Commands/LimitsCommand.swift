import ArgumentParser
import Foundation
import Limits
import Statistics

/// `vbfgrid limits`: expected (and optionally observed) CLs upper limits on μ = BR(h→inv).
struct LimitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Expected CLs upper limits on BR(h→inv) (asymptotic q̃_μ, 95% CL): a model file, network outputs, or a cut-based analysis.",
        discussion: """
        Three modes:
          --model FILE.json: the limits of one model file (below).
          --evaluations DIR… --dataset DIR --analysis NAME --luminosities 36,140,300 --out DIR [--jes]: \
        the network analysis. Per evaluate folder (one per seed of one network): the paper's output binning \
        (edge bins with < 15% relative statistical error per class; --bins, default 10), per-channel score \
        histograms weighted by N_c(L)/n_c, the band at each luminosity; over several seeds the mean and spread \
        of the median and of the AUC. --jes adds the JES histosys from score_jes_up/down.
          --cut-based mjj|deta --met-cut 200|250 --dataset DIR --luminosities … --out DIR [--jes]: Table 1 \
        rows 1–4. m_jj (edges 200, 500, 1000, 1500, 2000, 3000, 5000 GeV) or |Δη_jj| (1, 2, 3, 4, 5, 6, 10) \
        of the validation events with met > cut; overflow in the last bin.
        Both write OUT/limits.json and OUT/workspace-<L>.json (pyhf) for every limit. N_c(L) = σ_c·ε_c·L with \
        σ_c·ε_c from the physics table (docs/physics.md, "Limits normalisation"; --physics-table FILE \
        overrides it). Model: μ on S_EW and S_QCD, lumi 2.5%, normsys S_EW 5%, S_QCD 10%, backgrounds 10%, \
        staterror (Σw²).

        --model takes a reference case file (its `simple` block, with μ's bounds from its `workspace`), \
        a bare `simple` block ({"lumi_unc", "samples"}), or a pyhf workspace.

        The model is the HistFactory likelihood of reference/limits/README.md: μ on the signal samples, \
        lumi, normsys (code 4), staterror (Barlow–Beeston lite), histosys (code 4p), shapesys. \
        Expected limits use the background-only Asimov data built from the μ = 0 fit to the data. \
        --export-pyhf writes the same model as a pyhf workspace, so any limit can be checked with pyhf.
        """)

    @Option(name: .long, help: ArgumentHelp("Model file (JSON).", valueName: "file"))
    var model: String?

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("vbfgrid evaluate output folders (seeds of one network).", valueName: "dir"))
    var evaluations: [String] = []

    @Option(name: .customLong("cut-based"), help: ArgumentHelp("Cut-based shape analysis of m_jj or |Δη_jj|.", valueName: "mjj|deta"))
    var cutBased: String?

    @Option(name: .customLong("met-cut"), help: "The met cut of the cut-based analysis, GeV (200 or 250).")
    var metCut: Double = 200

    @Option(help: ArgumentHelp("The data-set folder (its validation split and manifest).", valueName: "dir"))
    var dataset: String?

    @Option(help: "A name for the analysis, recorded in limits.json.")
    var analysis: String?

    @Option(help: ArgumentHelp("Integrated luminosities in fb⁻¹, comma-separated.", valueName: "list"))
    var luminosities: String = "36,140,300"

    @Option(help: ArgumentHelp("Output folder for limits.json and the workspaces.", valueName: "dir"))
    var out: String?

    @Flag(help: "Add the JES histosys (network: from score_jes_up/down; m_jj: m_jj and met × 1.1 / 0.9).")
    var jes = false

    @Option(help: "Output bins of the network analysis.")
    var bins: Int = 10

    @Option(name: .customLong("physics-table"), help: ArgumentHelp("A physics table JSON overriding the default σ·ε normalisation.", valueName: "file"))
    var physicsTable: String?

    @Option(help: ArgumentHelp("Physics-table numbers by name, e.g. signal_yield=1500,fractions.Z_EW=0.03.", valueName: "name=value,…"))
    var physics: String?

    @Option(name: .customLong("lumi-uncertainty"), help: "Relative luminosity uncertainty (default 0.025).")
    var lumiUncertainty: Double?

    @Option(name: .customLong("xsec-uncertainty"),
            help: ArgumentHelp("Cross-section normsys per sample, e.g. S_QCD=0.15,Z_EW=0.2 (defaults: S_EW 0.05, others 0.10).", valueName: "sample=u,…"))
    var xsecUncertainty: String?

    @Flag(name: .customLong("no-staterror"), help: "Leave out the MC statistical uncertainty (staterror).")
    var noStaterror = false

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
        let modes = [model != nil, !evaluations.isEmpty, cutBased != nil].filter { $0 }.count
        guard modes == 1 else { throw ValidationError("give exactly one of --model, --evaluations, --cut-based") }
        if model != nil { return }
        guard dataset != nil else { throw ValidationError("--dataset is required with --evaluations and --cut-based") }
        guard out != nil else { throw ValidationError("--out is required with --evaluations and --cut-based") }
        if let cutBased, CutBasedLimits.Variable(rawValue: cutBased) == nil {
            throw ValidationError("--cut-based: expected mjj or deta, got '\(cutBased)'")
        }
        guard bins >= 3 else { throw ValidationError("--bins must be at least 3, got \(bins)") }
        _ = try luminosityList()
        _ = try assignments(physics, "--physics")
        let xsec = try assignments(xsecUncertainty, "--xsec-uncertainty")
        if let bad = xsec.keys.first(where: { !PhysicsTable.channels.contains($0) }) {
            throw ValidationError("--xsec-uncertainty: unknown sample '\(bad)' (expected \(PhysicsTable.channels.joined(separator: ", ")))")
        }
    }

    /// Parses "a=1,b=2".
    func assignments(_ text: String?, _ option: String) throws -> [String: Double] {
        guard let text else { return [:] }
        var out: [String: Double] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite else {
                throw ValidationError("\(option): '\(item)' is not name=number")
            }
            out[parts[0]] = value
        }
        return out
    }

    func luminosityList() throws -> [Double] {
        try luminosities.split(separator: ",").map {
            guard let value = Double($0.trimmingCharacters(in: .whitespaces)), value > 0, value.isFinite else {
                throw ValidationError("--luminosities: '\($0)' is not a positive number")
            }
            return value
        }
    }

    func run() throws {
        guard let model else { return try runAnalysis() }
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

    /// The network or cut-based analysis into OUT/limits.json.
    func runAnalysis() throws {
        do {
            try OutputPath.ensureDirectory(out!)
            let table = try (try physicsTable.map(PhysicsTable.load) ?? .default).overriding(try assignments(physics, "--physics"))
            var systematics = SystematicsSettings()
            systematics.jes = jes
            systematics.staterror = !noStaterror
            if let lumiUncertainty { systematics.lumiUncertainty = lumiUncertainty }
            for (sample, u) in try assignments(xsecUncertainty, "--xsec-uncertainty") { systematics.crossSectionUncertainty[sample] = u }
            let setup = try LimitsSetup(dataset: dataset!, table: table, luminosities: try luminosityList(),
                                        systematics: systematics, outputDirectory: out!)
            let report: LimitsReport
            if let cutBased {
                let variable = CutBasedLimits.Variable(rawValue: cutBased)!
                report = try CutBasedLimits(setup: setup, analysis: analysis ?? "\(variable.name) met>\(String(format: "%g", metCut))",
                                            variable: variable, metCut: metCut).run()
            } else {
                report = try NetworkLimits(setup: setup, analysis: analysis ?? "network", evaluations: evaluations, bins: bins).run()
            }
            try report.write(to: URL(fileURLWithPath: out!).appendingPathComponent(LimitsReport.fileName).path)
            if json {
                print(String(decoding: try JSONEncoder().encode(report.luminosities.map(\.band)), as: UTF8.self))
            } else {
                print(report.table())
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

extension LimitsReport {
    /// The medians and bands, one line per luminosity.
    func table() -> String {
        var lines = ["\(analysis) (\(variable)): expected 95% CL upper limits on BR(h→inv)"]
        for l in luminosities {
            var line = String(format: "  L = %5g fb⁻¹: median %.4f  [−1σ %.4f, +1σ %.4f]  [−2σ %.4f, +2σ %.4f]", l.luminosityFb,
                              l.band.median, l.band.minus1, l.band.plus1, l.band.minus2, l.band.plus2)
            if let s = l.medianStd { line += String(format: "  (%d seeds: median %.4f ± %.4f)", l.seeds, l.medianMean, s) }
            lines.append(line)
        }
        if let aucMean { lines.append(String(format: "  AUC %.4f", aucMean) + (aucStd.map { String(format: " ± %.4f", $0) } ?? "")) }
        return lines.joined(separator: "\n")
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
