import Foundation

/// The reference files the tests compare against, in `Tests/Fixtures/` (see its README for what
/// each file is and which tool and versions produced it; `tools/fixtures/` regenerates them).
///
/// Every loader throws `FixtureError` naming the file (and the field) when something is missing
/// or malformed, so a broken checkout fails the tests that need the file, with a message,
/// instead of crashing the test process.
public enum Fixtures {
    /// `Tests/Fixtures` in the repository.
    public static let folder = TestPaths.repositoryRoot.appendingPathComponent("Tests/Fixtures")

    /// The fixture at `path` (relative to `Tests/Fixtures`); throws if it does not exist.
    public static func url(_ path: String) throws -> URL {
        let url = folder.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw FixtureError(url, "missing (the test fixtures are in the repository; see Tests/Fixtures/README.md)")
        }
        return url
    }

    /// The files of a fixture folder whose names end in `.extension`, sorted by name; throws if
    /// the folder is missing or holds none.
    public static func files(in path: String, extension: String) throws -> [URL] {
        let directory = try url(path)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix("." + `extension`) }.sorted()
        guard !names.isEmpty else { throw FixtureError(directory, "holds no .\(`extension`) files") }
        return names.map { directory.appendingPathComponent($0) }
    }

    /// The fixture's JSON object.
    public static func json(_ path: String) throws -> JSONObject {
        try JSONObject(contentsOf: url(path))
    }
}

/// A JSON object read from a fixture, with typed access that names the file and the key path
/// of anything missing or of the wrong type.
public struct JSONObject: @unchecked Sendable {
    /// The file it came from (for messages).
    public let source: URL
    /// The parsed object.
    public let dictionary: [String: Any]
    /// The key path of this object inside the file ("" at the top).
    public let path: String

    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw FixtureError(url, "unreadable: \(error.localizedDescription)")
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw FixtureError(url, "not JSON: \(error)")
        }
        guard let dictionary = object as? [String: Any] else { throw FixtureError(url, "not a JSON object") }
        self.init(source: url, dictionary: dictionary, path: "")
    }

    public init(source: URL, dictionary: [String: Any], path: String) {
        self.source = source
        self.dictionary = dictionary
        self.path = path
    }

    /// The value at a dotted key path ("forward.probabilities") as a `T`.
    public func value<T>(_ keyPath: String, as type: T.Type = T.self) throws -> T {
        var node: Any = dictionary
        var walked = path
        for key in keyPath.split(separator: ".") {
            walked += walked.isEmpty ? String(key) : ".\(key)"
            guard let object = node as? [String: Any], let next = object[String(key)] else {
                throw FixtureError(source, "field '\(walked)' is missing")
            }
            node = next
        }
        guard let value = node as? T else { throw FixtureError(source, "field '\(walked)' is not a \(T.self)") }
        return value
    }

    /// The number at `keyPath`.
    public func double(_ keyPath: String) throws -> Double {
        try value(keyPath, as: NSNumber.self).doubleValue
    }

    /// The object at `keyPath`.
    public func object(_ keyPath: String) throws -> JSONObject {
        JSONObject(source: source, dictionary: try value(keyPath), path: path.isEmpty ? keyPath : "\(path).\(keyPath)")
    }

    /// The list of objects at `keyPath`.
    public func objects(_ keyPath: String) throws -> [JSONObject] {
        let list: [[String: Any]] = try value(keyPath)
        let base = path.isEmpty ? keyPath : "\(path).\(keyPath)"
        return list.enumerated().map { JSONObject(source: source, dictionary: $1, path: "\(base)[\($0)]") }
    }
}

/// A fixture that is missing or malformed.
public struct FixtureError: Error, CustomStringConvertible {
    public var file: URL
    public var problem: String

    public init(_ file: URL, _ problem: String) {
        self.file = file
        self.problem = problem
    }

    public var description: String { "fixture \(file.path): \(problem)" }
}
