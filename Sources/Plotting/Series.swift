/// One thing drawn in a `Plot`, with its legend entry (none when `name` is empty).
public struct Series: Sendable {
    public enum Kind: Sendable {
        /// A polyline through (x, y).
        case line(x: [Double], y: [Double])
        /// A histogram on `edges` (count + 1 values) drawn as steps; the bar of bin i spans
        /// base[i] … base[i] + values[i] (base 0 when nil). Filled or outlined.
        case histogram(edges: [Double], values: [Double], base: [Double]?, filled: Bool)
        /// The region between two curves over x (error and seed bands).
        case band(x: [Double], low: [Double], high: [Double])
        /// Vertical boxes at x ± width/2 from low to high (limit bands per analysis).
        case boxes(x: [Double], low: [Double], high: [Double], width: Double)
        /// Bars at x (categorical positions) from 0 to values, `width` wide.
        case bars(x: [Double], values: [Double], width: Double)
        /// Markers at (x, y) with optional vertical error bars from low to high.
        case points(x: [Double], y: [Double], low: [Double]?, high: [Double]?)
    }

    public var name: String
    public var kind: Kind
    public var color: String
    /// SVG stroke-dasharray, e.g. "6 4" for dashed lines.
    public var dash: String?
    public var lineWidth: Double
    /// Fill opacity of filled kinds.
    public var opacity: Double

    public init(
        _ name: String, _ kind: Kind, color: String, dash: String? = nil, lineWidth: Double = 2, opacity: Double = 1
    ) {
        self.name = name
        self.kind = kind
        self.color = color
        self.dash = dash
        self.lineWidth = lineWidth
        self.opacity = opacity
    }

    /// Filled histograms stacked in order (the first at the bottom), all on the same `edges`.
    public static func stacked(edges: [Double], layers: [(name: String, values: [Double], color: String)]) -> [Series] {
        var base = [Double](repeating: 0, count: max(edges.count - 1, 0))
        return layers.map { layer in
            let series = Series(
                layer.name, .histogram(edges: edges, values: layer.values, base: base, filled: true),
                color: layer.color, lineWidth: 0.8)
            for i in base.indices where i < layer.values.count { base[i] += layer.values[i] }
            return series
        }
    }

    /// Every y value the series needs to show (for automatic ranges).
    var yValues: [Double] {
        switch kind {
        case .line(_, let y): return y
        case .histogram(_, let values, let base, _):
            return values.indices.map { values[$0] + (base?[$0] ?? 0) } + (base ?? [])
        case .band(_, let low, let high), .boxes(_, let low, let high, _): return low + high
        case .bars(_, let values, _): return values + [0]
        case .points(_, let y, let low, let high): return y + (low ?? []) + (high ?? [])
        }
    }

    var xValues: [Double] {
        switch kind {
        case .line(let x, _), .band(let x, _, _), .points(let x, _, _, _): return x
        case .histogram(let edges, _, _, _): return edges
        case .boxes(let x, _, _, let w), .bars(let x, _, let w): return x.map { $0 - w / 2 } + x.map { $0 + w / 2 }
        }
    }
}
