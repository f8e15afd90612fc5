import ArgumentParser
import Foundation
import Outputs
import Stages
import Statistics

/// `limits`: expected (and optionally observed) CLs upper limits on μ = BR(h→inv) — of one model
/// file (printed), or of the network or cut-based analysis of a data set, written to
/// `OUT/limits.json` with one pyhf workspace per limit.
public struct LimitsStage: SerialStage {
    public var options: Options

    public init(options: Options) { self.options = options }

    public func run() throws {
        guard let model = options.model else { return try runAnalysis() }
        let content = try ModelFile.load(URL(fileURLWithPath: model))
        let workspace = content.workspace
        if let exportPyhf = options.exportPyhf { try workspace.write(to: URL(fileURLWithPath: exportPyhf)) }
        let statistical = try StatisticalModel(workspace: workspace, source: model)
        let calculator = try AsymptoticCalculator(model: statistical)
        let limitOptions = LimitOptions(confidenceLevel: options.cl)
        let result = ModelLimits(
            expected: try ExpectedLimits.compute(calculator, options: limitOptions),
            observed: options.observed ? try ObservedLimit.compute(calculator, options: limitOptions) : nil)
        if options.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(result), as: UTF8.self))
        } else {
            print(result.table(model: model, cl: options.cl))
        }
    }

    /// The network or cut-based analysis into OUT/limits.json. An error other than a bad option
    /// is printed as one line and ends the command with status 1.
    private func runAnalysis() throws {
        let out = options.out!
        do {
            try OutputPath.ensureDirectory(out)
            let output = try OutputClaim(
                options, folder: out, inputs: ["evaluations", "dataset", "physics-table"],
                neutral: ["json"], force: options.force
            ).take()
            defer { output.release() }
            let table = try (try options.physicsTable.map(PhysicsTable.load) ?? .default).overriding(
                options.physics?.values ?? [:])
            var systematics = SystematicsSettings()
            systematics.jes = options.jes
            systematics.staterror = !options.noStaterror
            if let lumiUncertainty = options.lumiUncertainty { systematics.lumiUncertainty = lumiUncertainty }
            for (sample, u) in options.xsecUncertainty?.values ?? [:] {
                systematics.crossSectionUncertainty[sample] = u
            }
            let setup = try LimitsSetup(
                dataset: options.dataset!, table: table, luminosities: options.luminosities.values,
                systematics: systematics, outputDirectory: out)
            let report: LimitsReport
            if let variable = options.cutBased {
                report = try CutBasedLimits(
                    setup: setup,
                    analysis: options.analysis ?? "\(variable.name) met>\(String(format: "%g", options.metCut))",
                    variable: variable, metCut: options.metCut
                ).run()
            } else {
                report = try NetworkLimits(
                    setup: setup, analysis: options.analysis ?? "network", evaluations: options.evaluations,
                    bins: options.bins
                ).run()
            }
            try report.write(to: URL(fileURLWithPath: out).appendingPathComponent(LimitsReport.fileName).path)
            if options.json {
                print(
                    String(
                        decoding: try JSONEncoder().encode(
                            report.luminosities.filter { $0.binning != .backgroundQuantiles }.map(\.band)),
                        as: UTF8.self))
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
    /// The medians and bands, one line per luminosity and bin rule.
    func table() -> String {
        var lines = ["\(analysis) (\(variable)): expected 95% CL upper limits on BR(h→inv)"]
        for l in luminosities {
            var line = String(
                format: "  L = %5g fb⁻¹: median %.4f  [−1σ %.4f, +1σ %.4f]  [−2σ %.4f, +2σ %.4f]", l.luminosityFb,
                l.band.median, l.band.minus1, l.band.plus1, l.band.minus2, l.band.plus2)
            if l.binning == .backgroundQuantiles { line += "  (background-quantile bins)" }
            if let s = l.medianStd {
                line += String(format: "  (%d seeds: median %.4f ± %.4f)", l.seeds, l.medianMean, s)
            }
            lines.append(line)
        }
        if let aucMean {
            lines.append(String(format: "  AUC %.4f", aucMean) + (aucStd.map { String(format: " ± %.4f", $0) } ?? ""))
        }
        return lines.joined(separator: "\n")
    }
}

/// The printed result of `vbfgrid limits --model`.
struct ModelLimits: Encodable {
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
