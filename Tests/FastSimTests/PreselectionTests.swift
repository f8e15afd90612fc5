import Foundation
import Testing
import Events
import Detector
import FastSim
import Selection

/// The generator-level preselection against the full chain: events generated without it
/// (`applyPreselection = false`, which only records its verdict), reconstructed and selected
/// (met > 200). Among the selected events, those the preselection would have rejected are its
/// loss; `vbfgrid bench fastsim --preselection-loss` measures 0.1–0.5% per channel without
/// pileup. The bound here, 3% on 400–2,000 selected events per channel, fails if a part of the
/// preselection starts to cut into the selected sample.
/// The preselection must also reject a good share of the unselected events (its purpose).
@Suite struct PreselectionTests {
    static let events: [Channel: Int] = [.sQCD: 20_000, .zQCD: 20_000, .wQCD: 60_000, .wEW: 20_000]

    final class Counts: @unchecked Sendable {
        let lock = NSLock()
        var selected: [Channel: Int] = [:], lost: [Channel: Int] = [:], rejected: [Channel: Int] = [:], total: [Channel: Int] = [:]
        func add(_ c: Channel, selected s: Int, lost l: Int, rejected r: Int, total t: Int) {
            lock.lock()
            selected[c, default: 0] += s; lost[c, default: 0] += l; rejected[c, default: 0] += r; total[c, default: 0] += t
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
            var selected = 0, lost = 0, rejected = 0
            for i in range {
                let generated = sim.generate(index: i)
                if !generated.preselected { rejected += 1 }
                var rng = RandomStream(seed: 77, stage: Detector.randomStage, unit: UInt64(channel.rawValue), index: UInt64(i))
                if selection.passes(detector.reconstruct(generated.event, rng: &rng)) {
                    selected += 1
                    if !generated.preselected { lost += 1 }
                }
            }
            counts.add(channel, selected: selected, lost: lost, rejected: rejected, total: range.count)
        }
        for channel in Self.events.keys {
            let selected = counts.selected[channel]!, lost = counts.lost[channel]!
            #expect(selected > 400, "\(channel): \(selected) selected")
            #expect(Double(lost) < 0.03 * Double(selected), "\(channel): \(lost) of \(selected) selected events rejected by the preselection")
            #expect(Double(counts.rejected[channel]!) > 0.3 * Double(counts.total[channel]!),
                    "\(channel): the preselection rejects only \(counts.rejected[channel]!) of \(counts.total[channel]!)")
        }
    }
}
