import Checksum
import Foundation

/// `producer.json`: what made an output folder — the stage, its normalised parameters, the
/// identities of its inputs (`InputIdentity`) and the vbfgrid version. Every stage writes it
/// first, before any output, and a rerun into the same folder compares against it.
public struct Producer: Codable, Sendable, Equatable {
    public static let fileName = "producer.json"
    /// The version of vbfgrid, recorded in every producer.json and printed by `vbfgrid --version`.
    public static let currentVersion = "0.14.0"

    public var stage: String
    /// Every option that changes the outputs, as text (paths normalised to absolute).
    public var parameters: [String: String]
    /// Input path → identity (`InputIdentity.of`).
    public var inputs: [String: String]
    public var version: String

    public init(
        stage: String, parameters: [String: String], inputs: [String: String] = [:],
        version: String = Producer.currentVersion
    ) {
        self.stage = stage
        self.parameters = parameters
        self.inputs = inputs
        self.version = version
    }

    /// The differences that make `self` another configuration than `recorded`, one line each
    /// ("seed: 9 → 10"). The version is not compared: a newer vbfgrid may continue a folder.
    public func differences(from recorded: Producer) -> [String] {
        var lines: [String] = []
        if stage != recorded.stage { lines.append("stage: \(recorded.stage) → \(stage)") }
        for key in Set(parameters.keys).union(recorded.parameters.keys).sorted()
        where parameters[key] != recorded.parameters[key] {
            lines.append("\(key): \(recorded.parameters[key] ?? "(unset)") → \(parameters[key] ?? "(unset)")")
        }
        for key in Set(inputs.keys).union(recorded.inputs.keys).sorted() where inputs[key] != recorded.inputs[key] {
            switch (recorded.inputs[key], inputs[key]) {
            case (nil, _): lines.append("input \(key): added")
            case (_, nil): lines.append("input \(key): removed")
            default: lines.append("input \(key): changed since the folder was written")
            }
        }
        return lines
    }

    /// A short id of this record: the SHA-256 of its JSON (sorted keys).
    public var fingerprint: String { SHA256.hex(Array(Producer.encode(self))) }

    static func encode(_ producer: Producer) -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(producer)) ?? Data()
    }

    /// Reads `folder/producer.json`, nil when there is none.
    public static func read(folder: String) throws -> Producer? {
        let path = URL(fileURLWithPath: folder).appendingPathComponent(fileName).path
        guard let bytes = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(Producer.self, from: bytes) } catch {
            throw OutputFolderError("\(path): unreadable (\(error)); remove it or rerun with --force")
        }
    }

    /// Writes `folder/producer.json` atomically.
    public func write(folder: String) throws {
        let url = URL(fileURLWithPath: folder).appendingPathComponent(Self.fileName)
        try StorageError.mapping(path: url.path) { try Producer.encode(self).write(to: url, options: .atomic) }
    }
}
