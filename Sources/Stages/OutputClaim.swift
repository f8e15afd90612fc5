import Foundation
import MPI
import Outputs

/// What a stage run claims before it writes: its output folder, with the `producer.json` of this
/// configuration (`OutputFolder`). The parameters are the stage's options as its argument vector
/// writes them (`StageOptions.arguments`), less the output path and the options that do not change
/// what is written; the inputs are identified by `InputIdentity` (content or producer), and their
/// paths are recorded absolute. A folder written by another configuration is refused with the
/// differences listed, or emptied with `force`.
public struct OutputClaim: Sendable {
    public var folder: String
    public var producer: @Sendable () throws -> Producer
    public var force: Bool

    /// The claim of `options` on `folder`. `inputs`: the option names (without `--`) whose values
    /// are input paths; `neutral`: option names that do not change the outputs (`out` and `force`
    /// are always left out); `overrides`: parameters set or removed after that (nil removes).
    public init<Options: StageOptions>(
        _ options: Options, folder: String, inputs: Set<String>, neutral: Set<String> = [],
        overrides: [String: String?] = [:], force: Bool
    ) {
        self.folder = folder
        self.force = force
        let values = Self.values(of: options.arguments)
        producer = {
            var parameters: [String: String] = [:]
            var inputPaths: [String] = []
            for (name, list) in values where !(neutral.union(["out", "force"])).contains(name) {
                if inputs.contains(name) {
                    let absolute = list.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
                    inputPaths += absolute
                    parameters[name] = absolute.joined(separator: " ")
                } else {
                    parameters[name] = list.isEmpty ? "true" : list.joined(separator: " ")
                }
            }
            for (name, value) in overrides { parameters[name] = value }
            return Producer(stage: Options.command, parameters: parameters, inputs: try InputIdentity.of(inputPaths))
        }
    }

    /// An argument vector as option name → values (`--images a,b --keep-hard-objects` →
    /// `images: [a,b]`, `keep-hard-objects: []`).
    static func values(of arguments: [String]) -> [String: [String]] {
        var values: [String: [String]] = [:]
        var current: String?
        for argument in arguments {
            if argument.hasPrefix("--") {
                current = String(argument.dropFirst(2))
                values[current!, default: []] += []
            } else if let current {
                values[current, default: []].append(argument)
            }
        }
        return values
    }

    /// Claims the folder in this process (a serial stage).
    public func take() throws -> OutputFolder {
        try OutputFolder(claiming: folder, producer: try producer(), force: force)
    }

    /// Claims the folder on the ranks where `claimer` is true (rank 0 by default), then tells every
    /// rank of `world` whether all claims held: when one was refused every rank throws
    /// `CollectiveFailure` together (the refused rank with the reason), so no rank is left
    /// waiting and no MPI_Abort is needed.
    public func take(on world: Communicator, claimer: Bool? = nil) throws -> OutputFolder? {
        var claimed: OutputFolder?
        var failure: String?
        if claimer ?? (world.rank == 0) {
            do { claimed = try take() } catch { failure = "\(error)" }
        }
        guard world.allReduce(failure == nil ? 0 : 1, .max) == 0 else {
            claimed?.release()
            throw CollectiveFailure(message: failure)
        }
        return claimed
    }
}

/// An error raised by every rank of a job together (a refused output folder): `runCollectively`
/// ends the job with exit status 1 without MPI_Abort, and only a rank that knows the reason
/// (`message`) prints it.
public struct CollectiveFailure: Error, CustomStringConvertible {
    public var message: String?
    public init(message: String?) { self.message = message }
    public var description: String { message ?? "another rank failed" }
}
