import Foundation
import Limits
import Statistics

/// The Table 1 analogue: one row per analysis, "median +1σ −1σ" per luminosity, the
/// improvement over row 1 (m_jj, met > 250), the seed spread and the paper's numbers. The
/// network rows are those of one bin rule: the paper's equal-width rule (Table 1 proper, the
/// rule of the paper's numbers) or bins at background quantiles; the cut-based rows are in both.
public struct ReportTable: Sendable {
    public struct Row: Sendable {
        /// The paper's Sl.No, when the analysis is one of its rows without pileup/JES.
        public var number: Int?
        public var label: String
        public var bands: [Band?]
        /// Row-1 median / this median, per luminosity.
        public var improvement: [Double?]
        /// Standard deviation of the seeds' medians, per luminosity (nil with one seed).
        public var spread: [Double?]
        public var seeds: Int
        public var reference: [PaperTable1.Value?]
    }

    public var luminosities: [Double]
    public var binning: LimitBinning
    public var rows: [Row]
    /// Notes about what the table lacks (no row 1, single seeds, …).
    public var notes: [String]

    public init(_ data: ReportData, binning: LimitBinning = .equalWidth) {
        luminosities = data.luminosities
        self.binning = binning
        let analyses = data.tableAnalyses.filter { a in
            a.analysis.hasPrefix("cut-") || (a.binning ?? .equalWidth) == binning
        }
        let baseline = analyses.first { $0.analysis == "cut-mjj-250" && $0.pileupMean == nil && !$0.jes }
        rows = analyses.map { a in
            let bands = data.luminosities.map { a.band(at: $0) }
            return Row(
                number: a.pileupMean == nil && !a.jes ? PaperTable1.row(a.analysis)?.number : nil,
                label: PaperTable1.displayName(a.analysis) + a.tags(binning: false),
                bands: bands,
                improvement: zip(data.luminosities, bands).map { l, b in
                    guard let b, b.median > 0, let base = baseline?.band(at: l) else { return nil }
                    return base.median / b.median
                },
                spread: data.luminosities.map { a.seedSpread(at: $0) }, seeds: a.seeds.count,
                reference: data.luminosities.map {
                    PaperTable1.reference(a.analysis, pileupMean: a.pileupMean, luminosity: $0)
                })
        }
        var notes: [String] = []
        guard binning == .equalWidth else {
            self.notes = []
            return
        }
        if data.analyses.isEmpty {
            notes.append("No limits in this run: the table is empty.")
        } else if baseline == nil {
            notes.append("Row 1 (m_jj, met > 250 GeV) is not in this run: no improvement column.")
        }
        if !data.analyses.isEmpty && data.analyses.allSatisfy({ $0.seeds.count < 2 }) {
            notes.append("One seed per analysis: no seed spread.")
        }
        if !data.analyses.contains(where: { $0.pileupMean != nil }) {
            notes.append("No pileup rows: the run has no limits with pileup.")
        }
        if !data.analyses.contains(where: \.jes) {
            notes.append("No JES row: the run has no limits with the jet-energy-scale systematic.")
        }
        if let note = Self.luminosityScalingNote(data) { notes.append(note) }
        self.notes = notes
    }

    /// Below the paper's sizes, when the medians barely fall from the lowest to the highest
    /// luminosity: the templates' Monte Carlo statistical uncertainty (fixed by the number of
    /// validation events, not by the luminosity) dominates. Says so, with the mean ratio.
    static func luminosityScalingNote(_ data: ReportData) -> String? {
        guard let sizes = data.sizes, sizes.isBelowPaper, let low = data.luminosities.min(),
            let high = data.luminosities.max(),
            high > low
        else { return nil }
        let ratios = data.analyses.compactMap { a -> Double? in
            guard let l = a.band(at: low)?.median, let h = a.band(at: high)?.median, l > 0 else { return nil }
            return h / l
        }
        let paperRatios = data.analyses.compactMap { a -> Double? in
            guard let l = PaperTable1.reference(a.analysis, pileupMean: a.pileupMean, luminosity: low)?.median,
                let h = PaperTable1.reference(a.analysis, pileupMean: a.pileupMean, luminosity: high)?.median
            else { return nil }
            return h / l
        }
        guard !ratios.isEmpty else { return nil }
        let mean = ratios.reduce(0, +) / Double(ratios.count)
        guard mean > 0.85 else { return nil }
        let paper =
            paperRatios.isEmpty
            ? ""
            : String(
                format: " (the paper's for the same rows: %.0f%%)",
                100 * paperRatios.reduce(0, +) / Double(paperRatios.count))
        let lumi = { (l: Double) in String(format: "%g", l) }
        return
            "From \(lumi(low)) to \(lumi(high)) fb⁻¹ the medians fall only to \(String(format: "%.0f", 100 * mean))% on average\(paper): "
            + "with \(sizes.validation) validation events the Monte Carlo statistical uncertainty of "
            + "the templates, which does not shrink with luminosity, dominates the limits. The paper's sizes "
            + "(jobs/paper-table1.yaml) remove most of it."
    }

