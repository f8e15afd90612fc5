import Plotting

/// The self-contained `index.html`: inline CSS, inline SVG figures, no scripts, no network
/// (`HTMLDocument`, shared with the fidelity page).
public enum HTMLPage {
    public static func escape(_ s: String) -> String { SVG.escape(s) }

    static func render(
        title: String, header: [String], table: ReportTable, sections: [TableSection], figures: [ReportFigure],
        notes: [String], runTime: String
    ) -> String {
        var body = "<h1>\(escape(title))</h1>\n"
        for line in header {
            body += "<p class=\"\(line.hasPrefix("demo sizes") ? "sizes" : "meta")\">\(escape(line))</p>\n"
        }
        body +=
            "<nav><a href=\"#table\">Table 1</a>"
            + sections.map { "<a href=\"#\($0.id)\">\(escape($0.short))</a>" }.joined()
            + figures.map { "<a href=\"#\($0.figure.name)\">\(escape($0.figure.title))</a>" }.joined()
            + (runTime.isEmpty ? "" : "<a href=\"#runtime\">run time</a>") + "<a href=\"#notes\">notes</a></nav>\n"
        body += "<h2 id=\"table\">Expected 95% CL upper limits on BR(h→inv) (Table 1)</h2>\n" + table.html()
        body +=
            "<p class=\"meta\">Cells: median +1σ −1σ of the expected limit; with several seeds, the mean over seeds. "
            + "Grey: the paper's value for the same row (arXiv:2008.05434, Table 1; pileup rows: §6). “vs row 1”: median of row 1 (m_jj, met &gt; 250 GeV) divided by the row's median, per luminosity. "
            + "Network rows: bins of the paper's rule (equal inner bins on the output), the rule of the paper's numbers.</p>\n"
        for section in sections {
            body +=
                "<h2 id=\"\(section.id)\">\(escape(section.title))</h2>\n" + section.html
                + "<p class=\"meta\">\(escape(section.caption))</p>\n"
        }
        for f in figures {
            let n = f.figure.name
            body += "<h2 id=\"\(n)\">\(escape(f.figure.title))</h2>\n<figure>\n\(SVG.inline(f.figure.svg()))"
            body +=
                "<figcaption>\(escape(f.caption)) <span class=\"files\"><a href=\"\(n).svg\">\(n).svg</a>"
                + "<a href=\"\(n).csv\">\(n).csv</a><a href=\"\(n).json\">\(n).json</a></span></figcaption>\n</figure>\n"
        }
        body += runTime
        body +=
            "<h2 id=\"notes\">Notes</h2>\n<ul class=\"notes\">\n"
            + (notes.isEmpty ? "<li>Nothing missing.</li>\n" : notes.map { "<li>\(escape($0))</li>\n" }.joined())
            + "</ul>\n"
        body +=
            "<p class=\"meta\">Also: <a href=\"summary.md\">summary.md</a>, <a href=\"report.json\">report.json</a> (all numbers).</p>\n"
        return HTMLDocument.page(title: title, body: body)
    }

    /// A table shown under Table 1: the rows with quantile bins, the learning curve, fastsim's fidelity.
    struct TableSection {
        var id: String
        /// The navigation link's text.
        var short: String
        var title: String
        var html: String
        var markdown: String
        var caption: String

        /// The sections `data` has.
        static func all(_ data: ReportData) -> [TableSection] {
            var sections: [TableSection] = []
            if data.tableAnalyses.contains(where: { $0.binning == .backgroundQuantiles }) {
                let table = ReportTable(data, binning: .backgroundQuantiles)
                sections.append(
                    TableSection(
                        id: "table-quantiles", short: "Table 1, quantile bins", title: ReportTable.quantileTitle,
                        html: table.html(), markdown: table.markdown(), caption: ReportTable.quantileCaption))
            }
            if let curve = LearningCurve(data) {
                sections.append(
                    TableSection(
                        id: "table-learning-curve", short: "learning curve", title: LearningCurve.title,
                        html: curve.html(), markdown: curve.markdown(), caption: curve.caption))
            }
            if let fidelity = data.fidelity {
                let section = FidelitySection(result: fidelity)
                sections.append(
                    TableSection(
                        id: "fidelity", short: "fastsim fidelity", title: FidelitySection.title,
                        html: section.html(), markdown: section.markdown(), caption: section.caption))
            }
            return sections
        }
    }
}
