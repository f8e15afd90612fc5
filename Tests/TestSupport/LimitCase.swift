import Foundation

/// One pyhf-anchored limit case of `Tests/Fixtures/limits/` (made by
/// tools/fixtures/make_limit_cases.py): a model in a `simple` and a pyhf `workspace` block, and
/// pyhf 0.7.6's five expected limits.
public struct LimitCase: CustomStringConvertible, Sendable {
    /// The case file.
    public let url: URL
    public let name: String
    /// pyhf's expected limits for N = −2 … +2.
    public let expected: [Double]

    public var description: String { name }

    /// Every case, sorted by file name; throws if the folder or a field is missing.
    public static func all() throws -> [LimitCase] {
        try Fixtures.files(in: "limits", extension: "json").map(load)
    }

    /// The case `Tests/Fixtures/limits/<name>.json`.
    public static func named(_ name: String) throws -> LimitCase {
        try load(Fixtures.url("limits/\(name).json"))
    }

    private static func load(_ url: URL) throws -> LimitCase {
        let json = try JSONObject(contentsOf: url)
        let band = try json.object("expected")
        return LimitCase(
            url: url, name: try json.value("name"), expected: try (-2...2).map { try band.double(String($0)) })
    }
}

/// max_i |a_i − b_i| / |b_i| (infinite when the lengths differ).
public func maxRelativeDeviation(_ a: [Double], _ b: [Double]) -> Double {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) / abs($1) }.max() ?? .infinity
}
