import Grid

/// The "Run time" section: per stage, its done tasks, wall time, summed task time and core time
/// (from the task markers, `Grid.StageTiming`).
enum RunTimeSection {
    static let columns = ["stage", "tasks", "wall", "task time", "core time"]

    static func rows(_ data: ReportData) -> [[String]] {
        data.stageTimings.map { t in
            [t.stage, String(t.tasks)] + [t.wallSeconds, t.taskSeconds, t.coreSeconds].map(StageTiming.format)
        }
    }

    static func summary(_ data: ReportData) -> String? {
        data.runWallSeconds.map { "Run wall time \(StageTiming.format($0)) (first task start to last task done)." }
    }

    /// Aligned plain text for the terminal ("" without timings).
    static func text(_ data: ReportData) -> String {
        guard !data.stageTimings.isEmpty else { return "" }
        let table = [columns] + rows(data)
        let widths = columns.indices.map { c in table.map { $0[c].count }.max()! + 2 }
        var out = (summary(data).map { "\($0)\n" } ?? "")
        for row in table { out += zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined() + "\n" }
        return out
    }

    static func markdown(_ data: ReportData) -> String {
        guard !data.stageTimings.isEmpty else { return "" }
        var out = "## Run time\n\n" + (summary(data).map { "\($0) Stages may overlap.\n\n" } ?? "")
        out += "| " + columns.joined(separator: " | ") + " |\n|" + columns.map { _ in "---" }.joined(separator: "|") + "|\n"
        for row in rows(data) { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out + "\n"
    }

    static func html(_ data: ReportData) -> String {
        guard !data.stageTimings.isEmpty else { return "" }
        var out = "<h2 id=\"runtime\">Run time</h2>\n"
        if let s = summary(data) { out += "<p class=\"meta\">\(HTMLPage.escape(s)) Stages may overlap.</p>\n" }
        out += "<table class=\"limits\">\n<tr>" + columns.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
        for row in rows(data) {
            out += "<tr><td class=\"name\">\(HTMLPage.escape(row[0]))</td>" + row.dropFirst().map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }
}
