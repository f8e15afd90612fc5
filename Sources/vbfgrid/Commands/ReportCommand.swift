import ArgumentParser
import Foundation
import Report

/// `vbfgrid report RUN`: the Table 1 analogue and the paper's figures for a finished grid run.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the report of a grid run: Table 1 analogue, figures, HTML and Markdown.",
        discussion: """
            Reads the finished tasks of the grid run RUN (graph.json; RUN/tasks/<stage>/<id>/ \
            with a done marker): the data set (preprocess), training histories (train), network \
            outputs and metrics (evaluate) and limits (limits). Writes RUN/report/index.html (self-contained: \
            inline SVG and CSS, opens from disk), RUN/report/summary.md, report.json, and every \
            figure as <name>.svg with <name>.csv and <name>.json beside it. Prints the table.

            Whatever the run lacks (pileup, several seeds, the JES systematic, evaluations) is \
            left out with a note in the report; a run with nothing finished still gets a report \
            that says so. An output that exists but cannot be read is a note too, or with \
            --strict an error. A folder that is not a grid run is an error, and the previous \
            report is replaced only once the new one is complete.
            """)

    @Argument(help: ArgumentHelp("The run directory (runs/<name>).", valueName: "run"))
    var runDirectory: String

    @Option(name: .long, help: ArgumentHelp("Output folder (default: RUN/report).", valueName: "dir"))
    var output: String?

    @Flag(name: .long, help: "Do not print the table.")
    var quiet = false

    @Flag(name: .long, help: "Fail on any output that cannot be read, instead of leaving it out with a note.")
    var strict = false

    func validate() throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: runDirectory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw ValidationError("\(runDirectory): not a directory (expected a run directory such as runs/demo)")
        }
    }

    func run() throws {
        let data = try RunLoader.load(runDirectory: runDirectory, strict: strict)
        let directory = URL(fileURLWithPath: output ?? "\(runDirectory)/report")
        let result = try ReportWriter.write(data, to: directory)
        if !quiet {
            print(result.header.joined(separator: "\n"))
            print("")
            print("Expected 95% CL upper limits on BR(h→inv)")
            print(result.table, terminator: "")
            print("")
            if !result.runTime.isEmpty { print(result.runTime) }
        }
        print("Report: \(directory.appendingPathComponent("index.html").path) (\(result.files.count) files)")
    }
}
