import Plotting

/// The report's figures, built from `ReportData`. Each builder returns nil (and the report
/// shows `missing`) when its data is absent.
public struct ReportFigure: Sendable {
    public var figure: Figure
    /// What the figure shows and which paper figure it mirrors (caption).
    public var caption: String
}

public enum ReportFigures {
    /// Every figure that has data, in report order, and a note for every one that has not.
    public static func all(_ data: ReportData) -> (figures: [ReportFigure], missing: [String]) {
        let builders: [(String, (ReportData) -> ReportFigure?)] = [
            ("Expected limits (fig. 15): no limits in this run.", limits),
            ("Limit vs ⟨N⟩: no pileup study in this run (no limits with pileup).", pileup),
            ("K-feature distributions (figs. 5, 6, 19): no data set.", distributions),
            ("Feature separation (fig. 7): no data set.", separation),
            ("Average images (fig. 9): no average-images file.", averageImages),
            ("Network outputs (figs. 11, 12): no evaluation in this run.", outputs),
            ("ROC curves (fig. 13): no evaluation in this run.", roc),
            ("Correlations (fig. 14): no network outputs matched to the data set.", correlations),
            ("Training curves: no training history in this run.", training),
        ]
        var figures: [ReportFigure] = [], missing: [String] = []
        for (note, build) in builders {
            if let f = build(data) { figures.append(f) } else { missing.append(note) }
        }
        // Only runs with a learning curve have one: no note otherwise.
        if let curve = LearningCurve(data) {
            figures.insert(curve.figure(), at: figures.firstIndex { $0.figure.name == "limits" }.map { $0 + 1 } ?? 0)
        }
        return (figures, missing)
    }

    static func lumiLabel(_ l: Double) -> String {
        (l == l.rounded() ? String(Int(l)) : String(l)) + " fb⁻¹"
    }

    /// Stacked per-channel histograms of every K feature, log y.
    public static func distributions(_ data: ReportData) -> ReportFigure? {
        guard !data.distributions.isEmpty else { return nil }
        let panels: [any Chart] = data.distributions.map { d in
            let layers = d.channels.reversed().map {
                (name: $0.channel, values: $0.values, color: Palette.channel($0.channel))
            }
            return Plot(
                title: FeatureLabels.shortLabel(d.feature), x: Axis(d.axisLabel),
                y: Axis("events / bin", scale: .log10),
                series: Series.stacked(edges: d.edges, layers: layers).reversed(), legend: .topRight, headroom: 0.45)
        }
        return ReportFigure(
            figure: Figure(
                name: "k-distributions", title: "K features per channel (stacked, data set events)", panels: panels,
                columns: 2, panelWidth: 560, panelHeight: 380),
            caption:
                "Stacked per-channel distributions of the eight K features over all events of the data set (train + validation, "
                + "event weights), log scale; the m_jj and |Δη_jj| panels mirror paper figs. 5 and 6, the others fig. 19."
        )
    }

    /// ⟨S²⟩ of every feature, highest first.
    public static func separation(_ data: ReportData) -> ReportFigure? {
        guard !data.separation.isEmpty else { return nil }
        let entries = data.separation
        let isK = entries.map { !$0.feature.hasPrefix("HT_") }
        func series(_ name: String, _ keep: Bool, _ color: String) -> Series {
            let idx = entries.indices.filter { isK[$0] == keep }
            return Series(
                name, .bars(x: idx.map(Double.init), values: idx.map { entries[$0].separation }, width: 0.75),
                color: color)
        }
        let plot = Plot(
            title: "Separation of the high-level features", x: Axis("feature"),
            y: Axis("separation ⟨S²⟩", includeZero: true),
            series: [series("K (kinematic)", true, "#377eb8"), series("R (HT_ηC)", false, "#4daf4a")],
            legend: .topRight, categories: entries.map { FeatureLabels.shortLabel($0.feature) }, headroom: 0.1)
        return ReportFigure(
            figure: Figure(name: "separation", title: plot.title, panels: [plot], panelWidth: 900, panelHeight: 460),
            caption: "Separation ⟨S²⟩ (paper eq. 3.2) between signal and background of each K and R feature, "
                + "ranked; mirrors paper fig. 7.")
    }

    /// Signal and background average images side by side for every variant, log colour scale
    /// shared by the two classes of a variant.
    public static func averageImages(_ data: ReportData) -> ReportFigure? {
        guard !data.averageImages.isEmpty else { return nil }
        var panels: [any Chart] = []
        for variant in uniqueOrdered(data.averageImages.map(\.variant)) {
            let images = data.averageImages.filter { $0.variant == variant }
            let peak = images.flatMap(\.pixels).max() ?? 1
            for image in images {
                // η along x (the longer side), φ along y.
                let rows = (0..<image.width).map { j in (0..<image.height).map { image.pixels[$0 * image.width + j] } }
                let halfEta = Double(image.height) * image.binSize / 2,
                    halfPhi = Double(image.width) * image.binSize / 2
                panels.append(
                    Heatmap(
                        title: "\(variant) \(image.className) (\(image.events) events)", values: rows,
                        xLabel: "η′ (reflected)", yLabel: "φ′ (rotated, padded) [rad]", xExtent: -halfEta...halfEta,
                        yExtent: -halfPhi...halfPhi, colorMap: .viridis,
                        valueRange: max(peak, 1e-6) * 1e-4...max(peak, 1e-6), logColor: true,
                        colorBarLabel: "⟨E_T⟩ per tower [GeV]"))
            }
        }
        return ReportFigure(
            figure: Figure(
                name: "average-images", title: "Average tower images per class", panels: panels,
                columns: 2, panelWidth: 560, panelHeight: 420),
            caption: "Mean E_T per pixel of the signal and background classes for each image variant after "
                + "preprocessing (rotation, reflection, φ padding), log colour scale shared by both classes; mirrors paper fig. 9."
        )
    }

    static func uniqueOrdered<T: Hashable>(_ items: [T]) -> [T] {
        var seen = Set<T>()
        return items.filter { seen.insert($0).inserted }
    }
}
