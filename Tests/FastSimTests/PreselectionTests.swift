import Detector
import Events
import FastSim
import Foundation
import Selection
import Testing

/// The generator-level preselection against the full chain: events generated without it
/// (`applyPreselection = false`, which only records the verdicts of its two stages),
/// reconstructed and selected (met > 200). Among the selected events, those the preselection
/// would have rejected are its loss; `vbfgrid bench fastsim --preselection-loss` measures
/// 0.2–0.7% per channel without pileup (of which the particle-level stage 0.03–0.2%). The bounds
/// here, 3% for both stages and 1.5% for the particle-level stage alone on 400–2,000 selected
/// events per channel, fail if a part of the preselection starts to cut into the selected sample.
/// Each stage must also reject a good share of what reaches it (its purpose).
@Suite struct PreselectionTests {
    static let events: [Channel: Int] = [.sQCD: 20_000, .zQCD: 20_000, .wQCD: 60_000, .wEW: 20_000]

    /// Event counts of one channel: all, selected, rejected by the preselection and selected
    /// among them; the particle-level stage on the hard processes that pass the first stage.
    struct Tally {
        var total = 0, selected = 0, rejected = 0, lost = 0
        var reached = 0, rejectedByParticles = 0, lostByParticles = 0
        static func += (a: inout Tally, b: Tally) {
            a.total += b.total
            a.selected += b.selected
            a.rejected += b.rejected
            a.lost += b.lost
            a.reached += b.reached
            a.rejectedByParticles += b.rejectedByParticles
            a.lostByParticles += b.lostByParticles
        }
    }

    final class Counts: @unchecked Sendable {
        let lock = NSLock()
        var tallies: [Channel: Tally] = [:]
        func add(_ c: Channel, _ t: Tally) {
            lock.lock()
            tallies[c, default: Tally()] += t
            lock.unlock()
        }
    }

    @Test func preselectionKeepsTheSelectedSample() {
        var units: [(channel: Channel, range: Range<Int>)] = []
        for (channel, n) in Self.events.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            for start in stride(from: 0, to: n, by: 20_000) { units.append((channel, start..<min(n, start + 20_000))) }
        }
        let counts = Counts(), work = units
        DispatchQueue.concurrentPerform(iterations: work.count) { k in
            let (channel, range) = work[k]
            var sim = FastSim(channel: channel, seed: 77)
            sim.applyPreselection = false
            let detector = Detector(), selection = BaselineSelection(metCut: 200)
            var t = Tally()
            for i in range {
                let generated = sim.generate(index: i), verdict = generated.verdict
                t.total += 1
                if !verdict.passes { t.rejected += 1 }
                if verdict.hardProcess {
                    t.reached += 1
                    if !verdict.particles { t.rejectedByParticles += 1 }
                }
                var rng = RandomStream(seed: 77, stage: .detector, unit: UInt64(channel.rawValue), index: UInt64(i))
                if selection.passes(detector.reconstruct(generated.event, rng: &rng)) {
                    t.selected += 1
                    if !verdict.passes { t.lost += 1 }
                    if verdict.hardProcess && !verdict.particles { t.lostByParticles += 1 }
                }
            }
            counts.add(channel, t)
        }
        for channel in Self.events.keys {
            let t = counts.tallies[channel]!
            #expect(t.selected > 400, "\(channel): \(t.selected) selected")
            #expect(
                Double(t.lost) < 0.03 * Double(t.selected),
                "\(channel): \(t.lost) of \(t.selected) selected events rejected by the preselection")
            #expect(
                Double(t.rejected) > 0.3 * Double(t.total),
                "\(channel): the preselection rejects only \(t.rejected) of \(t.total)")
            #expect(
                Double(t.lostByParticles) < 0.015 * Double(t.selected),
                "\(channel): \(t.lostByParticles) of \(t.selected) selected events rejected by the particle-level stage alone"
            )
            #expect(
                Double(t.rejectedByParticles) > 0.2 * Double(t.reached),
                "\(channel): the particle-level stage rejects only \(t.rejectedByParticles) of \(t.reached)")
        }
    }
}
