import Foundation

/// Accumulates SVG elements as text. Coordinates are written with at most two decimals so
/// that files stay small and byte-stable.
public struct SVGBuilder: Sendable {
    public private(set) var body = ""

    public init() {}

    /// Appends raw, already well-formed SVG markup.
    public mutating func raw(_ markup: String) {
        body += markup
        body += "\n"
    }

    /// Appends `<name attributes/>` or, with `text`, `<name attributes>text</name>` (escaped).
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil) {
        var s = "<\(name)"
        for (key, value) in attributes { s += " \(key)=\"\(SVG.escape(value))\"" }
        if let text { s += ">\(SVG.escape(text))</\(name)>" } else { s += "/>" }
        raw(s)
    }

    public mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        var s = "<\(name)"
        for (key, value) in attributes { s += " \(key)=\"\(SVG.escape(value))\"" }
        raw(s + ">")
    }

    public mutating func close(_ name: String) { raw("</\(name)>") }

    /// A single line of text. `anchor` is start, middle or end; `rotate` in degrees about (x, y).
    public mutating func text(
        _ string: String, x: Double, y: Double, size: Double = Style.fontSize,
        anchor: String = "middle", weight: String = "normal", rotate: Double = 0,
        color: String = Style.textColor, baseline: String = "auto"
    ) {
        var attributes = "x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" font-size=\"\(SVG.n(size))\" text-anchor=\"\(anchor)\""
        if weight != "normal" { attributes += " font-weight=\"\(weight)\"" }
        if baseline != "auto" { attributes += " dominant-baseline=\"\(baseline)\"" }
        if rotate != 0 { attributes += " transform=\"rotate(\(SVG.n(rotate)) \(SVG.n(x)) \(SVG.n(y)))\"" }
        if color != Style.textColor { attributes += " fill=\"\(color)\"" }
        raw("<text \(attributes)>\(SVG.escape(string))</text>")
    }

    /// A polyline through `points` (already in pixels).
    public mutating func polyline(
        _ points: [(Double, Double)], stroke: String, width: Double, dash: String? = nil,
        fill: String = "none", opacity: Double = 1
    ) {
        guard !points.isEmpty else { return }
        let list = points.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: " ")
        var s =
            "<polyline points=\"\(list)\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.n(width))\" stroke-linejoin=\"round\""
        if let dash { s += " stroke-dasharray=\"\(dash)\"" }
        if opacity != 1 { s += " opacity=\"\(SVG.n(opacity))\"" }
        raw(s + "/>")
    }

    /// A closed filled polygon.
    public mutating func polygon(
        _ points: [(Double, Double)], fill: String, opacity: Double = 1, stroke: String = "none"
    ) {
        guard points.count > 2 else { return }
        let list = points.map { "\(SVG.n($0.0)),\(SVG.n($0.1))" }.joined(separator: " ")
        var s = "<polygon points=\"\(list)\" fill=\"\(fill)\" stroke=\"\(stroke)\""
        if opacity != 1 { s += " fill-opacity=\"\(SVG.n(opacity))\"" }
        raw(s + "/>")
    }

    public mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String,
        stroke: String = "none", strokeWidth: Double = 1, opacity: Double = 1
    ) {
        var s =
            "<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(y))\" width=\"\(SVG.n(max(width, 0)))\" height=\"\(SVG.n(max(height, 0)))\" fill=\"\(fill)\""
        if stroke != "none" { s += " stroke=\"\(stroke)\" stroke-width=\"\(SVG.n(strokeWidth))\"" }
        if opacity != 1 { s += " fill-opacity=\"\(SVG.n(opacity))\"" }
        raw(s + "/>")
    }

    public mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
        dash: String? = nil
    ) {
        var s =
            "<line x1=\"\(SVG.n(x1))\" y1=\"\(SVG.n(y1))\" x2=\"\(SVG.n(x2))\" y2=\"\(SVG.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(SVG.n(width))\""
        if let dash { s += " stroke-dasharray=\"\(dash)\"" }
        raw(s + "/>")
    }
}

/// SVG document helpers.
public enum SVG {
    /// Escapes the five XML special characters.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate with at most two decimals and no trailing zeros.
    public static func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded() / 100
        if r == r.rounded() { return String(Int(r)) }
        var s = String(format: "%.2f", r)
        while s.hasSuffix("0") { s.removeLast() }
        return s
    }

    /// A standalone document: XML declaration, `viewBox`, white background, the shared font.
    public static func document(width: Double, height: Double, title: String, body: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="\(Style.fontFamily)" role="img">
        <title>\(escape(title))</title>
        <rect x="0" y="0" width="\(n(width))" height="\(n(height))" fill="#ffffff"/>
        \(body)</svg>

        """
    }

    /// The same figure as an element to inline in HTML (no XML declaration).
    public static func inline(_ document: String) -> String {
        guard document.hasPrefix("<?xml"), let end = document.range(of: "?>\n") else { return document }
        return String(document[end.upperBound...])
    }
}

/// Shared visual constants.
public enum Style {
    public static let fontFamily = "DejaVu Sans, Helvetica, Arial, sans-serif"
    public static let fontSize = 13.0
    public static let tickFontSize = 11.5
    public static let titleFontSize = 15.0
    public static let textColor = "#222222"
    public static let axisColor = "#333333"
    public static let gridColor = "#e6e6e6"

    /// Approximate rendered width of `text` at `size` (for layout only).
    public static func textWidth(_ text: String, size: Double = fontSize) -> Double {
        Double(text.count) * size * 0.6
    }
}
