import Metrics
import Statistics

/// The six samples' histograms of one variable, filled with expected-yield weights
/// w = N_c(L)/n_c (n_c: validation events of channel c), optionally with the JES-varied
/// variable filled with the same weights; turned into the HistFactory model of the analysis.
public struct ChannelHistograms: Sendable {
    public var edges: [Double]
    public var nominal: [String: WeightedHistogram]
    public var up: [String: WeightedHistogram]?
    public var down: [String: WeightedHistogram]?

    /// Fills the histograms. `values[e]` is nil for events that fail the analysis cut; values
    /// outside the edges go into the first or last bin. `expected` is N_c(L) by channel name and
    /// `validationCounts` n_c.
    public init(
        edges: [Double], values: [Double?], up: [Double?]? = nil, down: [Double?]? = nil, channel: [UInt8],
        expected: [String: Double], validationCounts: [String: Int]
    ) throws {
        self.edges = edges
        let names = PhysicsTable.channels
        func fill(_ xs: [Double?]) throws -> [String: WeightedHistogram] {
            var h = try Dictionary(uniqueKeysWithValues: names.map { ($0, try WeightedHistogram(edges: edges)) })
            let lo = edges[0], hi = edges[edges.count - 1]
            for (x, c) in zip(xs, channel) {
                guard let x, Int(c) < names.count else { continue }
                let name = names[Int(c)]
                h[name]!.fill(min(max(x, lo), hi), weight: expected[name]! / Double(validationCounts[name]!))
            }
            return h
        }
        nominal = try fill(values)
        self.up = try up.map(fill)
        self.down = try down.map(fill)
    }

    /// The model: μ on S_EW and S_QCD, Σw² as staterror, normsys, lumi, JES histosys.
    public func model(_ settings: SystematicsSettings) -> HistFactoryModel {
        let samples = PhysicsTable.channels.map { name in
            let h = nominal[name]!
            let withShape = settings.jes && up != nil && down != nil
            return Sample(
                name: name, counts: h.sumw, sumw2: settings.staterror ? h.sumw2 : nil,
                isSignal: PhysicsTable.signalChannels.contains(name),
                xsecUncertainty: settings.crossSectionUncertainty[name],
                shapeUp: withShape ? up![name]!.sumw : nil, shapeDown: withShape ? down![name]!.sumw : nil)
        }
        return HistFactoryModel(samples: samples, lumiUncertainty: settings.lumiUncertainty)
    }
}
