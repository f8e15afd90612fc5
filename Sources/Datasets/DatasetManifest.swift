import Foundation

/// `manifest.json` of an image data set: what is in the shards, where it came from, and the
/// z-score statistics of the features (mean and standard deviation over train + validation,
/// both classes; paper eq. 4.1). Written last, atomically: a data set without a manifest is
/// incomplete.
public struct DatasetManifest: Codable, Equatable, Sendable {
    public var format = "vbfgrid.dataset"
    public var formatVersion = 1
    public var variants: [ImageVariant]
    public var geometry: [String: ImageGeometry]
    public var metCut: Double
    public var pileupMean: Double?
    /// "train" and "validation".
    public var splits: [String: Split]
    public var channels: [Channel]
    /// "K" and "R".
    public var features: [String: FeatureStatistics]
    public var seeds: [String: UInt64]
    public var sources: [SourceFile]
    /// File (beside the manifest) with the average image per class and variant, if written.
    public var averageImages: String?

    public struct Split: Codable, Equatable, Sendable {
        public var events: Int
        public var eventsPerChannel: [String: Int]
        public var shards: [Shard]
        public init(events: Int, eventsPerChannel: [String: Int], shards: [Shard]) {
            self.events = events
            self.eventsPerChannel = eventsPerChannel
            self.shards = shards
        }
    }

    public struct Shard: Codable, Equatable, Sendable {
        /// Path relative to the data-set folder, e.g. "train/shard-00000.h5".
        public var file: String
        public var events: Int
        public init(file: String, events: Int) {
            self.file = file
            self.events = events
        }
    }

    /// Per-channel bookkeeping carried from the events files to the limits.
    public struct Channel: Codable, Equatable, Sendable {
        public var name: String
        public var id: Int
        public var generated: Int
        public var selected: Int
        public var selectionEfficiency: Double
        /// The generator-level cross section of what was generated, in fb.
        public var crossSectionFb: Double
        public init(
            name: String, id: Int, generated: Int, selected: Int, selectionEfficiency: Double, crossSectionFb: Double
        ) {
            self.name = name
            self.id = id
            self.generated = generated
            self.selected = selected
            self.selectionEfficiency = selectionEfficiency
            self.crossSectionFb = crossSectionFb
        }
    }

    public struct FeatureStatistics: Codable, Equatable, Sendable {
        public var names: [String]
        public var mean: [Double]
        public var std: [Double]
        public init(names: [String], mean: [Double], std: [Double]) {
            self.names = names
            self.mean = mean
            self.std = std
        }
    }

    public struct SourceFile: Codable, Equatable, Sendable {
        public var path: String
        public var sha256: String
        public var channel: String
        public var events: Int
        public init(path: String, sha256: String, channel: String, events: Int) {
            self.path = path
            self.sha256 = sha256
            self.channel = channel
            self.events = events
        }
    }

    public init(
        variants: [ImageVariant], metCut: Double, pileupMean: Double?, splits: [String: Split],
        channels: [Channel], features: [String: FeatureStatistics], seeds: [String: UInt64],
        sources: [SourceFile], averageImages: String?
    ) {
        self.variants = variants
        self.geometry = Dictionary(uniqueKeysWithValues: variants.map { ($0.rawValue, $0.geometry) })
        self.metCut = metCut
        self.pileupMean = pileupMean
        self.splits = splits
        self.channels = channels
        self.features = features
        self.seeds = seeds
        self.sources = sources
        self.averageImages = averageImages
    }

    public static let fileName = "manifest.json"

    /// Reads `DIR/manifest.json`, with errors that name the file and the field.
    public static func load(from directory: String) throws -> DatasetManifest {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(fileName).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatasetError.invalid("\(path): missing (the data set is incomplete or the folder is wrong)")
        }
        do {
            let manifest = try JSONDecoder.snakeCase.decode(DatasetManifest.self, from: data)
            guard manifest.format == "vbfgrid.dataset", manifest.formatVersion == 1 else {
                throw DatasetError.invalid(
                    "\(path): format \(manifest.format) v\(manifest.formatVersion), expected vbfgrid.dataset v1")
            }
            return manifest
        } catch let error as DecodingError {
            throw DatasetError.invalid("\(path): \(error.readable)")
        }
    }

    /// Writes `DIR/manifest.json` atomically.
    public func save(to directory: String) throws {
        let url = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName)
        try JSONEncoder.snakeCasePretty.encode(self).write(to: url, options: .atomic)
    }
}

extension JSONDecoder {
    /// Decodes snake_case keys, as every vbfgrid JSON file uses.
    public static var snakeCase: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}

extension JSONEncoder {
    /// Encodes snake_case keys, sorted and indented, as every vbfgrid JSON file uses.
    public static var snakeCasePretty: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension DecodingError {
    /// "field a.b: expected …" instead of Foundation's nested description.
    public var readable: String {
        func path(_ context: Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch self {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing field '\(parent.isEmpty ? "" : parent + ".")\(key.stringValue)'"
        case .typeMismatch(let type, let context): return "field '\(path(context))': expected \(type)"
        case .valueNotFound(let type, let context): return "field '\(path(context))': expected \(type), found null"
        case .dataCorrupted(let context): return "field '\(path(context))': \(context.debugDescription)"
        @unknown default: return "\(self)"
        }
    }
}
