import Foundation
import Plotting

/// Writes a report folder: `index.html` (self-contained), `summary.md`, `report.json` (the
/// `ReportData`), and every figure as `<name>.svg` with `<name>.csv` and `<name>.json`.
public enum ReportWriter {
    public struct Output: Sendable {
        /// The Table 1 analogue for the terminal.
        public var table: String
        public var header: [String]
        /// Everything written, relative to the report folder.
        public var files: [String]
        public var notes: [String]
        /// Time per stage for the terminal ("" when the run has no timed tasks).
        public var runTime: String
    }

    /// The lines under the title: run name and, below the paper's sizes, "demo sizes; …".
    public static func header(_ data: ReportData) -> [String] {
        var lines = ["Run \(data.runName)."]
        if let s = data.sizes {
            let sizes = "\(s.train) training + \(s.validation) validation events"
            if s.isBelowPaper {
                lines.append(
                    "demo sizes; see jobs/paper-table1.yaml for the paper's (this run: \(sizes); the paper: "
                        + "\(DatasetSizes.paper.train) + \(DatasetSizes.paper.validation)).")
            } else {
                lines.append("Data set: \(sizes) (the paper's sizes or larger).")
            }
        } else {
            lines.append("Data-set sizes unknown (no data set in this run).")
        }
        return lines
    }

    /// Writes the report into a new folder beside `directory` and only then puts it in place of
    /// the old one, so a failed write leaves the previous report as it was.
    @discardableResult
    public static func write(_ data: ReportData, to directory: URL) throws -> Output {
        let files = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(directory.lastPathComponent).partial-\(getpid())")
        let previous = parent.appendingPathComponent(".\(directory.lastPathComponent).previous-\(getpid())")
        try? files.removeItem(at: staging)
        try files.createDirectory(at: staging, withIntermediateDirectories: true)
        let output: Output
        do { output = try writeFiles(data, into: staging) } catch {
            try? files.removeItem(at: staging)
            throw error
        }
        let hadReport = files.fileExists(atPath: directory.path)
        if hadReport { try files.moveItem(at: directory, to: previous) }
        do { try files.moveItem(at: staging, to: directory) } catch {
            if hadReport { try? files.moveItem(at: previous, to: directory) }
            try? files.removeItem(at: staging)
            throw ReportError("\(directory.path): cannot put the new report in place: \(error.localizedDescription)")
        }
        if hadReport { try? files.removeItem(at: previous) }
        return output
    }

    static func writeFiles(_ data: ReportData, into directory: URL) throws -> Output {
        let table = ReportTable(data)
        let sections = HTMLPage.TableSection.all(data)
        let (figures, missing) = ReportFigures.all(data)
        let notes = table.notes + missing + data.notes
        let header = header(data)
        var files: [String] = []
        for f in figures { files += try f.figure.write(to: directory) }
        if let fidelity = data.fidelity { files += try copyPage(fidelity, into: directory) }

        let title = "vbfgrid report: \(data.runName)"
        try write(
            HTMLPage.render(
                title: title, header: header, table: table, sections: sections, figures: figures,
                notes: notes, runTime: RunTimeSection.html(data)),
            to: directory.appendingPathComponent("index.html"))
        try write(
            markdown(
                title: title, header: header, table: table, sections: sections, figures: figures,
                notes: notes, data: data),
            to: directory.appendingPathComponent("summary.md"))
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(data).write(to: directory.appendingPathComponent("report.json"), options: .atomic)
        files += ["index.html", "summary.md", "report.json"]
        return Output(
            table: table.text(), header: header, files: files, notes: notes, runTime: RunTimeSection.text(data))
    }

    static func markdown(
        title: String, header: [String], table: ReportTable, sections: [HTMLPage.TableSection],
        figures: [ReportFigure], notes: [String], data: ReportData
    ) -> String {
        var out = "# \(title)\n\n" + header.map { "\($0)\n" }.joined(separator: "\n") + "\n"
        out += "## Expected 95% CL upper limits on BR(h→inv) (Table 1)\n\n" + table.markdown() + "\n"
        out +=
            "Cells: median +1σ −1σ; with several seeds, the mean over seeds. \"vs row 1\": row 1's median / the row's median. "
            + "Network rows: the paper's equal-width output bins, the rule of the paper's numbers.\n\n"
        for section in sections {
            out += "## \(section.title)\n\n" + section.markdown + "\n\(section.caption)\n\n"
        }
        out += "## Figures\n\n"
        for f in figures {
            let n = f.figure.name
            out +=
                "### \(f.figure.title)\n\n![\(f.figure.title)](\(n).svg)\n\n\(f.caption) Numbers: [\(n).csv](\(n).csv), [\(n).json](\(n).json).\n\n"
        }
        out += RunTimeSection.markdown(data)
        out += "## Notes\n\n" + (notes.isEmpty ? "- Nothing missing.\n" : notes.map { "- \($0)\n" }.joined())
        return out
    }

    /// Copies the fidelity page (index.html, fidelity.json, figures) into `directory`/fidelity.
    static func copyPage(_ fidelity: FidelityResult, into directory: URL) throws -> [String] {
        let target = directory.appendingPathComponent(FidelitySection.folder)
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let names = try fidelity.pageFiles()
        for name in names {
            try FileManager.default.copyItem(
                at: URL(fileURLWithPath: fidelity.folder).appendingPathComponent(name),
                to: target.appendingPathComponent(name))
        }
        return names.map { "\(FidelitySection.folder)/\($0)" }
    }

    static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
