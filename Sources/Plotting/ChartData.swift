import Foundation

/// The numbers of one panel, for JSON export (non-finite values become null).
public struct ChartData: Codable, Sendable, Equatable {
    public var title: String
    /// "plot" or "heatmap".
    public var kind: String
    public var xLabel: String?
    public var yLabel: String?
    public var xScale: AxisScale?
    public var yScale: AxisScale?
    public var categories: [String]?
    public var series: [SeriesData]?
    public var matrix: MatrixData?
}

/// One series' numbers. Histograms: `edges` and `values` (and `base` when stacked); lines and
/// points: `x`, `y` (and `low`/`high` for error bars); bands and boxes: `x`, `low`, `high`.
public struct SeriesData: Codable, Sendable, Equatable {
    public var name: String
    public var kind: String
    public var x: [Double?]?
    public var y: [Double?]?
    public var low: [Double?]?
    public var high: [Double?]?
    public var edges: [Double?]?
    public var values: [Double?]?
    public var base: [Double?]?

    init(_ s: Series) {
        func f(_ v: [Double]?) -> [Double?]? { v.map { $0.map { $0.isFinite ? $0 : nil } } }
        name = s.name
        switch s.kind {
        case .line(let x, let y):
            kind = "line"
            self.x = f(x)
            self.y = f(y)
        case .histogram(let e, let v, let b, _):
            kind = "histogram"
            edges = f(e)
            values = f(v)
            base = f(b)
        case .band(let x, let l, let h):
            kind = "band"
            self.x = f(x)
            low = f(l)
            high = f(h)
        case .boxes(let x, let l, let h, _):
            kind = "boxes"
            self.x = f(x)
            low = f(l)
            high = f(h)
        case .bars(let x, let v, _):
            kind = "bars"
            self.x = f(x)
            y = f(v)
        case .points(let x, let y, let l, let h):
            kind = "points"
            self.x = f(x)
            self.y = f(y)
            low = f(l)
            high = f(h)
        }
    }
}

/// A heat map's cells: `values[row][column]`, with row and column labels or coordinates.
public struct MatrixData: Codable, Sendable, Equatable {
    public var rowLabels: [String]
    public var columnLabels: [String]
    public var values: [[Double?]]
}

extension ChartData {
    /// CSV columns shared by every chart, one row per drawn value (long format).
    public static let csvHeader = [
        "panel", "series", "kind", "category", "x", "x_high", "y", "y_low", "y_high", "value",
    ]

    /// Rows in the `csvHeader` layout: histogram bins as x … x_high with y (y_low = stack base);
    /// lines/points as x, y (y_low/y_high: error bars); bands/boxes as x, y_low, y_high; bars as
    /// category, x, y; heat-map cells as category = "row|column", x = column, y = row, value.
    public func csvRows(panel: Int) -> [[String]] {
        func s(_ v: Double?) -> String { v.map { String($0) } ?? "" }
        func at(_ a: [Double?]?, _ i: Int) -> Double? {
            guard let a, i < a.count else { return nil }
            return a[i]
        }
        var rows: [[String]] = []
        for d in series ?? [] {
            let common = [String(panel), d.name, d.kind]
            if d.kind == "histogram", let values = d.values {
                for i in values.indices {
                    rows.append(
                        common + ["", s(at(d.edges, i)), s(at(d.edges, i + 1)), s(values[i]), s(at(d.base, i)), "", ""])
                }
            } else {
                let n = d.x?.count ?? 0
                for i in 0..<n {
                    let category =
                        d.kind == "bars" || d.kind == "boxes" || d.kind == "points"
                        ? (categories.flatMap { c in
                            at(d.x, i).flatMap { Int(exactly: $0.rounded()) }.flatMap {
                                $0 >= 0 && $0 < c.count ? c[$0] : nil
                            }
                        } ?? "")
                        : ""
                    rows.append(
                        common + [category, s(at(d.x, i)), "", s(at(d.y, i)), s(at(d.low, i)), s(at(d.high, i)), ""])
                }
            }
        }
        if let matrix {
            for (r, row) in matrix.values.enumerated() {
                for (c, v) in row.enumerated() {
                    let label =
                        "\(r < matrix.rowLabels.count ? matrix.rowLabels[r] : "")|\(c < matrix.columnLabels.count ? matrix.columnLabels[c] : "")"
                    rows.append([String(panel), title, "heatmap", label, String(c), "", String(r), "", "", s(v)])
                }
            }
        }
        return rows
    }
}

/// RFC 4180 CSV.
public enum CSV {
    public static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    public static func render(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
