import Checksum
import Events
import Fidelity
import Foundation
import Generation

extension GridSpec {
    /// `fidelity`: a task that measures the grid's own fastsim events against a reference
    /// (`vbfgrid fidelity --fastsim <the generate tasks' events>`), shown in the report.
    public struct Fidelity: Sendable, Equatable {
        /// The reference file (a vbfgrid.observables or vbfgrid.events file): absolute when the spec
        /// was read with its inputs resolved, else as written.
        public var reference: String
        /// The reference's SHA-256 (part of the task's identity: a changed file reruns the task);
        /// nil when the spec was read without resolving inputs.
        public var sha256: String?
        /// At most this many selected events per channel and sample (`fidelity --events`).
        public var events: Int?
    }
}

extension SpecReader {
    /// The `fidelity` mapping: `reference` (a path relative to the spec's folder; the file must
    /// be a readable vbfgrid.observables or vbfgrid.events file) and optional `events`. Only for
    /// generator fastsim: the task measures the grid's fastsim.
    func fidelity(_ node: SpecNode, generator: GenerateStage.Generator) throws -> GridSpec.Fidelity {
        let m = try node.mapping(allowed: ["reference", "events"])
        guard generator == .fastsim else {
            throw node.error(
                "measures the grid's fastsim events and needs samples.generator: fastsim (this grid's is "
                    + "\(generator.rawValue)); remove it, or compare with `vbfgrid fidelity --fastsim`")
        }
        let referenceNode = try m.required("reference")
        var reference = try referenceNode.string()
        var sha256: String?
        if let inputBase {
            reference =
                URL(fileURLWithPath: reference, relativeTo: URL(fileURLWithPath: inputBase + "/"))
                .standardizedFileURL.path
            do {
                let format = try SampleLoader.format(of: reference)
                let accepted = [ObservablesFile.format, FileHeader.eventsFormat]
                guard let format, accepted.contains(format) else {
                    throw FidelityError.invalidInput(
                        "\(reference): expected a file (\(accepted.joined(separator: " or "))), found "
                            + (format.map { "a \($0) file" } ?? "a folder"))
                }
                sha256 = try SHA256.hex(fileAt: reference)
            } catch {
                throw referenceNode.error("\(error)")
            }
        }
        return GridSpec.Fidelity(
            reference: reference, sha256: sha256,
            events: try m["events"]?.int(min: 1, what: "a number of selected events per channel"))
    }
}
