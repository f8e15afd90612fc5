import Fidelity
import Foundation

/// The run's fidelity task: how well its fastsim reproduces a reference generator
/// (`Fidelity.FidelityReport`, read from the task's fidelity.json), and the task's page folder.
public struct FidelityResult: Codable, Sendable, Equatable {
    public var report: FidelityReport
    /// The fidelity task's output folder (fidelity.json, index.html, figures), copied into the
    /// report's `fidelity/` folder.
    public var folder: String

    public init(report: FidelityReport, folder: String) {
        self.report = report
        self.folder = folder
    }

    /// Reads `folder`/fidelity.json with the type that wrote it; an unreadable file is an error
    /// naming it.
    public static func load(folder: String) throws -> FidelityResult {
        let path = URL(fileURLWithPath: folder).appendingPathComponent("fidelity.json").path
        do {
            return FidelityResult(report: try FidelityReport.read(path), folder: folder)
        } catch let error as FidelityError {
            throw ReportError("\(error)")
        } catch let error as DecodingError {
            throw ReportError("\(path): \(error.readable)")
        } catch {
            throw ReportError("\(path): \(error.localizedDescription)")
        }
    }

    /// The page folder's files the report copies: everything but hidden files and producer.json.
    func pageFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { !$0.hasPrefix(".") && $0 != "producer.json" }.sorted()
    }
}

/// The "fastsim fidelity" section of the report: per channel the events compared, the
/// classifier AUCs and the three worst observables with their medians.
struct FidelitySection {
    static let title = "fastsim fidelity: this run's fastsim against a reference generator"
    /// Where the report puts the fidelity page.
    static let folder = "fidelity"

    let result: FidelityResult

    var report: FidelityReport { result.report }

    /// The image-level column's text when no channel has an image AUC: why.
    var imagesMissing: String? {
        guard report.channels.allSatisfy({ $0.imageAUC == nil }) else { return nil }
        return report.settings.images ? "not measured: the reference has no images" : "not measured: turned off"
    }

    func cells() -> (header: [String], rows: [[String]]) {
        let header = [
            "channel", "events compared", "event-level AUC (MLP)", "image-level AUC (CNN, PJ-LR)",
            "worst observables: median fastsim / reference",
        ]
        let rows = report.channels.map { c in
            let worst = c.worst.compactMap { name in c.observables.first { $0.name == name } }.map {
                "\($0.name) \(Self.median($0.fastsimMedian)) / \(Self.median($0.referenceMedian))"
            }
            return [
                c.channel, String(c.compared), Self.auc(c.eventAUC),
                c.imageAUC.map(Self.auc) ?? (imagesMissing.map { _ in "not measured" } ?? "—"),
                worst.joined(separator: "; "),
            ]
        }
        return (header, rows)
    }

    var caption: String {
        "fastsim: \(report.fastsimGenerator). Reference: \(Self.describe(report.referenceGenerator)) "
            + "(\(URL(fileURLWithPath: report.reference).lastPathComponent)). Both through the baseline selection "
            + "(met > 200 GeV); a classifier learns to tell them apart, \(report.settings.folds)-fold: AUC 0.5 means "
            + "it cannot. AUC: mean ± standard deviation over the held-out folds. Worst observables: the three "
            + "whose own value separates the samples best."
            + (imagesMissing.map { " Image-level AUC \($0)." } ?? "")
    }

    func html() -> String {
        let (header, rows) = cells()
        let e = HTMLPage.escape
        return "<table class=\"limits\">\n<thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined()
            + "</tr></thead>\n<tbody>\n"
            + rows.map { r in
                "<tr><td class=\"name\">\(e(r[0]))</td>"
                    + r.dropFirst(1).dropLast().map { "<td>\(e($0))</td>" }.joined()
                    + "<td class=\"name\">\(e(r.last!))</td></tr>\n"
            }.joined() + "</tbody>\n</table>\n"
            + "<p class=\"meta\">Histograms of every observable per channel: "
            + "<a href=\"\(Self.folder)/index.html\">the fidelity page</a>.</p>\n"
    }

    func markdown() -> String {
        let (header, rows) = cells()
        func line(_ row: [String]) -> String {
            "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        return ([line(header), "|" + header.map { _ in "---" }.joined(separator: "|") + "|"] + rows.map(line))
            .joined(separator: "\n") + "\n\nHistograms per channel: [the fidelity page](\(Self.folder)/index.html).\n"
    }

    /// A generator description of several files ("a; Random:seed 1; a; Random:seed 2") without
    /// the seeds and repeats ("a").
    static func describe(_ generator: String) -> String {
        var parts: [String] = []
        for part in generator.components(separatedBy: "; ") where !part.hasPrefix("Random:seed") {
            if !parts.contains(part) { parts.append(part) }
        }
        return parts.joined(separator: "; ")
    }

    static func auc(_ r: ClassifierTest.Result) -> String { String(format: "%.3f ± %.3f", r.mean, r.spread) }
    static func median(_ v: Double?) -> String { v.map { String(format: "%.3g", $0) } ?? "none" }
}
