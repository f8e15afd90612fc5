import Foundation

/// How long each stage of a run took, from the `time=` of its tasks' started and done markers
/// (the last attempt of a requeued task). Only done tasks count.
public struct StageTiming: Sendable, Codable, Equatable {
    public var stage: String
    /// Done tasks of the stage that have both markers.
    public var tasks: Int
    /// From the first start to the last done of the stage's tasks (stages may overlap).
    public var wallSeconds: Double
    /// Sum over tasks of (done − started).
    public var taskSeconds: Double
    /// Sum over tasks of (done − started) × ranks × CPUs per rank.
    public var coreSeconds: Double

    /// One entry per stage that has a timed done task, in graph order, and the run's wall time
    /// (first start to last done over every stage; nil without a timed task).
    public static func collect(run: RunDirectory, graph: TaskGraph) -> (stages: [StageTiming], wallSeconds: Double?) {
        let formatter = ISO8601DateFormatter()
        var timings: [StageTiming] = []
        var spans: [String: (first: Date, last: Date)] = [:]
        for task in graph.tasks where run.isDone(task) {
            guard let start = markerTime("started", of: task, in: run, formatter),
                let end = markerTime("done", of: task, in: run, formatter), end >= start
            else { continue }
            let seconds = end.timeIntervalSince(start)
            let cores = Double((task.resources.ranks ?? 1) * (task.resources.cpusPerRank ?? 1))
            if let index = timings.firstIndex(where: { $0.stage == task.stage }) {
                timings[index].tasks += 1
                timings[index].taskSeconds += seconds
                timings[index].coreSeconds += seconds * cores
            } else {
                timings.append(
                    StageTiming(
                        stage: task.stage, tasks: 1, wallSeconds: 0, taskSeconds: seconds,
                        coreSeconds: seconds * cores))
            }
            let span = spans[task.stage] ?? (start, end)
            spans[task.stage] = (min(span.first, start), max(span.last, end))
        }
        for index in timings.indices {
            let span = spans[timings[index].stage]!
            timings[index].wallSeconds = span.last.timeIntervalSince(span.first)
        }
        guard let first = spans.values.map(\.first).min(), let last = spans.values.map(\.last).max() else {
            return (timings, nil)
        }
        return (timings, last.timeIntervalSince(first))
    }

    /// The `time=` field of a marker file.
    static func markerTime(_ name: String, of task: GridTask, in run: RunDirectory, _ formatter: ISO8601DateFormatter)
        -> Date?
    {
        guard let text = try? String(contentsOfFile: run.marker(name, of: task), encoding: .utf8) else { return nil }
        for field in text.split(whereSeparator: { $0 == " " || $0.isNewline }) where field.hasPrefix("time=") {
            return formatter.date(from: String(field.dropFirst(5)))
        }
        return nil
    }

    /// Column titles and one row of text per stage, for the terminal, Markdown and HTML tables.
    public static let columns = ["stage", "tasks", "wall", "task time", "core time"]

    public static func rows(_ stages: [StageTiming]) -> [[String]] {
        stages.map { t in [t.stage, String(t.tasks)] + [t.wallSeconds, t.taskSeconds, t.coreSeconds].map(format) }
    }

    /// The table as aligned plain text, titles first.
    public static func text(_ stages: [StageTiming]) -> String {
        let table = [columns] + rows(stages)
        let widths = columns.indices.map { c in table.map { $0[c].count }.max()! + 2 }
        return table.map { row in
            zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined() + "\n"
        }
        .joined()
    }

    /// "42 s", "3 min 05 s", "1 h 02 min".
    public static func format(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(String(format: "%02d", s % 60)) s" }
        return "\(s / 3600) h \(String(format: "%02d", s % 3600 / 60)) min"
    }
}
