/// The summary `grid plan` prints: per stage, task count, ranks per task, estimated core-hours
/// and what the stage waits for.
public struct GridPlan: Sendable, Codable {
    public struct Stage: Sendable, Codable {
        public var stage: String
        public var tasks: Int
        public var ranks: [Int]
        public var coreHours: Double
        /// Stages whose tasks feed this one.
        public var after: [String]
    }

    public var name: String
    public var stages: [Stage]
    public var totalTasks: Int
    public var totalCoreHours: Double

    public init(spec: GridSpec, graph: TaskGraph) {
        name = spec.name
        let stageOf = Dictionary(uniqueKeysWithValues: graph.tasks.map { ($0.id, $0.stage) })
        stages = graph.stageNames.map { stage in
            let tasks = graph.tasks.filter { $0.stage == stage }
            let seconds = tasks.reduce(0) { $0 + CostModel.cpuSeconds(of: $1, spec: spec) }
            var after: [String] = []
            for task in tasks {
                for input in task.inputs where !after.contains(stageOf[input]!) { after.append(stageOf[input]!) }
            }
            return Stage(
                stage: stage, tasks: tasks.count, ranks: Array(Set(tasks.map { $0.resources.ranks ?? 1 })).sorted(),
                coreHours: seconds / 3600, after: graph.stageNames.filter(after.contains))
        }
        totalTasks = graph.tasks.count
        totalCoreHours = stages.reduce(0) { $0 + $1.coreHours }
    }

    /// The plan as a text table.
    public var text: String {
        var lines = [
            "grid \(name): \(totalTasks) tasks, about \(format(totalCoreHours)) core-hours",
            "(estimates from the cost model in Sources/Grid/CostModel.swift: measured figures of the",
            " development machine where they exist, stated estimates elsewhere)", "",
            pad("stage", 11) + pad("tasks", 7) + pad("ranks", 8) + pad("core-h", 11) + "after",
        ]
        for s in stages {
            lines.append(
                pad(s.stage, 11) + pad(String(s.tasks), 7) + pad(s.ranks.map(String.init).joined(separator: ","), 8)
                    + pad(format(s.coreHours), 11) + (s.after.isEmpty ? "-" : s.after.joined(separator: ", ")))
        }
        return lines.joined(separator: "\n")
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    private func format(_ hours: Double) -> String {
        if hours >= 100 { return String(Int(hours.rounded())) }
        if hours >= 1 { return String((hours * 10).rounded() / 10) }
        return String((hours * 1000).rounded() / 1000)
    }
}
