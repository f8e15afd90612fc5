import Foundation

/// A heat map with a colour bar: `values[row][column]`. Either numeric extents (images: row 0
/// at the bottom, as a y axis) or category labels (matrices: row 0 at the top, as written, and
/// each cell can also show its value).
public struct Heatmap: Chart {
    public var title: String
    public var values: [[Double]]
    public var xLabel: String
    public var yLabel: String
    /// Data range of the columns and rows when numeric (cell edges span it evenly).
    public var xExtent: ClosedRange<Double>?
    public var yExtent: ClosedRange<Double>?
    public var rowLabels: [String]?
    public var columnLabels: [String]?
    public var colorMap: ColorMap
    /// Colour-bar range (default: the data's min and max).
    public var valueRange: ClosedRange<Double>?
    /// Colour by log10 of the value (for images with a wide dynamic range).
    public var logColor: Bool
    public var colorBarLabel: String
    public var showValues: Bool

    public init(
        title: String, values: [[Double]], xLabel: String = "", yLabel: String = "",
        xExtent: ClosedRange<Double>? = nil, yExtent: ClosedRange<Double>? = nil,
        rowLabels: [String]? = nil, columnLabels: [String]? = nil, colorMap: ColorMap = .viridis,
        valueRange: ClosedRange<Double>? = nil, logColor: Bool = false, colorBarLabel: String = "",
        showValues: Bool = false
    ) {
        self.title = title
        self.values = values
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xExtent = xExtent
        self.yExtent = yExtent
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.colorMap = colorMap
        self.valueRange = valueRange
        self.logColor = logColor
        self.colorBarLabel = colorBarLabel
        self.showValues = showValues
    }

    var rows: Int { values.count }
    var columns: Int { values.map(\.count).max() ?? 0 }

    /// The colour-bar range: given, or the finite data range (positive only with `logColor`).
    public var resolvedRange: ClosedRange<Double> {
        if let valueRange { return valueRange }
        let all = values.joined().filter { $0.isFinite && (!logColor || $0 > 0) }
        let lo = all.min() ?? 0, hi = all.max() ?? 1
        if logColor { return max(lo, hi * 1e-4)...max(hi, lo * 10) }
        return hi > lo ? lo...hi : lo...(lo + 1)
    }

    func position(_ v: Double, _ r: ClosedRange<Double>) -> Double {
        if logColor {
            guard v > 0 else { return 0 }
            return (log10(v) - log10(r.lowerBound)) / (log10(r.upperBound) - log10(r.lowerBound))
        }
        return (v - r.lowerBound) / (r.upperBound - r.lowerBound)
    }

