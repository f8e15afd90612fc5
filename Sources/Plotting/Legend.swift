/// Where a plot's legend goes: inside a corner of the plot area, or outside to the right.
public enum LegendPosition: Sendable {
    case topRight, topLeft, bottomRight, bottomLeft, outsideRight, hidden
}

/// Legend box: one row per named series, with a swatch matching how the series is drawn.
struct Legend {
    let entries: [Series]
    static let rowHeight = 18.0
    static let swatch = 22.0
    static let padding = 6.0

    init(_ series: [Series]) { entries = series.filter { !$0.name.isEmpty } }

    var size: (width: Double, height: Double) {
        let text = entries.map { Style.textWidth($0.name, size: Style.tickFontSize) }.max() ?? 0
        return (text + Self.swatch + 3 * Self.padding, Double(entries.count) * Self.rowHeight + 2 * Self.padding - 2)
    }

    func render(into svg: inout SVGBuilder, at x: Double, _ y: Double) {
        guard !entries.isEmpty else { return }
        let (w, h) = size
        svg.raw("<g class=\"legend\">")
        svg.rect(x: x, y: y, width: w, height: h, fill: "#ffffff", stroke: "#bbbbbb", strokeWidth: 0.8, opacity: 0.88)
        for (i, s) in entries.enumerated() {
            let cy = y + Self.padding + Double(i) * Self.rowHeight + Self.rowHeight / 2 - 1
            let sx = x + Self.padding
            switch s.kind {
            case .line:
                svg.line(
                    x1: sx, y1: cy, x2: sx + Self.swatch, y2: cy, stroke: s.color, width: s.lineWidth, dash: s.dash)
            case .histogram(_, _, _, let filled):
                if filled {
                    svg.rect(x: sx, y: cy - 6, width: Self.swatch, height: 12, fill: s.color, opacity: s.opacity)
                } else {
                    svg.polyline(
                        [(sx, cy + 6), (sx, cy - 5), (sx + Self.swatch, cy - 5), (sx + Self.swatch, cy + 6)],
                        stroke: s.color, width: s.lineWidth, dash: s.dash)
                }
            case .band, .boxes, .bars:
                svg.rect(x: sx, y: cy - 6, width: Self.swatch, height: 12, fill: s.color, opacity: s.opacity)
            case .points:
                svg.raw(
                    "<circle cx=\"\(SVG.n(sx + Self.swatch / 2))\" cy=\"\(SVG.n(cy))\" r=\"3.5\" fill=\"\(s.color)\"/>")
            }
            svg.text(s.name, x: sx + Self.swatch + Self.padding, y: cy + 4, size: Style.tickFontSize, anchor: "start")
        }
        svg.raw("</g>")
    }
}
