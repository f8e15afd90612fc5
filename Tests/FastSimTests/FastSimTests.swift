import Events
import FastSim
import Foundation
import Testing

@Suite struct FastSimTests {
    @Test func eventsDependOnlyOnSeedChannelAndIndex() {
        let a = FastSim(channel: .zQCD, seed: 4), b = FastSim(channel: .zQCD, seed: 4)
        #expect(a.generate(index: 17).event == b.generate(index: 17).event)
        #expect(a.generate(index: 17).event != a.generate(index: 18).event)
        #expect(a.generate(index: 17).event != FastSim(channel: .zQCD, seed: 5).generate(index: 17).event)
        #expect(
            a.generate(index: 17).event.particles != FastSim(channel: .zEW, seed: 4).generate(index: 17).event.particles
        )
    }

    /// Min-bias: ⟨N_vis⟩ ≈ 139.5 and ⟨ΣE_T⟩ ≈ 58.2 GeV in |η| < 5 (Pythia 8.317 SoftQCD:inelastic).
    @Test func minBiasMultiplicityAndSumET() {
        let sim = FastSim(channel: .minBias, seed: 1)
        var n = 0.0, sumET = 0.0
        let events = 4000
        for i in 0..<events {
            let particles = sim.generate(index: i).event.particles
            n += Double(particles.count)
            sumET += particles.reduce(0.0) { $0 + Double($1.pt) }
            #expect(particles.allSatisfy { abs($0.eta) < 5 })
        }
        #expect(abs(n / Double(events) - 139.5) < 4, "⟨N⟩ = \(n / Double(events))")
        #expect(abs(sumET / Double(events) - 58.2) < 2.5, "⟨ΣE_T⟩ = \(sumET / Double(events))")
    }

    /// W events: the charged lepton is lost (no e/μ above 10 GeV inside the tracker), and the
    /// vetoed attempts are counted.
    @Test func wLeptonIsLostAndAttemptsCounted() {
        for channel in [Channel.wQCD, .wEW] {
            let sim = FastSim(channel: channel, seed: 2)
            var attempts = 0
            for i in 0..<500 {
                let (event, a, _) = sim.generate(index: i)
                attempts += a
                let found = event.particles.contains { p in
                    (abs(p.pid) == 11 && p.pt > 10 && abs(p.eta) < 2.5)
                        || (abs(p.pid) == 13 && p.pt > 10 && abs(p.eta) < 2.4)
                }
                #expect(!found)
            }
            #expect(attempts > 600, "lost-lepton veto should reject a good part of the W decays, attempts \(attempts)")
        }
        var open = FastSim(channel: .zQCD, seed: 2)
        open.applyPreselection = false
        var attempts = 0
        for i in 0..<200 { attempts += open.generate(index: i).attempts }
        #expect(attempts == 200)
    }

    /// The preselection retries rejected attempts in the event's own stream and counts them: an
    /// event whose first attempt passes both stages is the unpreselected event itself, one whose
    /// first attempt fails takes more attempts; every kept event passes.
    @Test func preselectionRetriesAndCounts() {
        for channel in [Channel.zQCD, .wQCD, .sEW] {
            let sim = FastSim(channel: channel, seed: 3)
            var open = sim
            open.applyPreselection = false
            var rejected = 0
            for i in 0..<300 {
                let kept = sim.generate(index: i), first = open.generate(index: i)
                #expect(kept.verdict.passes)
                if first.verdict.passes {
                    #expect(kept.event == first.event && kept.attempts == first.attempts)
                } else {
                    rejected += 1
                    #expect(kept.attempts > first.attempts)
                }
            }
            #expect(rejected > 0, "\(channel): the preselection should reject some hard processes")
        }
    }

    @Test func channelsHaveDocumentedCrossSections() {
        for c in Channel.physics {
            let m = ChannelModel.model(for: c)
            #expect(m.crossSectionFb > 0 && !m.crossSectionSource.isEmpty)
        }
        #expect(FastSim(channel: .minBias, seed: 0).crossSectionFb == 78.0e12)
    }
}
