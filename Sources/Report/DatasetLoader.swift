import Datasets
import Foundation
import HDF5
import Metrics
import Plotting

/// Reads what the report shows from an image data set folder (written by `vbfgrid preprocess`):
/// `manifest.json` (sizes, channels, feature names), the shards' `features/K`, `features/R`,
/// `label`, `channel`, `weight` (per-channel K distributions and the separation ranking) and
/// `average-images.h5` (`signal/<variant>`, `background/<variant>`, attribute
/// `events_per_class` = [background, signal]).
public enum DatasetLoader {
    /// Bins of the K-feature histograms.
    public static let bins = 30

    /// Adds the data set's sizes, distributions, separation and average images to `data`
    /// (what was read before an unreadable part stays in `data`).
    public static func load(directory: String, into data: inout ReportData) throws {
        let manifest = try DatasetManifest.load(from: directory)
        data.sizes = DatasetSizes(
            train: manifest.splits["train"]?.events ?? 0,
            validation: manifest.splits["validation"]?.events ?? 0)
        try loadFeatures(directory: directory, manifest: manifest, into: &data)
        if let name = manifest.averageImages {
            data.averageImages = try loadAverageImages(path: "\(directory)/\(name)", variants: manifest.variants)
        } else {
            data.notes.append("No average images: the data set's manifest names no average-images file.")
        }
    }

    /// Features of every event of both splits, by set, with labels, channel names and weights.
    struct Columns {
        var k: [[Double]] = Array(repeating: [], count: FeatureSet.K.width)
        var r: [[Double]] = Array(repeating: [], count: FeatureSet.R.width)
        var isSignal: [Bool] = []
        var channel: [String] = []
        var weight: [Double] = []
    }

    static func readColumns(directory: String, manifest: DatasetManifest) throws -> Columns {
        let names = Dictionary(uniqueKeysWithValues: manifest.channels.map { ($0.id, $0.name) })
        var columns = Columns()
        for split in ["train", "validation"] {
            for shard in manifest.splits[split]?.shards ?? [] {
                let reader = try DatasetShardReader(path: "\(directory)/\(shard.file)")
                let range = 0..<reader.count
                for (set, width) in [(FeatureSet.K, 8), (FeatureSet.R, 16)] {
                    let values = try reader.features(set, range)
                    for j in 0..<width {
                        let column = stride(from: j, to: values.count, by: width).map { Double(values[$0]) }
                        if set == .K { columns.k[j] += column } else { columns.r[j] += column }
                    }
                }
                columns.isSignal += try reader.labels(range).map { $0 == 1 }
                columns.channel += try reader.channels(range).map { names[Int($0)] ?? "channel \($0)" }
                columns.weight += try reader.weights(range).map(Double.init)
            }
        }
        return columns
    }

    static func loadFeatures(directory: String, manifest: DatasetManifest, into data: inout ReportData) throws {
        let columns = try readColumns(directory: directory, manifest: manifest)
        guard !columns.isSignal.isEmpty else { throw DatasetError.invalid("\(directory): the data set has no events") }
        let kNames = manifest.features["K"]?.names ?? (0..<8).map { "K\($0)" }
        let rNames = manifest.features["R"]?.names ?? (0..<16).map { "R\($0)" }
        let channelOrder = manifest.channels.sorted { $0.id < $1.id }.map(\.name)
        data.distributions = zip(kNames, columns.k).map { name, values in
            distribution(
                name: name, values: values, channels: columns.channel, weights: columns.weight, order: channelOrder)
        }
        var ranking: [SeparationEntry] = []
        for (name, values) in zip(kNames + rNames, columns.k + columns.r) {
            let s = zip(values, columns.isSignal).filter { $0.1 }.map(\.0)
            let b = zip(values, columns.isSignal).filter { !$0.1 }.map(\.0)
            let ws = zip(columns.weight, columns.isSignal).filter { $0.1 }.map(\.0)
            let wb = zip(columns.weight, columns.isSignal).filter { !$0.1 }.map(\.0)
            guard !s.isEmpty, !b.isEmpty else { continue }
            ranking.append(
                SeparationEntry(
                    feature: name,
                    separation: try Separation.ofFeature(
                        signal: s, signalWeights: ws, background: b, backgroundWeights: wb)))
        }
        data.separation = ranking.sorted { $0.separation > $1.separation }
    }

    /// Weighted per-channel counts on `bins` equal bins over the minimum … 99.5% quantile,
    /// widened to nice numbers (the long tails of m_jj and met would hide the bulk; events
    /// above the last edge are left out).
    static func distribution(name: String, values: [Double], channels: [String], weights: [Double], order: [String])
        -> FeatureDistribution
    {
        let sorted = values.filter(\.isFinite).sorted()
        let range = Ticks.niceRange(
            min: sorted.first ?? 0,
            max: sorted.isEmpty ? 1 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.995))])
        let lo = range.lowerBound, step = (range.upperBound - lo) / Double(bins)
        let edges = (0...bins).map { lo + Double($0) * step }
        var counts: [String: [Double]] = [:]
        for (i, v) in values.enumerated() where v.isFinite {
            let bin = min(max(Int((v - lo) / step), 0), bins - 1)
            if v > edges[bins] { continue }
            counts[channels[i], default: [Double](repeating: 0, count: bins)][bin] += weights[i]
        }
        let present = order.filter { counts[$0] != nil } + counts.keys.filter { !order.contains($0) }.sorted()
        return FeatureDistribution(
            feature: name, axisLabel: FeatureLabels.axisLabel(name), edges: edges,
            channels: present.map { ChannelCounts(channel: $0, values: counts[$0]!) })
    }

    static func loadAverageImages(path: String, variants: [ImageVariant]) throws -> [AverageImage] {
        let file = try HDF5File(opening: path)
        let counts = try file.numericAttribute("events_per_class", as: Int.self)
        guard counts.count == 2 else {
            throw DatasetError.invalid(
                "\(path): attribute 'events_per_class' has \(counts.count) values, expected 2 [background, signal]")
        }
        var images: [AverageImage] = []
        for variant in variants {
            for (index, className) in [(1, "signal"), (0, "background")] {
                let name = "\(className)/\(variant.rawValue)"
                let dataset = try file.dataset(name)
                let g = variant.geometry
                guard dataset.shape == [g.height, g.width] else {
                    throw DatasetError.invalid(
                        "\(path): \(name) has shape \(dataset.shape), expected [\(g.height), \(g.width)]")
                }
                images.append(
                    AverageImage(
                        variant: variant.rawValue, className: className, events: counts[index],
                        height: g.height, width: g.width, binSize: Double(g.binSize),
                        pixels: try dataset.read(as: Float.self).map(Double.init)))
            }
        }
        return images
    }
}