    public static let quantileTitle = "Table 1 with the network outputs in bins at background quantiles"
    public static let quantileCaption =
        "The network rows with as many bins as the paper's rule, placed at quantiles of the validation background "
        + "output (each bin holds about the same expected background; no strictly increasing change of the outputs "
        + "moves an event to another bin). The cut-based rows are repeated for reference; grey: the paper's numbers, "
        + "which use the equal-width rule."

    public static func number(_ v: Double) -> String { String(format: "%.3f", v) }

    /// "0.078 +0.030 −0.022".
    public static func cell(_ b: Band?) -> String {
        guard let b else { return "—" }
        return "\(number(b.median)) +\(number(b.upper)) −\(number(b.lower))"
    }

    public static func cell(_ v: PaperTable1.Value?) -> String {
        guard let v else { return "—" }
        guard let up = v.up, let down = v.down else { return number(v.median) }
        return "\(number(v.median)) +\(number(up)) −\(number(down))"
    }

    func lumiHeader(_ l: Double) -> String { "L = \(l == l.rounded() ? String(Int(l)) : String(l)) fb⁻¹" }

    func improvementText(_ r: Row) -> String {
        r.improvement.map { $0.map { String(format: "×%.2f", $0) } ?? "—" }.joined(separator: " / ")
    }

    func spreadText(_ r: Row) -> String {
        r.seeds > 1
            ? "±" + r.spread.map { $0.map(Self.number) ?? "—" }.joined(separator: " / ") + " (\(r.seeds) seeds)"
            : "1 seed"
    }

    /// Header and string cells of every row; `fullReference` gives the paper's bands, otherwise
    /// its medians only (the terminal form stays narrow).
    func cells(fullReference: Bool) -> (header: [String], rows: [[String]]) {
        let header =
            ["#", "analysis"] + luminosities.map(lumiHeader)
            + ["vs row 1", "seed spread", fullReference ? "paper (same row)" : "paper medians"]
        let body = rows.map { r in
            [r.number.map(String.init) ?? "", r.label] + r.bands.map(Self.cell)
                + [
                    improvementText(r), spreadText(r),
                    r.reference.map { fullReference ? Self.cell($0) : $0.map { Self.number($0.median) } ?? "—" }.joined(
                        separator: " / "),
                ]
        }
        return (header, body)
    }

    /// Fixed-width text for the terminal.
    public func text() -> String {
        let (header, body) = cells(fullReference: false)
        let widths = header.indices.map { c in ([header] + body).map { $0[c].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            row.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = [line(header), widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")]
        out += body.map(line)
        out += notes.map { "note: \($0)" }
        return out.joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table.
    public func markdown() -> String {
        let (header, body) = cells(fullReference: true)
        func line(_ row: [String]) -> String {
            "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        var out = [line(header), "|" + header.map { _ in "---" }.joined(separator: "|") + "|"]
        out += body.map(line)
        if !notes.isEmpty {
            out.append("")
            out += notes.map { "- \($0)" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// An HTML table (escaped): each limit cell with the median in bold and, below it in grey,
    /// the paper's value for the same row and luminosity.
    public func html() -> String {
        func e(_ s: String) -> String { HTMLPage.escape(s) }
        func band(_ median: Double, _ up: Double?, _ down: Double?) -> String {
            "<b>\(Self.number(median))</b>" + (up.map { " <sup>+\(Self.number($0))</sup>" } ?? "")
                + (down.map { "<sub>−\(Self.number($0))</sub>" } ?? "")
        }
        let header = ["#", "analysis"] + luminosities.map(lumiHeader) + ["vs row 1", "seed spread"]
        var out =
            "<table class=\"limits\">\n<thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined()
            + "</tr></thead>\n<tbody>\n"
        for r in rows {
            out += "<tr><td>\(r.number.map(String.init) ?? "")</td><td class=\"name\">\(e(r.label))</td>"
            for (b, reference) in zip(r.bands, r.reference) {
                out += "<td class=\"limit\">" + (b.map { band($0.median, $0.upper, $0.lower) } ?? "—")
                if let reference {
                    out +=
                        "<br/><span class=\"paper\">paper " + band(reference.median, reference.up, reference.down)
                        + "</span>"
                }
                out += "</td>"
            }
            out += "<td>\(e(improvementText(r)))</td><td>\(e(spreadText(r)))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        return out
    }
}

extension Band {
    /// The paper's notation: median +(plus1 − median) −(median − minus1).
    var upper: Double { plus1 - median }
    var lower: Double { median - minus1 }
}
