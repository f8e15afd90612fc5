import ArgumentParser
import Checksum
import Datasets
import Foundation
import Random

/// `vbfgrid bench shards`: what the shards' SHA-256 checksums cost, writing and opening.
struct BenchShardsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shards",
        abstract: "The cost of the shards' per-dataset SHA-256: hashing while writing, verifying on open.",
        discussion: """
            Writes a shard of --events events (PJ-LR and PJ-HR images with --towers non-zero pixels each, K and R \
            features) and times, best of --repetitions: the write (which hashes every value), the SHA-256 of the same \
            values alone, opening the shard (which reads and hashes every dataset), and one plain read of every \
            dataset through the opened reader — what one training epoch reads of the shard. Verifying costs one \
            such read plus the hashing.
            """)

    @Option(help: "Events in the shard.") var events = 2000
    @Option(help: "Non-zero pixels per image.") var towers = 60
    @Option(help: "Timed repetitions (the best is kept).") var repetitions = 5
    @Option(help: ArgumentHelp("Scratch folder (default: the system temporary folder).", valueName: "dir")) var scratch:
        String?
    @Flag(help: "Print the figures as JSON.") var json = false

    func run() throws {
        let variants: [ImageVariant] = [.pjLR, .pjHR]
        let rows = sampleRows(variants)
        let folder = URL(fileURLWithPath: scratch ?? FileManager.default.temporaryDirectory.path)
        let path = folder.appendingPathComponent("bench-shard-\(getpid()).h5").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        func best(_ body: () throws -> Void) rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<max(1, repetitions) {
                let start = DispatchTime.now().uptimeNanoseconds
                try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return times.min()!
        }
        let write = try best {
            let writer = try DatasetShardWriter(path: path, split: "train", variants: variants)
            for start in stride(from: 0, to: events, by: 256) {
                try writer.append(slice(rows, start, min(256, events - start), variants))
            }
            try writer.finish()
        }
        let hash = best {
            func sha<T>(_ values: [T]) {
                var hasher = SHA256()
                values.withUnsafeBytes { hasher.update(raw: $0) }
                _ = hasher.finalize()
            }
            for values in rows.images.values.map({ $0 }) + rows.features.values.map({ $0 }) + [rows.weight] {
                sha(values)
            }
            sha(rows.label)
            sha(rows.channel)
            sha(rows.eventID)
        }
        let open = try best { _ = try DatasetShardReader(path: path) }
        let reader = try DatasetShardReader(path: path)
        let read = try best {
            for start in stride(from: 0, to: events, by: 256) {
                let range = start..<min(events, start + 256)
                for variant in variants { _ = try reader.images(variant, range) }
                for set in FeatureSet.allCases { _ = try reader.features(set, range) }
                _ = try (reader.labels(range), reader.channels(range), reader.weights(range), reader.eventIDs(range))
            }
        }
        let bytes = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        let decoded =
            rows.images.values.reduce(0) { $0 + $1.count * 4 } + rows.features.values.reduce(0) { $0 + $1.count * 4 }
            + events * (1 + 1 + 4 + 16)
        let figures: [String: Double] = [
            "events": Double(events), "file_bytes": Double(bytes), "decoded_bytes": Double(decoded),
            "write_s": write, "hash_s": hash, "open_verify_s": open, "plain_read_s": read,
            "hash_share_of_write": hash / write, "open_over_plain_read": open / read,
        ]
        if json {
            let data = try JSONSerialization.data(withJSONObject: figures, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        print(
            String(
                format: "shard of %d events (PJ-LR, PJ-HR): %.1f MB on disk, %.1f MB decoded", events,
                Double(bytes) / 1e6, Double(decoded) / 1e6))
        print(
            String(
                format: "write %.3f s, of which SHA-256 of the values %.3f s (%.1f%%)", write, hash, 100 * hash / write)
        )
        print(
            String(
                format: "open with verification %.3f s; one plain read of every dataset %.3f s (open = %.2f× a read)",
                open, read, open / read))
    }

    /// Sparse images (`towers` pixels of exponential E_T each), features and labels of `events` events.
    private func sampleRows(_ variants: [ImageVariant]) -> DatasetRows {
        var rng = SplitMix64(seed: 20080543)
        var rows = DatasetRows()
        for variant in variants {
            var pixels = [Float](repeating: 0, count: events * variant.geometry.pixels)
            for event in 0..<events {
                for _ in 0..<towers {
                    let at = event * variant.geometry.pixels + Int(rng.next() % UInt64(variant.geometry.pixels))
                    pixels[at] = Float(-log(Double(rng.next() % 1_000_000 + 1) / 1_000_001) * 5)
                }
            }
            rows.images[variant] = pixels
        }
        for set in FeatureSet.allCases {
            rows.features[set] = (0..<events * set.width).map { _ in Float(rng.next() % 10_000) / 100 }
        }
        rows.label = (0..<events).map { UInt8($0 % 2) }
        rows.channel = (0..<events).map { UInt8($0 % 6) }
        rows.weight = [Float](repeating: 1, count: events)
        rows.eventID = (0..<events).flatMap { [Int64(0), Int64($0)] }
        return rows
    }

    private func slice(_ rows: DatasetRows, _ start: Int, _ count: Int, _ variants: [ImageVariant]) -> DatasetRows {
        var part = DatasetRows()
        for variant in variants {
            let p = variant.geometry.pixels
            part.images[variant] = Array(rows.images[variant]![start * p..<(start + count) * p])
        }
        for set in FeatureSet.allCases {
            part.features[set] = Array(rows.features[set]![start * set.width..<(start + count) * set.width])
        }
        part.label = Array(rows.label[start..<start + count])
        part.channel = Array(rows.channel[start..<start + count])
        part.weight = Array(rows.weight[start..<start + count])
        part.eventID = Array(rows.eventID[2 * start..<2 * (start + count)])
        return part
    }
}
