import Foundation
import Testing
import Events
import Detector
import FastSim
import Selection

/// fastsim + detector + baseline selection (met > 200) against the Pythia 8.317 + FastJet
/// medians of notes/pythia8.md, and the separation ranking of the paper's fig. 7.
///
/// In a debug build the default sample is 4,000 generated events per channel (≈ 300–1,000
/// selected), with bounds widened from 15% to 20% for the statistics; set
/// VBFGRID_CALIBRATION_EVENTS ≥ 60000 for the full check with 15% bounds, e.g.
/// `VBFGRID_CALIBRATION_EVENTS=100000 swift test -c release --filter CalibrationTests`
/// (≈ 2.5 min; ≥ 8,700 selected events per channel except W_QCD, ≈ 2,300 because of its 2.3%
/// acceptance per kept event). `vbfgrid bench fastsim` prints the same figures.
@Suite struct CalibrationTests {
    static let events = Int(ProcessInfo.processInfo.environment["VBFGRID_CALIBRATION_EVENTS"] ?? "") ?? 4000
    static var tolerance: Double { events >= 60_000 ? 0.15 : 0.20 }

    static let summary: SampleSummary = {
        let detector = Detector()
        var summary = SampleSummary(selection: BaselineSelection(metCut: 200))
        for channel in Channel.physics {
            let sim = FastSim(channel: channel, seed: 2024)
            for i in 0..<events {
                var rng = RandomStream(seed: 2024, stage: Detector.randomStage, unit: UInt64(channel.rawValue), index: UInt64(i))
                summary.add(detector.reconstruct(sim.generate(index: i).event, rng: &rng))
            }
        }
        return summary
    }()

    static let targets: [(Channel, deta: Double, mjj: Double)] = [
        (.sEW, 4.2, 1000), (.sQCD, 2.8, 600), (.zQCD, 2.9, 500), (.wQCD, 2.5, 430),
    ]

    @Test func mediansMatchPythia() throws {
        for (channel, deta, mjj) in Self.targets {
            let d = try #require(Self.summary.statistics(feature: 0, channel: channel)).median
            let m = try #require(Self.summary.statistics(feature: 2, channel: channel)).median
            #expect(abs(d / deta - 1) < Self.tolerance, "\(channel) median |Δη_jj| \(d), target \(deta)")
            #expect(abs(m / mjj - 1) < Self.tolerance, "\(channel) median m_jj \(m), target \(mjj)")
        }
    }

    @Test func separationRanking() throws {
        let ranking = try #require(Self.summary.ranking())
        #expect(Set(ranking.prefix(2).map(\.name)) == ["|deta_jj|", "m_jj"], "\(ranking.prefix(4))")
        let third = ranking[2].name
        #expect(third.hasPrefix("HT_"), "third is \(third)")
        if let c = Double(third.dropFirst(3)) { #expect(c >= 1.2 && c <= 2.7, "third is \(third)") }
    }
}
