import Checksum

/// One node of the task graph: one invocation of a vbfgrid stage subcommand.
///
/// The id is a stable hash of the stage, the parameters, the input ids and the argument
/// template, so changing one parameter changes the ids of that task and of everything
/// downstream of it, and nothing else. The argument template refers to folders through
/// placeholders — `{task}` (this task's folder), `{tasks}` (the run's `tasks/` folder),
/// `{run}` (the run folder) — so the id does not depend on where the run lives.
public struct GridTask: Sendable, Codable, Equatable {
    public var id: String
    public var stage: String
    /// Human-readable name, e.g. `train PJ-LR-CNN <N>=20 seed 2`.
    public var label: String
    public var parameters: [String: String]
    /// Ids of the tasks whose outputs this one reads.
    public var inputs: [String]
    /// Resolved resources (every field set except possibly `partition`).
    public var resources: TaskResources
    /// Preemptible tasks (training) are submitted with --requeue and a signal before the time limit.
    public var preemptible: Bool
    public var argumentTemplate: [String]

    public init(
        stage: String, label: String, parameters: [String: String], inputs: [String],
        resources: TaskResources, preemptible: Bool, argumentTemplate: [String]
    ) {
        self.stage = stage
        self.label = label
        self.parameters = parameters
        self.inputs = inputs
        self.resources = resources
        self.preemptible = preemptible
        self.argumentTemplate = argumentTemplate
        self.id = GridTask.identity(stage: stage, parameters: parameters, inputs: inputs, arguments: argumentTemplate)
    }

    /// The first 16 hex digits of SHA-256 over a canonical text of the task's identity.
    public static func identity(stage: String, parameters: [String: String], inputs: [String], arguments: [String])
        -> String
    {
        var text = "vbfgrid-task-v1\nstage=\(stage)\n"
        for key in parameters.keys.sorted() { text += "param:\(key)=\(parameters[key]!)\n" }
        for input in inputs.sorted() { text += "input=\(input)\n" }
        for argument in arguments { text += "arg=\(argument)\n" }
        return String(SHA256.hex(text).prefix(16))
    }

    /// The folder of this task inside the run folder, relative: `tasks/<stage>/<id>`.
    public var relativePath: String { "tasks/\(stage)/\(id)" }

    /// The argument vector with the placeholders resolved against the run folder `run`.
    public func arguments(run: String) -> [String] {
        argumentTemplate.map {
            $0.replacingOccurrences(of: "{task}", with: "\(run)/\(relativePath)")
                .replacingOccurrences(of: "{tasks}", with: "\(run)/tasks")
                .replacingOccurrences(of: "{run}", with: run)
        }
    }
}

/// Seeds derived from the master seed and a task's identity (SHA-256, first 60 bits), so every
/// task has its own stream and the same spec always gives the same seeds.
public enum SeedDerivation {
    public static func seed(master: UInt64, identity: String) -> UInt64 {
        let digest = SHA256.hex("vbfgrid-seed\u{0}\(master)\u{0}\(identity)")
        return UInt64(digest.prefix(15), radix: 16)!
    }
}
