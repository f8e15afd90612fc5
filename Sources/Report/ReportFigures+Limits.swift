import Plotting

extension ReportFigures {
    /// The "Brazil" plot: per luminosity, each analysis' median with ±1σ (green) and ±2σ
    /// (yellow) bands, and the paper's median where published.
    public static func limits(_ data: ReportData) -> ReportFigure? {
        let rows = data.tableAnalyses
        guard !rows.isEmpty else { return nil }
        let panels: [any Chart] = data.luminosities.compactMap { lumi in
            let present = rows.indices.filter { rows[$0].band(at: lumi) != nil }
            guard !present.isEmpty else { return nil }
            let bands = present.map { rows[$0].band(at: lumi)! }
            let x = present.indices.map(Double.init)
            var series = [Series]()
            series.append(
                Series(
                    "expected ±2σ", .boxes(x: x, low: bands.map(\.minus2), high: bands.map(\.plus2), width: 0.62),
                    color: "#ffdf00"))
            series.append(
                Series(
                    "expected ±1σ", .boxes(x: x, low: bands.map(\.minus1), high: bands.map(\.plus1), width: 0.62),
                    color: "#00c000"))
            series.append(
                Series("median expected", .points(x: x, y: bands.map(\.median), low: nil, high: nil), color: "#000000"))
            let reference = present.enumerated().compactMap { k, i in
                PaperTable1.reference(rows[i].analysis, pileupMean: rows[i].pileupMean, luminosity: lumi).map {
                    (Double(k), $0.median)
                }
            }
            if !reference.isEmpty {
                series.append(
                    Series(
                        "paper median", .points(x: reference.map(\.0), y: reference.map(\.1), low: nil, high: nil),
                        color: "#d62728"))
            }
            return Plot(
                title: "L = \(lumiLabel(lumi))", x: Axis(""),
                y: Axis("95% CL upper limit on BR(h→inv)", includeZero: true),
                series: series, legend: .topRight, categories: present.map { rows[$0].label }, headroom: 0.25)
        }
        guard !panels.isEmpty else { return nil }
        // Few analyses: the luminosities side by side; many: one above the other.
        let width = max(440, Double(rows.count) * 52 + 200)
        return ReportFigure(
            figure: Figure(
                name: "limits", title: "Expected limits on BR(h→inv)", panels: panels,
                columns: rows.count <= 5 ? panels.count : 1,
                panelWidth: width, panelHeight: 470),
            caption: "Median expected 95% CL upper limits on BR(h→inv) with the ±1σ (green) and ±2σ (yellow) "
                + "bands for every analysis, one panel per luminosity; red dots: the paper's Table 1; mirrors paper fig. 15."
        )
    }

    /// Median limit (±1σ error bars) against the mean pileup ⟨N⟩ for every analysis that ran with
    /// pileup, with its no-pileup row at ⟨N⟩ = 0; one panel per luminosity.
    public static func pileup(_ data: ReportData) -> ReportFigure? {
        // The paper's bin rule only: the rows with quantile bins are in the limits figure and tables.
        let rows = data.tableAnalyses.filter { !$0.jes && $0.binning != .backgroundQuantiles }
        // One line per analysis and overlay mode (both modes start from the same no-pileup row).
        let studied = uniqueOrdered(
            rows.filter { $0.pileupMean != nil }.map { Studied(analysis: $0.analysis, mode: $0.keepHardObjects) })
        guard !studied.isEmpty else { return nil }
        let panels: [any Chart] = data.luminosities.compactMap { lumi in
            var series: [Series] = []
            for line in studied {
                let analysis = line.analysis
                let points = rows.filter {
                    $0.analysis == analysis && ($0.pileupMean == nil || $0.keepHardObjects == line.mode)
                }
                .compactMap { row in row.band(at: lumi).map { (row.pileupMean ?? 0, $0) } }
                .sorted { $0.0 < $1.0 }
                guard !points.isEmpty else { continue }
                let color = Palette.network(analysis)
                // The legend shows the line (solid or dashed) when the modes differ, the marker otherwise.
                let name =
                    PaperTable1.displayName(analysis)
                    + (line.mode.map { $0 ? " keep-hard-objects" : " reclustered" } ?? "")
                series.append(
                    Series(
                        line.mode == nil ? "" : name, .line(x: points.map(\.0), y: points.map(\.1.median)),
                        color: color, dash: line.mode == true ? "6 4" : nil, lineWidth: 1.5))
                series.append(
                    Series(
                        line.mode == nil ? name : "",
                        .points(
                            x: points.map(\.0), y: points.map(\.1.median),
                            low: points.map(\.1.minus1), high: points.map(\.1.plus1)), color: color))
                let paper = PaperTable1.pileup.filter { $0.analysis == analysis && $0.luminosity == lumi }
                if !paper.isEmpty && line == studied.first(where: { $0.analysis == analysis }) {
                    series.append(
                        Series(
                            "paper (\(analysis))",
                            .points(x: paper.map(\.pileupMean), y: paper.map(\.median), low: nil, high: nil),
                            color: "#d62728"))
                }
            }
            guard !series.isEmpty else { return nil }
            let maxN = max(data.analyses.compactMap(\.pileupMean).max() ?? 1, 1)
            return Plot(
                title: "L = \(lumiLabel(lumi))", x: Axis("mean pileup ⟨N⟩", range: (-0.08 * maxN)...(1.12 * maxN)),
                y: Axis("median limit on BR(h→inv)", includeZero: true), series: series, legend: .topLeft,
                headroom: 0.35)
        }
        guard !panels.isEmpty else { return nil }
        return ReportFigure(
            figure: Figure(
                name: "pileup", title: "Limits with pileup", panels: panels, columns: 3,
                panelWidth: 420, panelHeight: 360),
            caption: "Median expected limit (±1σ) against the mean number of pileup interactions ⟨N⟩ (⟨N⟩ = 0: "
                + "no pileup) for the analyses trained with pileup; red: the paper's PJ-HR-CNN values of §6.")
    }

    /// A line of the pileup figure.
    struct Studied: Hashable {
        var analysis: String
        var mode: Bool?
    }
}
