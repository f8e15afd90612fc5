import Foundation

/// A standalone figure: one or more panels in a grid, a title, and the numbers behind it.
/// `name` is the file stem (`<name>.svg`, `<name>.csv`, `<name>.json`) and the prefix of the
/// SVG ids, so several figures can be inlined in one HTML page.
public struct Figure: Sendable {
    public var name: String
    public var title: String
    public var panels: [any Chart]
    public var columns: Int
    public var panelWidth: Double
    public var panelHeight: Double

    public init(
        name: String, title: String, panels: [any Chart], columns: Int = 2,
        panelWidth: Double = 560, panelHeight: Double = 400
    ) {
        self.name = name
        self.title = title
        self.panels = panels
        self.columns = max(1, min(columns, panels.count))
        self.panelWidth = panelWidth
        self.panelHeight = panelHeight
    }

    var titleHeight: Double { panels.count > 1 || panels.first?.title.isEmpty != false ? 34 : 0 }
    public var width: Double { Double(columns) * panelWidth }
    public var height: Double { Double((panels.count + columns - 1) / columns) * panelHeight + titleHeight }

    /// The whole figure as an SVG document (UTF-8 XML with a viewBox).
    public func svg() -> String {
        var b = SVGBuilder()
        if titleHeight > 0 {
            b.text(title, x: width / 2, y: 24, size: Style.titleFontSize + 2, weight: "bold")
        }
        let prefix = name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
        for (i, panel) in panels.enumerated() {
            let frame = Rect(
                x: Double(i % columns) * panelWidth, y: titleHeight + Double(i / columns) * panelHeight,
                width: panelWidth, height: panelHeight)
            b.raw("<g class=\"panel\">")
            panel.render(into: &b, frame: frame, id: "\(prefix)-\(i)")
            b.raw("</g>")
        }
        return SVG.document(width: width, height: height, title: title, body: b.body)
    }

    /// Every panel's numbers in one long-format CSV (columns `ChartData.csvHeader`).
    public func csv() -> String {
        CSV.render(
            header: ChartData.csvHeader,
            rows: panels.enumerated().flatMap { $0.element.exportData().csvRows(panel: $0.offset) })
    }

    /// {"name", "title", "panels": [ChartData]} as pretty JSON.
    public func json() throws -> Data {
        struct Document: Encodable {
            var name: String
            var title: String
            var panels: [ChartData]
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Document(name: name, title: title, panels: panels.map { $0.exportData() }))
    }

    /// Writes `<name>.svg`, `<name>.csv` and `<name>.json` into `directory` atomically and
    /// returns the three file names.
    @discardableResult
    public func write(to directory: URL) throws -> [String] {
        let files = ["\(name).svg", "\(name).csv", "\(name).json"]
        try Data(svg().utf8).write(to: directory.appendingPathComponent(files[0]), options: .atomic)
        try Data(csv().utf8).write(to: directory.appendingPathComponent(files[1]), options: .atomic)
        try json().write(to: directory.appendingPathComponent(files[2]), options: .atomic)
        return files
    }
}
