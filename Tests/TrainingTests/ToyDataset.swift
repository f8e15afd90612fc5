import Datasets
import Foundation
import NeuralNet
import Random

/// A small separable data set in the real on-disk format, for training tests: signal events
/// have two bright forward spots in their images and shifted features, background events one
/// central spot. Deterministic in `seed`.
enum ToyDataset {
    static func write(
        to directory: URL, train: Int, validation: Int, seed: UInt64 = 11,
        variants: [ImageVariant] = [.pjLR], shardSize: Int = 250,
        poison: (split: String, shard: Int, event: Int)? = nil
    ) throws {
        var rng = SplitMix64(seed: seed)
        func gauss() -> Float {
            let u = max(rng.nextUnitFloat(), 1e-7), v = rng.nextUnitFloat()
            return Float((-2 * log(Double(u))).squareRoot() * cos(2 * Double.pi * Double(v)))
        }
        var splits: [String: DatasetManifest.Split] = [:]
        var kValues: [[Float]] = [], rValues: [[Float]] = []
        for (split, total) in [("train", train), ("validation", validation)] {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(split), withIntermediateDirectories: true)
            var shards: [DatasetManifest.Shard] = []
            var perChannel: [String: Int] = [:]
            var written = 0
            while written < total {
                let n = min(shardSize, total - written)
                let file = "\(split)/shard-\(String(format: "%05d", shards.count)).h5"
                let writer = try DatasetShardWriter(
                    path: directory.appendingPathComponent(file).path, split: split, variants: variants)
                var rows = DatasetRows()
                for e in 0..<n {
                    let signal = rng.next() % 2 == 0
                    let channel: UInt8 = signal ? UInt8(rng.next() % 2) : UInt8(2 + rng.next() % 4)
                    perChannel[["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"][Int(channel)], default: 0] += 1
                    rows.label.append(signal ? 1 : 0)
                    rows.channel.append(channel)
                    rows.weight.append(1)
                    rows.eventID += [Int64(channel), Int64(written + e)]
                    let k = (0..<8).map { f in gauss() + (signal && f < 3 ? 1.6 : 0) + Float(f) * 10 }
                    let r = (0..<16).map { f in gauss() * 2 + (signal ? -1.5 : 0) + 50 }
                    kValues.append(k)
                    rValues.append(r)
                    rows.features[.K, default: []] += k
                    rows.features[.R, default: []] += r
                    for v in variants {
                        let g = v.geometry
                        var image = [Float](repeating: 0, count: g.pixels)
                        let spots =
                            signal
                            ? [(g.height / 5, g.width / 2), (4 * g.height / 5, g.width / 2)]
                            : [(g.height / 2, g.width / 2)]
                        for (i, j) in spots {
                            for di in -1...1 {
                                for dj in -1...1 {
                                    image[(i + di) * g.width + j + dj] += 20 + 5 * gauss()
                                }
                            }
                        }
                        for _ in 0..<10 { image[Int(rng.next() % UInt64(g.pixels))] += abs(gauss()) }
                        if let poison, poison.split == split, poison.shard == shards.count, poison.event == e {
                            image[3] = .nan
                        }
                        rows.images[v, default: []] += image
                    }
                }
                try writer.append(rows)
                try writer.finish()
                shards.append(.init(file: file, events: n))
                written += n
            }
            splits[split] = .init(events: total, eventsPerChannel: perChannel, shards: shards)
        }
        func stats(_ values: [[Float]], _ names: [String]) -> DatasetManifest.FeatureStatistics {
            let width = names.count, n = Double(values.count)
            let mean = (0..<width).map { f in values.reduce(0.0) { $0 + Double($1[f]) } / n }
            let std = (0..<width).map { f in
                (values.reduce(0.0) { $0 + pow(Double($1[f]) - mean[f], 2) } / n).squareRoot()
            }
            return .init(names: names, mean: mean, std: std)
        }
        let manifest = DatasetManifest(
            variants: variants, metCut: 200, pileupMean: nil, splits: splits, channels: [],
            features: ["K": stats(kValues, (0..<8).map { "k\($0)" }), "R": stats(rValues, (0..<16).map { "r\($0)" })],
            seeds: ["toy": seed], sources: [], averageImages: nil)
        try manifest.save(to: directory.path)
    }
}
