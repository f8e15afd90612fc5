import Events
import Foundation
import Metrics

/// Accumulates a sample: the cutflow per channel, the H features and the jet multiplicity of the
/// selected events; gives per-channel feature statistics and the separation ranking. Used by `vbfgrid inspect`
/// and the fastsim calibration.
public struct SampleSummary: Sendable {
    public var selection: BaselineSelection
    public private(set) var cutflow = Cutflow()
    /// H features of the selected events and their channels.
    public private(set) var features: [[Float]] = []
    public private(set) var channels: [Channel] = []
    /// Jets with p_T > 30 GeV and |η| < 4.7 (the jets of the min Δφ cut) of the selected events.
    public private(set) var jetCounts: [Int] = []

    public init(selection: BaselineSelection = BaselineSelection()) { self.selection = selection }

    /// Records one event; returns true if it passed the selection.
    @discardableResult
    public mutating func add(_ event: Event) -> Bool {
        guard cutflow.record(event, selection) else { return false }
        features.append(Features.h(event))
        channels.append(event.channel)
        jetCounts.append(event.jets.filter { $0.pt > 30 && abs($0.eta) < 4.7 }.count)
        return true
    }

    /// Adds another summary's cutflow and selected events (same selection assumed).
    public mutating func add(_ other: SampleSummary) {
        cutflow.add(other.cutflow)
        features += other.features
        channels += other.channels
        jetCounts += other.jetCounts
    }

    /// Median, mean and rms of feature `index` over the selected events of `channel`.
    public func statistics(feature index: Int, channel: Channel) -> (median: Double, mean: Double, rms: Double)? {
        Self.statistics(zip(features, channels).filter { $0.1 == channel }.map { Double($0.0[index]) })
    }

    /// Median, mean and rms of the jet multiplicity (`jetCounts`) of the selected events of `channel`.
    public func jetStatistics(channel: Channel) -> (median: Double, mean: Double, rms: Double)? {
        Self.statistics(zip(jetCounts, channels).filter { $0.1 == channel }.map { Double($0.0) })
    }

    private static func statistics(_ values: [Double]) -> (median: Double, mean: Double, rms: Double)? {
        let column = values.sorted()
        guard !column.isEmpty else { return nil }
        let n = Double(column.count)
        let mean = column.reduce(0, +) / n
        let rms = (column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        let median =
            column.count % 2 == 1
            ? column[column.count / 2]
            : 0.5 * (column[column.count / 2 - 1] + column[column.count / 2])
        return (median, mean, rms)
    }

    /// The separation ranking of the 24 features for the paper's mixture, when both classes are present.
    public func ranking() -> [(name: String, separation: Double)]? {
        guard channels.contains(where: \.isSignal), channels.contains(where: { !$0.isSignal && $0 != .minBias }) else {
            return nil
        }
        let keep = channels.indices.filter { channels[$0] != .minBias }
        var perChannel = [Channel: Int]()
        for i in keep { perChannel[channels[i], default: 0] += 1 }
        // Each channel's events share the channel's fraction of its class.
        let weight = { (i: Int) in ClassMixture.paper[channels[i]]! / Double(perChannel[channels[i]]!) }
        let signal = keep.filter { channels[$0].isSignal }, background = keep.filter { !channels[$0].isSignal }
        return FeatureNames.h.indices.map { f in
            let separation =
                (try? Separation.ofFeature(
                    signal: signal.map { Double(features[$0][f]) }, signalWeights: signal.map(weight),
                    background: background.map { Double(features[$0][f]) }, backgroundWeights: background.map(weight)))
                ?? 0
            return (FeatureNames.h[f], separation)
        }.sorted { $0.1 > $1.1 }
    }

    /// A text report: the cutflow, the feature statistics per channel and the ranking.
    public func report() -> String {
        var s = "Cutflow (cumulative efficiency, met > \(Int(selection.metCut)) GeV):\n" + cutflow.table()
        s += "\nSelected / total:"
        for c in Channel.allCases where cutflow.total(c) > 0 {
            s += "  \(c.name) \(cutflow.selected(c))/\(cutflow.total(c))"
        }
        s += "\n\nFeatures of selected events (median / mean / rms):\n"
        let present = Channel.allCases.filter { c in channels.contains(c) }
        let rows =
            FeatureNames.h.enumerated().map { f, name in (name, { statistics(feature: f, channel: $0) }) }
            + [("n_jets(pT>30)", { jetStatistics(channel: $0) })]
        for (name, statistics) in rows {
            s += name.padding(toLength: 18, withPad: " ", startingAt: 0)
            for c in present {
                if let st = statistics(c) {
                    s += " \(c.name)=" + String(format: "%.3g/%.3g/%.3g", st.median, st.mean, st.rms)
                }
            }
            s += "\n"
        }
        if let r = ranking() {
            s += "\nSeparation <S^2> (signal 44.8% S_EW + 55.2% S_QCD vs paper background mixture):\n"
            for (i, e) in r.enumerated() {
                s +=
                    "\(i + 1). " + e.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                    + String(format: "%6.2f%%\n", 100 * e.separation)
            }
        }
        return s
    }
}