    public func render(into svg: inout SVGBuilder, frame: Rect, id: String) {
        let rowLabelWidth =
            rowLabels.map { ($0.map { Style.textWidth($0, size: Style.tickFontSize) }.max() ?? 0) + 14 } ?? 64
        let columnLabelHeight =
            columnLabels.map {
                min(140, ($0.map { Style.textWidth($0, size: Style.tickFontSize) }.max() ?? 0) * 0.75 + 16)
            } ?? 44
        let bar = 86.0
        var area = Rect(
            x: frame.x + rowLabelWidth, y: frame.y + 36, width: frame.width - rowLabelWidth - bar - 12,
            height: frame.height - 36 - columnLabelHeight - 10)
        // Square cells when labelled (matrices); the data's aspect ratio when numeric.
        if rows > 0 && columns > 0 {
            let aspect: Double
            if let xExtent, let yExtent {
                aspect = (yExtent.upperBound - yExtent.lowerBound) / (xExtent.upperBound - xExtent.lowerBound)
            } else {
                aspect = Double(rows) / Double(columns)
            }
            if area.width * aspect > area.height {
                area.width = area.height / aspect
            } else {
                area.height = area.width * aspect
            }
        }
        svg.text(title, x: frame.x + frame.width / 2, y: frame.y + 22, size: Style.titleFontSize, weight: "bold")
        let range = resolvedRange
        let cw = area.width / Double(max(columns, 1)), ch = area.height / Double(max(rows, 1))
        svg.raw("<g class=\"cells\" shape-rendering=\"crispEdges\">")
        for (r, row) in values.enumerated() {
            for (c, v) in row.enumerated() {
                let t = position(v, range)
                let y = rowTop(r, area: area, height: ch)
                svg.raw(
                    "<rect x=\"\(SVG.n(area.x + Double(c) * cw))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(cw + 0.3))\" height=\"\(SVG.n(ch + 0.3))\" fill=\"\(colorMap.color(t))\"/>"
                )
                if showValues && v.isFinite {
                    svg.text(
                        String(format: "%.2f", v), x: area.x + (Double(c) + 0.5) * cw, y: y + ch / 2 + 4,
                        size: min(Style.tickFontSize, ch * 0.45), color: colorMap.textColor(t))
                }
            }
        }
        svg.raw("</g>")
        svg.rect(x: area.x, y: area.y, width: area.width, height: area.height, fill: "none", stroke: Style.axisColor)
        svg.raw("<g class=\"axis x-axis\">")
        if let columnLabels {
            for (c, name) in columnLabels.enumerated() {
                let px = area.x + (Double(c) + 0.5) * cw
                svg.text(name, x: px + 4, y: area.maxY + 12, size: Style.tickFontSize, anchor: "end", rotate: -40)
            }
        } else if let xExtent {
            let s = Scale(scale: .linear, range: xExtent, start: area.x, end: area.maxX)
            for (v, label) in s.ticks(target: 5).major {
                svg.line(x1: s(v), y1: area.maxY, x2: s(v), y2: area.maxY + 5, stroke: Style.axisColor)
                svg.text(label, x: s(v), y: area.maxY + 18, size: Style.tickFontSize)
            }
        }
        if !xLabel.isEmpty {
            svg.text(xLabel, x: area.x + area.width / 2, y: area.maxY + columnLabelHeight, anchor: "middle")
        }
        svg.raw("</g>")
        svg.raw("<g class=\"axis y-axis\">")
        if let rowLabels {
            for (r, name) in rowLabels.enumerated() {
                svg.text(
                    name, x: area.x - 6, y: rowTop(r, area: area, height: ch) + ch / 2 + 4, size: Style.tickFontSize,
                    anchor: "end")
            }
        } else if let yExtent {
            let s = Scale(scale: .linear, range: yExtent, start: area.maxY, end: area.y)
            for (v, label) in s.ticks(target: 4).major {
                svg.line(x1: area.x - 5, y1: s(v), x2: area.x, y2: s(v), stroke: Style.axisColor)
                svg.text(label, x: area.x - 8, y: s(v) + 4, size: Style.tickFontSize, anchor: "end")
            }
        }
        if !yLabel.isEmpty { svg.text(yLabel, x: frame.x + 16, y: area.y + area.height / 2, rotate: -90) }
        svg.raw("</g>")
        drawColorBar(into: &svg, x: area.maxX + 14, y: area.y, height: area.height, range: range, id: id)
    }

    /// The top edge of row r: matrices (row labels) read top-down, images bottom-up.
    private func rowTop(_ r: Int, area: Rect, height ch: Double) -> Double {
        rowLabels != nil ? area.y + Double(r) * ch : area.maxY - Double(r + 1) * ch
    }

    private func drawColorBar(
        into svg: inout SVGBuilder, x: Double, y: Double, height: Double, range: ClosedRange<Double>, id: String
    ) {
        svg.raw("<g class=\"colorbar\">")
        svg.raw("<defs><linearGradient id=\"cb-\(id)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">")
        for k in 0...10 {
            svg.raw("<stop offset=\"\(SVG.n(Double(k) / 10))\" stop-color=\"\(colorMap.color(Double(k) / 10))\"/>")
        }
        svg.raw("</linearGradient></defs>")
        svg.rect(
            x: x, y: y, width: 14, height: height, fill: "url(#cb-\(id))", stroke: Style.axisColor, strokeWidth: 0.8)
        let s = Scale(scale: logColor ? .log10 : .linear, range: range, start: y + height, end: y)
        let ticks = s.ticks(target: 5).major.filter { range.contains($0.0) }
        for (v, label) in ticks {
            svg.line(x1: x + 14, y1: s(v), x2: x + 18, y2: s(v), stroke: Style.axisColor)
            svg.text(label, x: x + 21, y: s(v) + 4, size: Style.tickFontSize, anchor: "start")
        }
        if !colorBarLabel.isEmpty {
            svg.text(colorBarLabel, x: x + 66, y: y + height / 2, size: Style.tickFontSize, rotate: -90)
        }
        svg.raw("</g>")
    }

    public func exportData() -> ChartData {
        let r =
            rowLabels
            ?? (0..<rows).map { i in
                yExtent.map { e in
                    String((e.lowerBound + (Double(i) + 0.5) * (e.upperBound - e.lowerBound) / Double(rows)))
                } ?? String(i)
            }
        let c =
            columnLabels
            ?? (0..<columns).map { i in
                xExtent.map { e in
                    String((e.lowerBound + (Double(i) + 0.5) * (e.upperBound - e.lowerBound) / Double(columns)))
                } ?? String(i)
            }
        return ChartData(
            title: title, kind: "heatmap", xLabel: xLabel, yLabel: yLabel, xScale: nil, yScale: nil,
            categories: nil, series: nil,
            matrix: MatrixData(rowLabels: r, columnLabels: c, values: values.map { $0.map { $0.isFinite ? $0 : nil } }))
    }
}
