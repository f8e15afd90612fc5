import ArgumentParser
import Foundation
import Grid

/// `vbfgrid grid plan SPEC`: stages, task counts, ranks, estimated core-hours.
struct GridPlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the task graph of a grid spec: stages, task counts, ranks, estimated core-hours.",
        discussion: """
            Core-hours come from the per-stage cost model (Sources/Grid/CostModel.swift): measured figures of the
            development machine where they exist (Pythia speed, sgemm rate), stated estimates elsewhere.
            Example: vbfgrid grid plan jobs/paper-table1.yaml
            """
    )

    @Argument(help: "The grid spec (YAML).")
    var spec: String

    @Flag(help: "Also list every task (id, stage, label, inputs; for generator files each input file and its SHA-256).")
    var tasks = false

    @Flag(help: "Print the plan as JSON.")
    var json = false

    @Flag(help: "Accept dev_tasks (test and development grids only).")
    var devTasks = false

    func run() throws {
        let spec = try GridSpec.load(path: self.spec, allowDevTasks: devTasks)
        let graph = TaskGraph(spec: spec)
        let plan = GridPlan(spec: spec, graph: graph)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(plan), as: UTF8.self))
            return
        }
        print(plan.text)
        if tasks {
            print("")
            for task in graph.tasks {
                print(
                    "\(task.id)  \(task.stage.padding(toLength: 10, withPad: " ", startingAt: 0)) \(task.label)"
                        + (task.inputs.isEmpty ? "" : "  ← \(task.inputs.count) input(s)")
                        + (task.parameters["sha256"].map { "  \(task.parameters["input"]!) sha256 \($0)" } ?? ""))
            }
        }
    }
}
