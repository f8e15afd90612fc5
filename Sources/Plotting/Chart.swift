/// A rectangle in SVG pixels.
public struct Rect: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
}

/// One panel of a figure: draws itself into a frame and exports the numbers it shows.
public protocol Chart: Sendable {
    var title: String { get }
    /// Draws into `frame`; `id` is unique in the document (for clip paths).
    func render(into svg: inout SVGBuilder, frame: Rect, id: String)
    /// The numbers shown, for CSV/JSON export.
    func exportData() -> ChartData
}
