import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What an SVG (or XHTML) document contains, from Foundation's XML parser: whether it parsed,
/// the root element, and the `class` attributes and texts it holds.
public struct SVGInspection {
    public var parsed: Bool
    public var error: String?
    public var root: String?
    public var rootAttributes: [String: String] = [:]
    public var classes: [String] = []
    public var texts: [String] = []
    public var elementCounts: [String: Int] = [:]

    public init(_ text: String) {
        let delegate = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = delegate
        parsed = parser.parse()
        error = parser.parserError.map { "\($0)" }
        root = delegate.root
        rootAttributes = delegate.rootAttributes
        classes = delegate.classes
        texts = delegate.texts
        elementCounts = delegate.counts
    }

    public func has(class name: String) -> Bool { classes.contains(name) }

    private final class Collector: NSObject, XMLParserDelegate {
        var root: String?
        var rootAttributes: [String: String] = [:]
        var classes: [String] = []
        var texts: [String] = []
        var counts: [String: Int] = [:]
        private var current = ""

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            if root == nil {
                root = name
                rootAttributes = attributes
            }
            counts[name, default: 0] += 1
            if let c = attributes["class"] { classes += c.split(separator: " ").map(String.init) }
            current = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { current += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let t = current.trimmingCharacters(in: .whitespacesAndNewlines)
            if !t.isEmpty { texts.append(t) }
            current = ""
        }
    }
}
