import Events
import Foundation
import Plotting

/// `index.html` of a fidelity run, in the report's style: the summary table (AUCs, worst
/// observables) and, per channel, a figure with the normalised histograms of every observable,
/// fastsim against the reference. Each figure is also written as SVG, CSV and JSON.
public enum FidelityPage {
    /// Histogram bins of a continuous observable.
    static let bins = 30

    /// The figure of one channel: one panel per observable, over all selected events of each sample.
    public static func figure(fastsim: FidelitySample, reference: FidelitySample, comparison: ChannelFidelity) -> Figure
    {
        let panels: [any Chart] = Observables.names.indices.map { i in
            let a = fastsim.column(i), b = reference.column(i)
            let edges = binEdges(a + b, count: Observables.isCount(i))
            let o = comparison.observables[i]
            return Plot(
                title: o.name, x: Axis(o.name), y: Axis("fraction of events", includeZero: true),
                series: [
                    Series(
                        "fastsim",
                        .histogram(
                            edges: edges, values: fractions(a, edges, of: fastsim.count), base: nil, filled: false),
                        color: "#d62728", lineWidth: 1.6),
                    Series(
                        "reference",
                        .histogram(
                            edges: edges, values: fractions(b, edges, of: reference.count), base: nil, filled: false),
                        color: "#222222", dash: "5 3", lineWidth: 1.6),
                ], legend: .hidden, headroom: 0.25,
                notes: [String(format: "KS %.3f, AUC %.3f", o.ks, o.auc)])
        }
        return Figure(
            name: "observables-\(fastsim.channel.name)",
            title: "\(fastsim.channel.name): fastsim (red) and reference (black, dashed)",
            panels: panels, columns: 5, panelWidth: 300, panelHeight: 230)
    }

    /// The page; `figures` in the order of `report.channels`.
    public static func html(_ report: FidelityReport, figures: [Figure]) -> String {
        let e = SVG.escape
        var body = "<h1>fastsim fidelity</h1>\n"
        body +=
            "<p class=\"meta\">fastsim: \(e(report.fastsimGenerator))<br/>reference: \(e(report.referenceGenerator)) (\(e(report.reference)))<br/>"
            + "selection: the baseline selection, met &gt; 200 GeV; classifier tests: \(report.settings.folds)-fold, seed \(report.settings.seed). "
            + "AUC 0.5: the classifier cannot tell the samples apart.</p>\n"
        body +=
            "<table class=\"limits\">\n<tr><th>channel</th><th>events compared</th><th>event AUC (MLP)</th><th>image AUC (CNN, PJ-LR)</th>"
            + "<th>worst observables: single AUC, median fastsim / reference</th></tr>\n"
        for c in report.channels {
            let worst = c.worst.compactMap { name in c.observables.first { $0.name == name } }.map { o in
                e(o.name) + String(format: " %.3f, ", o.auc) + median(o.fastsimMedian) + " / "
                    + median(o.referenceMedian)
            }.joined(separator: "<br/>")
            body +=
                "<tr><td class=\"name\"><a href=\"#observables-\(c.channel)\">\(e(c.channel))</a></td><td>\(c.compared)</td>"
                + "<td>\(auc(c.eventAUC))</td><td>\(c.imageAUC.map(auc) ?? "—")</td><td class=\"name\">\(worst)</td></tr>\n"
        }
        body +=
            "</table>\n<p class=\"meta\">AUC: mean ± standard deviation over the held-out folds. Single AUC: the observable's own value as the score (folded to ≥ 0.5).</p>\n"
        for f in figures {
            body += "<h2 id=\"\(f.name)\">\(e(f.title))</h2>\n<figure>\n\(SVG.inline(f.svg()))"
            body +=
                "<figcaption>Fractions of all selected events, so a third-jet histogram's area is the fraction of events with a third jet. "
                + "<span class=\"files\"><a href=\"\(f.name).svg\">\(f.name).svg</a><a href=\"\(f.name).csv\">\(f.name).csv</a>"
                + "<a href=\"\(f.name).json\">\(f.name).json</a></span></figcaption>\n</figure>\n"
        }
        body += "<p class=\"meta\">All numbers: <a href=\"fidelity.json\">fidelity.json</a>.</p>\n"
        return HTMLDocument.page(title: "fastsim fidelity", body: body)
    }

    static func auc(_ r: ClassifierTest.Result) -> String { String(format: "%.3f ± %.3f", r.mean, r.spread) }
    static func median(_ v: Double?) -> String { v.map { String(format: "%.3g", $0) } ?? "—" }

    /// Unit bins centred on the integers for counts spanning fewer than 40 values, else `bins` equal bins between
    /// the 0.5% and 99.5% quantiles of the pooled values; values outside go to the end bins.
    static func binEdges(_ values: [Float], count: Bool) -> [Double] {
        let sorted = values.filter(\.isFinite).sorted()
        guard let first = sorted.first, let last = sorted.last else { return [0, 1] }
        if count, last - first < 40 {
            let lo = Double(first) - 0.5, hi = Double(last) + 0.5
            return Array(stride(from: lo, through: hi, by: 1))
        }
        let lo = Double(sorted[Int(0.005 * Double(sorted.count - 1))]),
            hi = Double(sorted[Int(0.995 * Double(sorted.count - 1))])
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        return (0...bins).map { lo + Double($0) * width }
    }

    /// The fraction of `total` events in each bin (out-of-range values in the end bins).
    static func fractions(_ values: [Float], _ edges: [Double], of total: Int) -> [Double] {
        let n = edges.count - 1
        var counts = [Double](repeating: 0, count: n)
        let lo = edges[0], width = (edges[n] - edges[0]) / Double(n)
        for v in values where v.isFinite { counts[min(n - 1, max(0, Int((Double(v) - lo) / width)))] += 1 }
        return counts.map { $0 / Double(max(total, 1)) }
    }
}
