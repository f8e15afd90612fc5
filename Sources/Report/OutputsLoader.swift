import Evaluation
import HDF5

/// Network outputs of one evaluation (`outputs.h5`, see `OutputsSchema`): the ROC curve, AUC
/// and per-channel output histograms computed from the scores.
enum OutputsLoader {
    /// Bins of the output histograms on [0, 1].
    static let bins = 20
    /// At most this many ROC points are kept (evenly spaced in index), always with both ends.
    static let maxROCPoints = 400

    struct Columns {
        var score: [Double]
        var label: [UInt8]
        var channel: [UInt8]
        var weight: [Double]
        var eventID: [Int64]
    }

    static func read(path: String) throws -> Columns {
        let file = try HDF5File(opening: path)
        let c = Columns(score: try file.read(OutputsSchema.score, as: Float.self).map(Double.init),
                        label: try file.read(OutputsSchema.label, as: UInt8.self),
                        channel: try file.read(OutputsSchema.channel, as: UInt8.self),
                        weight: try file.read(OutputsSchema.weight, as: Float.self).map(Double.init),
                        eventID: try file.read(OutputsSchema.eventID, as: Int64.self))
        let n = c.score.count
        guard c.label.count == n, c.channel.count == n, c.weight.count == n, c.eventID.count == 2 * n else {
            throw ReportError("\(path): score, label, channel, weight and event_id [n, 2] must have the same n")
        }
        return c
    }

    static func load(path: String, network: String, seed: Int?) throws -> (roc: ROCCurve, histograms: OutputHistograms) {
        let c = try read(path: path)
        let isSignal = c.label.map { $0 == 1 }
        let points = try ROC.curve(scores: c.score, isSignal: isSignal, weights: c.weight)
        let auc = ROC.auc(points)
        let step = max(1, points.count / maxROCPoints)
        var kept = stride(from: 0, to: points.count, by: step).map { points[$0] }
        if let last = points.last, kept.last != last { kept.append(last) }
        let roc = ROCCurve(network: network, seed: seed, auc: auc, signalEfficiency: kept.map(\.signalEfficiency),
                           backgroundEfficiency: kept.map(\.backgroundEfficiency))
        let edges = (0...bins).map { Double($0) / Double(bins) }
        var perChannel: [Int: WeightedHistogram] = [:]
        for i in c.score.indices {
            let id = Int(c.channel[i])
            if perChannel[id] == nil { perChannel[id] = try WeightedHistogram(edges: edges) }
            perChannel[id]!.fill(c.score[i], weight: c.weight[i])
        }
        let channels = perChannel.keys.sorted().map { id in
            ChannelCounts(channel: id < RunLoader.channels.count ? RunLoader.channels[id] : "channel \(id)", values: perChannel[id]!.sumw)
        }
        return (roc, OutputHistograms(network: network, seed: seed, edges: edges, channels: channels))
    }
}
