import Yams

/// A node of a composed YAML document, with its file and key path, that reads typed values and
/// reports every problem as a `SpecError` at the node's line and column.
struct SpecNode {
    let node: Node
    let file: String
    let path: String

    private var mark: Mark? { node.mark }

    func error(_ message: String) -> SpecError {
        SpecError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, path: path, message: message)
    }

    private func child(_ node: Node, _ component: String) -> SpecNode {
        SpecNode(node: node, file: file, path: path.isEmpty ? component : "\(path).\(component)")
    }

    private var kind: String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let s): s.string.isEmpty ? "an empty value" : "'\(s.string)'"
        case .alias: "an alias"
        }
    }

    // MARK: Mappings

    /// The mapping's entries in file order; every key must be in `allowed`.
    func mapping(allowed: [String]) throws -> Mapping {
        guard case .mapping(let pairs) = node else {
            throw error("expected a mapping with keys \(allowed.joined(separator: ", ")), found \(kind)")
        }
        var entries: [(String, SpecNode)] = []
        for (key, value) in pairs {
            guard let name = key.scalar?.string else {
                throw SpecNode(node: key, file: file, path: path).error("expected a plain key")
            }
            guard allowed.contains(name) else {
                throw child(key, name).error("unknown key; expected one of: \(allowed.joined(separator: ", "))")
            }
            entries.append((name, child(value, name)))
        }
        return Mapping(owner: self, entries: entries)
    }

    /// A mapping whose keys are free names (e.g. channel → count).
    func freeMapping() throws -> [(key: String, value: SpecNode, keyNode: SpecNode)] {
        guard case .mapping(let pairs) = node else { throw error("expected a mapping, found \(kind)") }
        return try pairs.map { key, value in
            guard let name = key.scalar?.string else {
                throw SpecNode(node: key, file: file, path: path).error("expected a plain key")
            }
            return (name, child(value, name), child(key, name))
        }
    }

    struct Mapping {
        let owner: SpecNode
        let entries: [(String, SpecNode)]

        subscript(_ key: String) -> SpecNode? { entries.first { $0.0 == key }?.1 }

        func required(_ key: String) throws -> SpecNode {
            guard let value = self[key] else { throw owner.error("missing key '\(key)'") }
            return value
        }
    }

    // MARK: Lists and scalars

    func list() throws -> [SpecNode] {
        guard case .sequence(let items) = node else { throw error("expected a list, found \(kind)") }
        return items.enumerated().map { index, item in
            SpecNode(node: item, file: file, path: "\(path)[\(index)]")
        }
    }

    func string() throws -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw error("expected a text value, found \(kind)")
        }
        return scalar.string
    }

    func int(min: Int = Int.min, what: String = "an integer") throws -> Int {
        guard case .scalar(let scalar) = node, let value = Self.wholeNumber(scalar.string) else {
            throw error("expected \(what), found \(kind)")
        }
        guard value >= min else { throw error("expected \(what) ≥ \(min), found \(value)") }
        return value
    }

    /// An integer, or a whole number written with a decimal point (250.0) below 2⁵³.
    private static func wholeNumber(_ text: String) -> Int? {
        let digits = text.replacingOccurrences(of: "_", with: "")
        if let value = Int(digits) { return value }
        guard let number = Double(digits), number == number.rounded(), abs(number) < 9.0e15 else { return nil }
        return Int(number)
    }

    func double(min: Double = -.infinity, what: String = "a number") throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string.replacingOccurrences(of: "_", with: ""))
        else {
            throw error("expected \(what), found \(kind)")
        }
        guard value >= min else { throw error("expected \(what) ≥ \(min), found \(value)") }
        return value
    }

    func bool() throws -> Bool {
        guard case .scalar(let scalar) = node else { throw error("expected true or false, found \(kind)") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found \(kind)")
        }
    }

    func choice(_ options: [String]) throws -> String {
        let value = try string()
        guard options.contains(value) else {
            throw error("expected one of \(options.joined(separator: ", ")), found '\(value)'")
        }
        return value
    }

    /// One of `options`, written as its `name`.
    func choice<T>(_ options: [T], _ name: (T) -> String) throws -> T {
        let value = try choice(options.map(name))
        return options.first { name($0) == value }!
    }

    func stringList() throws -> [String] { try list().map { try $0.string() } }
}
