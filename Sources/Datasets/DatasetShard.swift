import Foundation
import HDF5

/// The high-level features of paper §3: K (8 kinematic), R (16 radiation HT_ηC).
public enum FeatureSet: String, CaseIterable, Codable, Sendable {
    case K, R
    /// Number of features in the set.
    public var width: Int { self == .K ? 8 : 16 }
}

/// A block of preprocessed events, as written to and read from a shard.
public struct DatasetRows: Sendable {
    /// Images per variant, each [n, height, width] row-major.
    public var images: [ImageVariant: [Float]] = [:]
    /// Features per set, each [n, width] row-major, raw (not z-scored).
    public var features: [FeatureSet: [Float]] = [:]
    /// 1 for signal, 0 for background.
    public var label: [UInt8] = []
    public var channel: [UInt8] = []
    public var weight: [Float] = []
    /// (source file index, event index) per event, flattened [n, 2].
    public var eventID: [Int64] = []

    public init() {}
    public var count: Int { label.count }

    /// Removes every row, keeping the memory for the next block.
    public mutating func removeAll() {
        for variant in images.keys { images[variant]!.removeAll(keepingCapacity: true) }
        for set in features.keys { features[set]!.removeAll(keepingCapacity: true) }
        label.removeAll(keepingCapacity: true)
        channel.removeAll(keepingCapacity: true)
        weight.removeAll(keepingCapacity: true)
        eventID.removeAll(keepingCapacity: true)
    }
}

/// One shard of an image data set (`vbfgrid.dataset`, version 1):
///
/// ```
/// /                 @format="vbfgrid.dataset" @format_version=1 @split @variants @events
/// /images/<variant> float32 [n, η, φ]  chunked per group of events, deflate (no shuffle)
/// /features/K       float32 [n, 8]     /features/R float32 [n, 16]
/// /label            uint8 [n] (1 signal)  /channel uint8 [n]  /weight float32 [n]
/// /event_id         int64 [n, 2] (source file index, event index)
/// ```
public enum DatasetShard {
    public static let format = "vbfgrid.dataset"
    public static let formatVersion = 1
    /// Events per HDF5 chunk of the image datasets.
    public static let chunkEvents = 32
}

/// Streams rows into a new shard file; `finish()` renames it into place atomically. A writer
/// dropped before `finish()` (a failed write, a full disk) removes its temporary file.
public final class DatasetShardWriter {
    public let path: String
    private let temporaryPath: String
    private let file: HDF5File
    private let variants: [ImageVariant]
    /// In creation order: HDF5 writes metadata as objects close, so a fixed order (not a
    /// dictionary's per-process hash order) keeps the bytes reproducible.
    private var datasets: [HDF5Dataset] = []
    /// The SHA-256 of each dataset's values so far, in the order of `datasets`.
    private var hashes: [ValuesHash] = []
    private(set) public var count = 0
    /// Image rows waiting for a whole chunk, per variant (fewer than `chunkEvents`): image
    /// chunks are compressed by `SparseDeflate` and stored as they are.
    private var pendingImages: [[Float]]
    private var pendingRows = 0
    private var imageRows = 0
    /// The deflate level of every other dataset.
    private static let deflate = 1
    private var finished = false

