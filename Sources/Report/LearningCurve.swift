import Limits
import Plotting

/// The learning curve of a run with `samples.train` as a list: the median expected limit at one
/// luminosity (36 fb⁻¹ when the run has it) against the training size, one line per network
/// and bin rule (no pileup, no JES); the cut-based rows, which do not train, as horizontal
/// references.
public struct LearningCurve: Sendable, Equatable {
    /// One network row (medians per size, nil where missing) or one cut-based reference (one median).
    public struct Line: Sendable, Equatable {
        public var analysis: String
        public var label: String
        public var binning: LimitBinning?
        public var medians: [Double?]
    }

    public var luminosity: Double
    /// Training sizes, ascending.
    public var sizes: [Int]
    public var networks: [Line]
    public var references: [Line]

    /// Nil when the run has no learning curve (fewer than two training sizes with limits).
    public init?(_ data: ReportData) {
        let plain = data.analyses.filter { $0.pileupMean == nil && !$0.jes && $0.keepHardObjects == nil }
        let points = plain.filter { $0.trainEvents != nil }
        let sizes = Set(points.compactMap(\.trainEvents)).sorted()
        self.sizes = sizes
        guard sizes.count >= 2, let first = data.luminosities.first else { return nil }
        let luminosity = data.luminosities.contains(36) ? 36 : first
        self.luminosity = luminosity
        let keys = ReportFigures.uniqueOrdered(points.map { Key(analysis: $0.analysis, binning: $0.binning) })
        networks = keys.map { key in
            let rows = points.filter { $0.analysis == key.analysis && $0.binning == key.binning }
            let label = rows[0].label
            return Line(
                analysis: key.analysis, label: label, binning: key.binning,
                medians: sizes.map { n in rows.first { $0.trainEvents == n }?.band(at: luminosity)?.median })
        }
        references = plain.filter { $0.trainEvents == nil && $0.analysis.hasPrefix("cut-") }.map {
            Line(analysis: $0.analysis, label: $0.label, binning: nil, medians: [$0.band(at: luminosity)?.median])
        }
    }

    struct Key: Hashable {
        var analysis: String
        var binning: LimitBinning?
    }

    public static let title = "Learning curve: expected limit vs training size"

    public var caption: String {
        "Median expected 95% CL upper limit on BR(h→inv) at \(ReportFigures.lumiLabel(luminosity)) against the number of "
            + "training events (the same validation events for every size): solid lines the paper's equal-width output "
            + "bins, dashed the bins at background quantiles; grey horizontal lines the cut-based analyses, which do not train."
    }

    public func figure() -> ReportFigure {
        var series: [Series] = []
        let low = Double(sizes.first!) / 1.25, high = Double(sizes.last!) * 1.25
        for line in references {
            guard let m = line.medians[0] else { continue }
            series.append(
                Series(
                    line.label, .line(x: [low, high], y: [m, m]), color: Self.referenceColor(line.analysis),
                    lineWidth: 1.2))
        }
        for line in networks {
            let present = sizes.indices.filter { line.medians[$0] != nil }
            let x = present.map { Double(sizes[$0]) }, y = present.map { line.medians[$0]! }
            let color = Palette.network(line.analysis)
            let dash = line.binning == .backgroundQuantiles ? "6 4" : nil
            series.append(Series(line.label, .line(x: x, y: y), color: color, dash: dash, lineWidth: 1.5))
            series.append(Series("", .points(x: x, y: y, low: nil, high: nil), color: color))
        }
        let plot = Plot(
            title: "L = \(ReportFigures.lumiLabel(luminosity))",
            x: Axis("training events", scale: .log10, range: low...high),
            y: Axis("median limit on BR(h→inv)", includeZero: true), series: series, legend: .topRight, headroom: 0.45)
        return ReportFigure(
            figure: Figure(
                name: "learning-curve", title: Self.title, panels: [plot], columns: 1, panelWidth: 620,
                panelHeight: 420),
            caption: caption)
    }

    /// The palette's grey of a cut-based analysis ("cut-mjj-250" → the colour of "mjj (met > 250)").
    static func referenceColor(_ analysis: String) -> String {
        let parts = analysis.split(separator: "-")
        guard parts.count == 3 else { return Palette.network(analysis) }
        let observable = parts[1] == "deta" ? "|Δηjj|" : String(parts[1])
        return Palette.network("\(observable) (met > \(parts[2]))")
    }

    /// Header and cells: one row per line, one column per training size.
    func cells() -> (header: [String], rows: [[String]]) {
        let header = ["analysis"] + sizes.map { "\($0) train" }
        let text = { (m: Double?) in m.map(ReportTable.number) ?? "—" }
        let rows =
            networks.map { [$0.label] + $0.medians.map(text) }
            + references.map { r in [r.label] + sizes.map { _ in text(r.medians[0]) } }
        return (header, rows)
    }

    public func markdown() -> String {
        let (header, rows) = cells()
        func line(_ row: [String]) -> String {
            "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |"
        }
        return ([line(header), "|" + header.map { _ in "---" }.joined(separator: "|") + "|"] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }

    public func html() -> String {
        let (header, rows) = cells()
        let e = HTMLPage.escape
        return "<table class=\"limits\">\n<thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined()
            + "</tr></thead>\n<tbody>\n"
            + rows.map { r in
                "<tr><td class=\"name\">\(e(r[0]))</td>" + r.dropFirst().map { "<td>\(e($0))</td>" }.joined()
                    + "</tr>\n"
            }.joined() + "</tbody>\n</table>\n"
    }
}
