import Grid

/// The "Run time" section: per stage, its done tasks, wall time, summed task time and core time
/// (from the task markers, `Grid.StageTiming`).
enum RunTimeSection {
    static func summary(_ data: ReportData) -> String? {
        data.runWallSeconds.map { "Run wall time \(StageTiming.format($0)) (first task start to last task done)." }
    }

    /// Aligned plain text for the terminal ("" without timings).
    static func text(_ data: ReportData) -> String {
        guard !data.stageTimings.isEmpty else { return "" }
        return (summary(data).map { "\($0)\n" } ?? "") + StageTiming.text(data.stageTimings)
    }

    static func markdown(_ data: ReportData) -> String {
        guard !data.stageTimings.isEmpty else { return "" }
        var out = "## Run time\n\n" + (summary(data).map { "\($0) Stages may overlap.\n\n" } ?? "")
        out +=
            "| " + StageTiming.columns.joined(separator: " | ") + " |\n|"
            + StageTiming.columns.map { _ in "---" }.joined(separator: "|") + "|\n"
        for row in StageTiming.rows(data.stageTimings) { out += "| " + row.joined(separator: " | ") + " |\n" }
        return out + "\n"
    }

    static func html(_ data: ReportData) -> String {
        guard !data.stageTimings.isEmpty else { return "" }
        var out = "<h2 id=\"runtime\">Run time</h2>\n"
        if let s = summary(data) { out += "<p class=\"meta\">\(HTMLPage.escape(s)) Stages may overlap.</p>\n" }
        out += "<table class=\"limits\">\n<tr>" + StageTiming.columns.map { "<th>\($0)</th>" }.joined() + "</tr>\n"
        for row in StageTiming.rows(data.stageTimings) {
            out +=
                "<tr><td class=\"name\">\(HTMLPage.escape(row[0]))</td>"
                + row.dropFirst().map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        return out + "</table>\n"
    }
}