    public init(path: String, split: String, variants: [ImageVariant]) throws {
        self.path = path
        self.variants = variants
        pendingImages = variants.map { _ in [] }
        temporaryPath = HDF5File.temporaryPath(for: path)
        file = try HDF5File(creating: temporaryPath)
        try file.setAttribute("format", DatasetShard.format)
        try file.setAttribute("format_version", DatasetShard.formatVersion)
        try file.setAttribute("split", split)
        try file.setAttribute("variants", variants.map(\.rawValue))
        let c = DatasetShard.chunkEvents
        for variant in variants {
            let g = variant.geometry
            datasets.append(
                try file.createDataset(
                    "images/\(variant.rawValue)", of: Float.self, shape: [0, g.height, g.width],
                    maxShape: [nil, g.height, g.width], chunk: [c, g.height, g.width], deflate: Self.deflate,
                    shuffle: false))
        }
        let deflate = Self.deflate
        for set in FeatureSet.allCases {
            datasets.append(
                try file.createDataset(
                    "features/\(set.rawValue)", of: Float.self, shape: [0, set.width], maxShape: [nil, set.width],
                    chunk: [1024, set.width], deflate: deflate))
        }
        datasets.append(
            try file.createDataset(
                "label", of: UInt8.self, shape: [0], maxShape: [nil], chunk: [4096], deflate: deflate))
        datasets.append(
            try file.createDataset(
                "channel", of: UInt8.self, shape: [0], maxShape: [nil], chunk: [4096], deflate: deflate))
        datasets.append(
            try file.createDataset(
                "weight", of: Float.self, shape: [0], maxShape: [nil], chunk: [4096], deflate: deflate))
        datasets.append(
            try file.createDataset(
                "event_id", of: Int64.self, shape: [0, 2], maxShape: [nil, 2], chunk: [2048, 2], deflate: deflate))
        hashes = datasets.map { _ in ValuesHash() }
    }

    /// Appends a block of rows; every array must hold `rows.count` events.
    public func append(_ rows: DatasetRows) throws {
        let n = rows.count
        func require(_ ok: Bool, _ field: String) throws {
            if !ok { throw DatasetError.invalid("\(path): \(field): wrong number of values for \(n) events") }
        }
        try require(rows.channel.count == n && rows.weight.count == n, "channel/weight")
        try require(rows.eventID.count == 2 * n, "event_id")
        for variant in variants {
            try require(rows.images[variant]?.count == n * variant.geometry.pixels, "images/\(variant.rawValue)")
        }
        for set in FeatureSet.allCases {
            try require(rows.features[set]?.count == n * set.width, "features/\(set.rawValue)")
        }
        try appendImages(variants.map { rows.images[$0]! }, rows: n)
        for (i, variant) in variants.enumerated() { hashes[i].add(rows.images[variant]!) }
        for (i, set) in FeatureSet.allCases.enumerated() {
            try datasets[variants.count + i].append(rows.features[set]!)
            hashes[variants.count + i].add(rows.features[set]!)
        }
        let columns = variants.count + FeatureSet.allCases.count
        try datasets[columns].append(rows.label)
        try datasets[columns + 1].append(rows.channel)
        try datasets[columns + 2].append(rows.weight)
        try datasets[columns + 3].append(rows.eventID)
        hashes[columns].add(rows.label)
        hashes[columns + 1].add(rows.channel)
        hashes[columns + 2].add(rows.weight)
        hashes[columns + 3].add(rows.eventID)
        count += n
    }

    /// Writes image rows in whole chunks — completing the pending chunk first, then straight from
    /// `images` — and keeps the rest pending.
    private func appendImages(_ images: [[Float]], rows n: Int) throws {
        let c = DatasetShard.chunkEvents
        var used = 0
        if pendingRows > 0 {
            used = min(c - pendingRows, n)
            for i in variants.indices { pendingImages[i] += images[i][0..<used * variants[i].geometry.pixels] }
            pendingRows += used
            if pendingRows == c { try writePendingImages() }
        }
        while n - used >= c {
            try writeImageChunk(rows: c) { i in
                let pixels = variants[i].geometry.pixels
                return images[i][used * pixels..<(used + c) * pixels]
            }
            used += c
        }
        if used < n {
            for i in variants.indices { pendingImages[i] += images[i][(used * variants[i].geometry.pixels)...] }
            pendingRows += n - used
        }
    }

    /// Writes the pending rows as one chunk.
    private func writePendingImages() throws {
        try writeImageChunk(rows: pendingRows) { pendingImages[$0][...] }
        for i in pendingImages.indices { pendingImages[i].removeAll(keepingCapacity: true) }
        pendingRows = 0
    }

