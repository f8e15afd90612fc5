import ArgumentParser
import Foundation
import Stages

extension CutBasedLimits.Variable: ArgumentValue {
    public init(parsing text: String) throws {
        guard let variable = Self(rawValue: text) else { throw ValidationError("expected mjj or deta, got '\(text)'") }
        self = variable
    }

    public var argument: String { rawValue }
}

/// `name=value,…` numbers by name (`--physics`, `--xsec-uncertainty`); written with the keys sorted.
public struct Assignments: ArgumentValue, Equatable, Sendable {
    public var values: [String: Double]

    public init(_ values: [String: Double]) { self.values = values }

    public init(parsing text: String) throws {
        values = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let value = Double(parts[1]), value.isFinite else {
                throw ValidationError("'\(item)' is not name=number")
            }
            values[parts[0]] = value
        }
    }

    public var argument: String { values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: ",") }
}

extension LimitsStage {
    /// The options of `vbfgrid limits`: a model file, or the network or cut-based analysis of a data set.
    public struct Options: StageOptions {
        public static let command = "limits"
        static let defaultLuminosities: [Double] = [36, 140, 300]
        static let defaultMetCut = 200.0
        static let defaultBins = 10
        static let defaultConfidenceLevel = 0.95

        @Option(name: .long, help: ArgumentHelp("Model file (JSON).", valueName: "file"))
        public var model: String?

        @Option(
            name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("vbfgrid evaluate output folders (seeds of one network).", valueName: "dir"))
        public var evaluations: [String] = []

        @Option(
            name: .customLong("cut-based"),
            help: ArgumentHelp("Cut-based shape analysis of m_jj or |Δη_jj|.", valueName: "mjj|deta"),
            transform: CutBasedLimits.Variable.init(parsing:))
        public var cutBased: CutBasedLimits.Variable?

        @Option(name: .customLong("met-cut"), help: "The met cut of the cut-based analysis, GeV (200 or 250).")
        public var metCut: Double = Options.defaultMetCut

        @Option(help: ArgumentHelp("The data-set folder (its validation split and manifest).", valueName: "dir"))
        public var dataset: String?

        @Option(help: "A name for the analysis, recorded in limits.json.")
        public var analysis: String?

        @Option(
            help: ArgumentHelp(
                "Integrated luminosities in fb⁻¹, comma-separated. (default: 36,140,300)", valueName: "list"),
            transform: CommaList.init(parsing:))
        public var luminosities = CommaList(Options.defaultLuminosities)

        @Option(help: ArgumentHelp("Output folder for limits.json and the workspaces.", valueName: "dir"))
        public var out: String?

        @Flag(help: "Add the JES histosys (network: from score_jes_up/down; m_jj: m_jj and met × 1.1 / 0.9).")
        public var jes = false

        @Option(help: "Output bins of the network analysis.")
        public var bins: Int = Options.defaultBins

        @Option(
            name: .customLong("physics-table"),
            help: ArgumentHelp("A physics table JSON overriding the default σ·ε normalisation.", valueName: "file"))
        public var physicsTable: String?

        @Option(
            help: ArgumentHelp(
                "Physics-table numbers by name, e.g. signal_yield=1500,fractions.Z_EW=0.03.", valueName: "name=value,…"),
            transform: Assignments.init(parsing:))
        public var physics: Assignments?

        @Option(name: .customLong("lumi-uncertainty"), help: "Relative luminosity uncertainty (default 0.025).")
        public var lumiUncertainty: Double?

        @Option(
            name: .customLong("xsec-uncertainty"),
            help: ArgumentHelp(
                "Cross-section normsys per sample, e.g. S_QCD=0.15,Z_EW=0.2 (defaults: S_EW 0.05, others 0.10).",
                valueName: "sample=u,…"),
            transform: Assignments.init(parsing:))
        public var xsecUncertainty: Assignments?

        @Flag(name: .customLong("no-staterror"), help: "Leave out the MC statistical uncertainty (staterror).")
        public var noStaterror = false

