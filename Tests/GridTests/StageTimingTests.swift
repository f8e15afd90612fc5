import Foundation
import TestSupport
import Testing

@testable import Grid

@Suite("Stage timings from the task markers")
struct StageTimingTests {
    func task(_ stage: String, _ name: String, ranks: Int) -> GridTask {
        GridTask(
            stage: stage, label: "\(stage) \(name)", parameters: ["name": name], inputs: [],
            resources: TaskResources(ranks: ranks, cpusPerRank: 1), preemptible: false, argumentTemplate: [stage])
    }

    @Test("wall = first start to last done; task and core time are sums; tasks not done do not count")
    func timings() throws {
        let folder = TestPaths.temporaryDirectory("stage-timing")
        let run = RunDirectory(path: folder.path)
        let a = task("train", "a", ranks: 2), b = task("train", "b", ranks: 2)
        let c = task("evaluate", "c", ranks: 1), d = task("evaluate", "d", ranks: 1)
        let graph = TaskGraph(tasks: [a, b, c, d])
        try run.materialize(graph: graph, specText: "name: t\n")
        func mark(_ t: GridTask, _ name: String, _ time: String) throws {
            try AtomicFile.write("host=h pid=1 time=2026-01-01T10:\(time)Z\n", to: run.marker(name, of: t))
        }
        try mark(a, "started", "00:00")
        try mark(a, "done", "00:10")
        try mark(b, "started", "00:05")
        try mark(b, "done", "00:30")
        try mark(c, "started", "01:00")
        try mark(c, "done", "01:04")
        try mark(d, "started", "01:00") // still running: not counted
        let (timings, wall) = StageTiming.collect(run: run, graph: graph)
        #expect(
            timings == [
                StageTiming(stage: "train", tasks: 2, wallSeconds: 30, taskSeconds: 35, coreSeconds: 70),
                StageTiming(stage: "evaluate", tasks: 1, wallSeconds: 4, taskSeconds: 4, coreSeconds: 4),
            ])
        #expect(wall == 64)
        #expect(
            StageTiming.format(64) == "1 min 04 s" && StageTiming.format(7325) == "2 h 02 min"
                && StageTiming.format(4.4) == "4 s")
    }
}
