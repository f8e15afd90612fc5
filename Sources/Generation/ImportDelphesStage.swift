import ArgumentParser
import Events
import Foundation
import Stages

/// `import-delphes`: Delphes ROOT files → `vbfgrid.events` v1, through
/// `tools/pythia/delphes_import.py` (uproot, in the venv of the Pythia adapter).
public struct ImportDelphesStage: SerialStage {
    /// The options of `vbfgrid import-delphes`.
    public struct Options: StageOptions {
        public static let command = "import-delphes"

        @Argument(help: "Delphes ROOT files.") public var inputs: [String]
        @Option(
            help: "Channel of the events (S_EW, S_QCD, Z_QCD, W_QCD, Z_EW, W_EW, MINBIAS).",
            transform: Channel.init(parsing:))
        public var channel: Channel
        @Option(help: "Output events file, or an existing directory.") public var out: String
        @Option(help: "Cross section per generated event in fb (default 0: unknown).") public var crossSectionFb:
            Double?
        @Option(help: "Generated events behind all inputs, including generator-level cuts (default: the events read).")
        public var nGenerated: Int?

        public init() {}

        public func validate() throws {
            for input in inputs where !FileManager.default.fileExists(atPath: input) {
                throw ValidationError("\(input): no such file")
            }
            if let nGenerated, nGenerated <= 0 {
                throw ValidationError("--n-generated must be positive, got \(nGenerated)")
            }
            if let crossSectionFb, !(crossSectionFb >= 0) {
                throw ValidationError("--cross-section-fb must be a non-negative number, got \(crossSectionFb)")
            }
        }

        public var arguments: [String] {
            var args = inputs + ["--channel", channel.argument, "--out", out]
            if let crossSectionFb { args += ["--cross-section-fb", String(crossSectionFb)] }
            if let nGenerated { args += ["--n-generated", String(nGenerated)] }
            return args
        }
    }

    public var options: Options

    public init(options: Options) { self.options = options }

    public func run() throws {
        var isDirectory: ObjCBool = false
        let out = options.out
        let toDirectory =
            FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue
        if !toDirectory { try OutputPath.ensureParentWritable(out) }
        // The script takes the same options, and --out-is-directory.
        try PythonTools.locate().run(
            "delphes_import.py", options.arguments + (toDirectory ? ["--out-is-directory"] : []))
    }
}