        @Option(
            name: .customLong("export-pyhf"),
            help: ArgumentHelp("Also write the model as a pyhf workspace JSON.", valueName: "file"))
        public var exportPyhf: String?

        @Flag(name: .long, help: "Also compute the observed limit from the model's data.")
        public var observed = false

        @Option(name: .long, help: "Confidence level.")
        public var cl: Double = Options.defaultConfidenceLevel

        @Flag(name: .long, help: "Print only the JSON result {\"expected\": {\"-2\": …, …, \"2\": …}}.")
        public var json = false

        @Flag(help: .forceOutput)
        public var force = false

        public init() {}

        /// The network analysis of `evaluations` on `dataset` with the statistical model's settings;
        /// every other option at its default (set `cutBased` and `metCut` for a cut-based analysis).
        public init(
            evaluations: [String], dataset: String, analysis: String?, luminosities: [Double], out: String, jes: Bool,
            lumiUncertainty: Double?, xsecUncertainty: [String: Double], physics: [String: Double]
        ) {
            model = nil
            self.evaluations = evaluations
            cutBased = nil
            metCut = Self.defaultMetCut
            self.dataset = dataset
            self.analysis = analysis
            self.luminosities = CommaList(luminosities)
            self.out = out
            self.jes = jes
            bins = Self.defaultBins
            physicsTable = nil
            self.physics = physics.isEmpty ? nil : Assignments(physics)
            self.lumiUncertainty = lumiUncertainty
            self.xsecUncertainty = xsecUncertainty.isEmpty ? nil : Assignments(xsecUncertainty)
            noStaterror = false
            exportPyhf = nil
            observed = false
            cl = Self.defaultConfidenceLevel
            json = false
            force = false
        }

        public func validate() throws {
            guard cl > 0.5, cl < 1 else { throw ValidationError("--cl must be in (0.5, 1), got \(cl)") }
            let modes = [model != nil, !evaluations.isEmpty, cutBased != nil].filter { $0 }.count
            guard modes == 1 else { throw ValidationError("give exactly one of --model, --evaluations, --cut-based") }
            if model != nil { return }
            guard dataset != nil else {
                throw ValidationError("--dataset is required with --evaluations and --cut-based")
            }
            guard out != nil else { throw ValidationError("--out is required with --evaluations and --cut-based") }
            guard bins >= 3 else { throw ValidationError("--bins must be at least 3, got \(bins)") }
            if let bad = luminosities.values.first(where: { !($0 > 0) }) {
                throw ValidationError("--luminosities: '\(bad.argument)' is not a positive number")
            }
            if let bad = xsecUncertainty?.values.keys.sorted().first(where: { !PhysicsTable.channels.contains($0) }) {
                throw ValidationError(
                    "--xsec-uncertainty: unknown sample '\(bad)' (expected \(PhysicsTable.channels.joined(separator: ", ")))"
                )
            }
        }

        public var arguments: [String] {
            var args = model.map { ["--model", $0] } ?? []
            if !evaluations.isEmpty { args += ["--evaluations"] + evaluations }
            if let cutBased { args += ["--cut-based", cutBased.argument, "--met-cut", metCut.argument] }
            if let dataset { args += ["--dataset", dataset] }
            if let analysis { args += ["--analysis", analysis] }
            if model == nil { args += ["--luminosities", luminosities.argument] }
            if let out { args += ["--out", out] }
            if jes { args.append("--jes") }
            if let lumiUncertainty { args += ["--lumi-uncertainty", String(lumiUncertainty)] }
            if let xsecUncertainty { args += ["--xsec-uncertainty", xsecUncertainty.argument] }
            if let physics { args += ["--physics", physics.argument] }
            if bins != Self.defaultBins { args += ["--bins", String(bins)] }
            if let physicsTable { args += ["--physics-table", physicsTable] }
            if noStaterror { args.append("--no-staterror") }
            if let exportPyhf { args += ["--export-pyhf", exportPyhf] }
            if observed { args.append("--observed") }
            if cl != Self.defaultConfidenceLevel { args += ["--cl", cl.argument] }
            if json { args.append("--json") }
            if force { args.append("--force") }
            return args
        }
    }
}
