import Foundation

/// An x–y panel: axes with ticks and labels, a title, series, a legend, optional notes.
/// A categorical x axis (`categories`) puts category i at x = i, labelled with its name.
public struct Plot: Chart {
    public var title: String
    public var x: Axis
    public var y: Axis
    public var series: [Series]
    public var legend: LegendPosition
    public var categories: [String]?
    /// Fraction of the data range left free above the highest point (room for the legend).
    public var headroom: Double
    /// Small text lines drawn at the top left inside the plot (e.g. "AUC = 0.91").
    public var notes: [String]
    /// Horizontal reference lines (y values) drawn dashed.
    public var referenceLines: [Double]

    public init(
        title: String, x: Axis, y: Axis, series: [Series] = [], legend: LegendPosition = .topRight,
        categories: [String]? = nil, headroom: Double = 0, notes: [String] = [], referenceLines: [Double] = []
    ) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.legend = legend
        self.categories = categories
        self.headroom = headroom
        self.notes = notes
        self.referenceLines = referenceLines
    }

    /// The data ranges the axes show.
    public var ranges: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var xAxis = x
        if let categories, xAxis.range == nil { xAxis.range = -0.5...(Double(max(categories.count, 1)) - 0.5) }
        let xs = series.flatMap(\.xValues), ys = series.flatMap(\.yValues) + referenceLines
        return (xAxis.resolvedRange(for: xs), y.resolvedRange(for: ys, headroom: headroom))
    }

    public func render(into svg: inout SVGBuilder, frame: Rect, id: String) {
        let legendBox = Legend(series)
        let categoryLabelHeight =
            categories.map { names in
                min(150, (names.map { Style.textWidth($0, size: Style.tickFontSize) }.max() ?? 0) * 0.66 + 8)
            } ?? 0
        let outside = legend == .outsideRight && !legendBox.entries.isEmpty
        let right = 18 + (outside ? legendBox.size.width + 12 : 0)
        // Category labels slant down-left from their tick: room for the first one on the left.
        let firstLabel = categories?.first.map { Style.textWidth($0, size: Style.tickFontSize) * 0.77 } ?? 0
        let halfSlot = (frame.width - 74 - right) / Double(2 * max(categories?.count ?? 1, 1))
        let left = 74 + max(0, firstLabel - 74 - halfSlot + 8)
        let area = Rect(
            x: frame.x + left, y: frame.y + (title.isEmpty ? 14 : 36),
            width: frame.width - left - right,
            height: frame.height - (title.isEmpty ? 14 : 36) - (x.label.isEmpty ? 24 : 54) - categoryLabelHeight)
        let (xr, yr) = ranges
        let sx = Scale(scale: categories == nil ? x.scale : .linear, range: xr, start: area.x, end: area.maxX)
        let sy = Scale(scale: y.scale, range: yr, start: area.maxY, end: area.y)

        if !title.isEmpty {
            svg.text(title, x: area.x + area.width / 2, y: frame.y + 22, size: Style.titleFontSize, weight: "bold")
        }
        // Grid and ticks.
        let yt = sy.ticks(target: max(3, Int(area.height / 55)))
        svg.raw("<g class=\"grid\">")
        for (v, _) in yt.major where yr.contains(v) {
            svg.line(x1: area.x, y1: sy(v), x2: area.maxX, y2: sy(v), stroke: Style.gridColor)
        }
        svg.raw("</g>")
        svg.raw("<g class=\"axis y-axis\">")
        for (v, label) in yt.major where yr.contains(v) {
            svg.line(x1: area.x - 5, y1: sy(v), x2: area.x, y2: sy(v), stroke: Style.axisColor)
            svg.text(label, x: area.x - 8, y: sy(v) + 4, size: Style.tickFontSize, anchor: "end")
        }
        for v in yt.minor where yr.contains(v) {
            svg.line(x1: area.x - 3, y1: sy(v), x2: area.x, y2: sy(v), stroke: Style.axisColor, width: 0.7)
        }
        let yLabelX = area.x - 12 - (yt.major.map { Style.textWidth($0.1, size: Style.tickFontSize) }.max() ?? 20)
        svg.text(y.label, x: max(frame.x + 14, yLabelX), y: area.y + area.height / 2, anchor: "middle", rotate: -90)
        svg.raw("</g>")

        svg.raw("<g class=\"axis x-axis\">")
        if let categories {
            for (i, name) in categories.enumerated() {
                let px = sx(Double(i))
                svg.line(x1: px, y1: area.maxY, x2: px, y2: area.maxY + 5, stroke: Style.axisColor)
                svg.text(name, x: px + 4, y: area.maxY + 12, size: Style.tickFontSize, anchor: "end", rotate: -40)
            }
        } else {
            let xt = sx.ticks(target: max(3, Int(area.width / 80)))
            for (v, label) in xt.major where xr.contains(v) {
                svg.line(x1: sx(v), y1: area.maxY, x2: sx(v), y2: area.maxY + 5, stroke: Style.axisColor)
                svg.text(label, x: sx(v), y: area.maxY + 19, size: Style.tickFontSize)
            }
            for v in xt.minor where xr.contains(v) {
                svg.line(x1: sx(v), y1: area.maxY, x2: sx(v), y2: area.maxY + 3, stroke: Style.axisColor, width: 0.7)
            }
        }
        svg.text(
            x.label, x: area.x + area.width / 2, y: area.maxY + (categories == nil ? 40 : 28) + categoryLabelHeight,
            anchor: "middle")
        svg.raw("</g>")

        // Data, clipped to the plot area.
        svg.raw(
            "<clipPath id=\"clip-\(id)\"><rect x=\"\(SVG.n(area.x))\" y=\"\(SVG.n(area.y))\" width=\"\(SVG.n(area.width))\" height=\"\(SVG.n(area.height))\"/></clipPath>"
        )
        svg.raw("<g class=\"data\" clip-path=\"url(#clip-\(id))\">")
        for s in series { draw(s, into: &svg, sx, sy) }
        for v in referenceLines where sy.drawable(v) {
            svg.line(x1: area.x, y1: sy(v), x2: area.maxX, y2: sy(v), stroke: "#555555", width: 1, dash: "5 4")
        }
        svg.raw("</g>")
        svg.rect(x: area.x, y: area.y, width: area.width, height: area.height, fill: "none", stroke: Style.axisColor)

        for (i, note) in notes.enumerated() {
            svg.text(note, x: area.x + 8, y: area.y + 16 + Double(i) * 16, size: Style.tickFontSize, anchor: "start")
        }
        let (lw, lh) = legendBox.size
        switch legend {
        case .hidden: break
        case .topRight: legendBox.render(into: &svg, at: area.maxX - lw - 6, area.y + 6)
        case .topLeft: legendBox.render(into: &svg, at: area.x + 6, area.y + 6 + Double(notes.count) * 16)
        case .bottomRight: legendBox.render(into: &svg, at: area.maxX - lw - 6, area.maxY - lh - 6)
        case .bottomLeft: legendBox.render(into: &svg, at: area.x + 6, area.maxY - lh - 6)
        case .outsideRight: legendBox.render(into: &svg, at: area.maxX + 12, area.y)
        }
    }

    private func draw(_ s: Series, into svg: inout SVGBuilder, _ sx: Scale, _ sy: Scale) {
        svg.raw("<g class=\"series\">")
        defer { svg.raw("</g>") }
        switch s.kind {
        case .line(let xs, let ys):
            // Split at undrawable points so that a log axis never draws through zero.
            var run: [(Double, Double)] = []
            for (xv, yv) in zip(xs, ys) {
                if sx.drawable(xv) && sy.drawable(yv) {
                    run.append((sx(xv), sy(yv)))
                } else {
                    svg.polyline(run, stroke: s.color, width: s.lineWidth, dash: s.dash)
                    run = []
                }
            }
            svg.polyline(run, stroke: s.color, width: s.lineWidth, dash: s.dash)
        case .histogram(let edges, let values, let base, let filled):
            guard edges.count == values.count + 1 else { return }
            let floor = sy.range.lowerBound
            func bottom(_ i: Int) -> Double {
                let b = base?[i] ?? 0
                return sy.drawable(b) ? b : floor
            }
            func top(_ i: Int) -> Double {
                let t = values[i] + (base?[i] ?? 0)
                return sy.drawable(t) ? t : floor
            }
            var outline: [(Double, Double)] = [(sx(edges[0]), sy(bottom(0)))]
            for i in values.indices {
                outline.append((sx(edges[i]), sy(top(i))))
                outline.append((sx(edges[i + 1]), sy(top(i))))
            }
            if filled {
                var lower: [(Double, Double)] = []
                for i in values.indices.reversed() {
                    lower.append((sx(edges[i + 1]), sy(bottom(i))))
                    lower.append((sx(edges[i]), sy(bottom(i))))
                }
                svg.polygon(Array(outline.dropFirst()) + lower, fill: s.color, opacity: s.opacity * 0.85)
                svg.polyline(Array(outline.dropFirst()), stroke: s.color, width: s.lineWidth)
            } else {
                outline.append((sx(edges[values.count]), sy(bottom(values.count - 1))))
                svg.polyline(outline, stroke: s.color, width: s.lineWidth, dash: s.dash)
            }
        case .band(let xs, let low, let high):
            // +∞ (e.g. 1/ε_B at ε_B = 0) is drawn at the top of the axis, values below a log axis
            // at its bottom; NaN or a non-finite x breaks the band into separate pieces.
            func clamp(_ v: Double) -> Double {
                v == .infinity ? sy.range.upperBound : sy.drawable(v) ? v : sy.range.lowerBound
            }
            var run: [Int] = []
            func flush() {
                let upper = run.map { (sx(xs[$0]), sy(clamp(high[$0]))) }
                let lower = run.reversed().map { (sx(xs[$0]), sy(clamp(low[$0]))) }
                svg.polygon(upper + lower, fill: s.color, opacity: s.opacity)
                run = []
            }
            for i in 0..<min(xs.count, low.count, high.count) {
                if sx.drawable(xs[i]) && !low[i].isNaN && !high[i].isNaN { run.append(i) } else { flush() }
            }
            flush()
        case .boxes(let xs, let low, let high, let width):
            for i in 0..<min(xs.count, low.count, high.count) where sy.drawable(low[i]) && sy.drawable(high[i]) {
                let x0 = sx(xs[i] - width / 2), x1 = sx(xs[i] + width / 2)
                svg.rect(
                    x: x0, y: sy(high[i]), width: x1 - x0, height: sy(low[i]) - sy(high[i]), fill: s.color,
                    opacity: s.opacity)
            }
        case .bars(let xs, let values, let width):
            for (xv, v) in zip(xs, values) where sy.drawable(v) {
                let x0 = sx(xv - width / 2), x1 = sx(xv + width / 2)
                let zero = sy(sy.drawable(0) ? 0 : sy.range.lowerBound)
                svg.rect(
                    x: x0, y: min(sy(v), zero), width: x1 - x0, height: abs(zero - sy(v)), fill: s.color,
                    opacity: s.opacity)
            }
        case .points(let xs, let ys, let low, let high):
            for i in 0..<min(xs.count, ys.count) where sx.drawable(xs[i]) && sy.drawable(ys[i]) {
                let px = sx(xs[i])
                if let low, let high, i < low.count, i < high.count, sy.drawable(low[i]), sy.drawable(high[i]) {
                    svg.line(x1: px, y1: sy(low[i]), x2: px, y2: sy(high[i]), stroke: s.color, width: 1.5)
                }
                svg.raw("<circle cx=\"\(SVG.n(px))\" cy=\"\(SVG.n(sy(ys[i])))\" r=\"3.5\" fill=\"\(s.color)\"/>")
            }
        }
    }

    public func exportData() -> ChartData {
        ChartData(
            title: title, kind: "plot", xLabel: x.label, yLabel: y.label, xScale: x.scale, yScale: y.scale,
            categories: categories, series: series.map(SeriesData.init), matrix: nil)
    }
}