    /// Writes one chunk of every variant: `rows` ≤ `chunkEvents` rows of `images(variant index)`,
    /// a short last chunk padded with zero rows (which lie past the extent).
    private func writeImageChunk(rows: Int, _ images: (Int) -> ArraySlice<Float>) throws {
        let c = DatasetShard.chunkEvents
        for i in variants.indices {
            var block = images(i)
            if rows < c { block += repeatElement(0, count: (c - rows) * variants[i].geometry.pixels) }
            try datasets[i].extend(toRows: imageRows + rows)
            try datasets[i].writeChunk(
                at: [imageRows, 0, 0], bytes: block.withUnsafeBytes { SparseDeflate.compress($0) })
        }
        imageRows += rows
    }

    /// Writes the event count, closes the file and moves it into place.
    public func finish() throws {
        if pendingRows > 0 { try writePendingImages() }
        try file.setAttribute("events", count)
        for (dataset, var hash) in zip(datasets, hashes) {
            try dataset.setAttribute(DatasetShard.checksumAttribute, hash.hex())
        }
        while !datasets.isEmpty { datasets.removeLast() }
        try file.close()
        try HDF5File.replace(path, with: temporaryPath)
        finished = true
    }

    deinit {
        if !finished { try? FileManager.default.removeItem(atPath: temporaryPath) }
    }
}

/// Reads ranges of events from a shard; validates the format on open.
public final class DatasetShardReader: @unchecked Sendable {
    public let path: String
    public let count: Int
    public let variants: [ImageVariant]
    /// The SHA-256 of what this reader reads: root attributes and every dataset's verified checksum.
    public private(set) var contentDigest: String
    private let file: HDF5File

    public init(path: String) throws {
        self.path = path
        file = try HDF5File(opening: path)
        let format = file.hasAttribute("format") ? try file.stringAttribute("format") : "(none)"
        guard format == DatasetShard.format else {
            throw DatasetError.invalid("\(path): attribute 'format' is '\(format)', expected '\(DatasetShard.format)'")
        }
        let version = try file.attribute("format_version", as: Int.self)
        guard version == DatasetShard.formatVersion else {
            throw DatasetError.invalid(
                "\(path): format_version \(version), this vbfgrid reads \(DatasetShard.formatVersion)")
        }
        variants = try file.stringArrayAttribute("variants").map {
            guard let v = ImageVariant(rawValue: $0) else {
                throw DatasetError.invalid("\(path): unknown variant '\($0)'")
            }
            return v
        }
        count = try file.dataset("label").shape[0]
        contentDigest = ""
        contentDigest = try verify(file: file)
    }

    /// Images of one variant for events `range`, [n, height, width] row-major.
    public func images(_ variant: ImageVariant, _ range: Range<Int>) throws -> [Float] {
        let g = variant.geometry
        guard variants.contains(variant) else {
            throw DatasetError.invalid("\(path): no images/\(variant.rawValue) (has \(variants.map(\.rawValue)))")
        }
        return try file.dataset("images/\(variant.rawValue)").read(
            as: Float.self, start: [range.lowerBound, 0, 0],
            count: [range.count, g.height, g.width])
    }

    /// Raw features of one set for events `range`, [n, width] row-major.
    public func features(_ set: FeatureSet, _ range: Range<Int>) throws -> [Float] {
        try file.dataset("features/\(set.rawValue)").read(
            as: Float.self, start: [range.lowerBound, 0],
            count: [range.count, set.width])
    }

    public func labels(_ range: Range<Int>) throws -> [UInt8] { try column("label", range) }
    public func channels(_ range: Range<Int>) throws -> [UInt8] { try column("channel", range) }
    public func weights(_ range: Range<Int>) throws -> [Float] { try column("weight", range) }

    /// (source file index, event index) pairs, flattened [n, 2].
    public func eventIDs(_ range: Range<Int>) throws -> [Int64] {
        try file.dataset("event_id").read(as: Int64.self, start: [range.lowerBound, 0], count: [range.count, 2])
    }

    private func column<T: HDF5Element>(_ name: String, _ range: Range<Int>) throws -> [T] {
        try file.dataset(name).read(as: T.self, start: [range.lowerBound], count: [range.count])
    }
}
