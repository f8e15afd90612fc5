import Events
import Foundation

/// The built-in particle-level generator for the six channels and min-bias.
///
/// Event `i` of a (seed, channel) stream is drawn from `RandomStream(seed:, stage: .fastsim,
/// unit: channel, index: i)` alone, so any shard split gives the same events. Generator-level
/// vetoes (a W lepton that would be reconstructed, and the two stages of the `Preselection` of
/// attempts that cannot pass the baseline selection) retry inside the same stream and are
/// counted in `attempts`, so Σ attempts is the honest `n_generated` and σ_gen · (kept /
/// n_generated) the cross section of what was kept. An attempt draws the hard process, fragments
/// its partons and hadronic τ; only a kept attempt gets its soft particles (colour strings,
/// underlying event).
public struct FastSim: Sendable {
    public let channel: Channel
    public let seed: UInt64
    public var model: ChannelModel?
    public var minBias = MinBiasModel()
    /// The generator-level preselection, and whether attempts it rejects are retried. With
    /// `applyPreselection` false the first attempt that passes the lepton veto is kept and
    /// `generate` only reports the verdicts (to measure what the preselection loses).
    public var preselection = Preselection()
    public var applyPreselection = true
    /// Underlying event of hard events: negative-binomial multiplicity in |η| < 5, soft p_T.
    public var underlyingEventMultiplicity = 280.0
    public var underlyingEventMeanPt = 0.5
    /// Soft hadrons per unit rapidity along a colour string, and their mean p_T.
    public var stringDensity = 3.0
    public var stringMeanPt = 0.7

    /// The model's version, in the `generator` attribute of its files ("vbfgrid fastsim N"): raised
    /// whenever a change alters the events of a given seed.
    public static let version = 3

    public init(channel: Channel, seed: UInt64) {
        self.channel = channel
        self.seed = seed
        model = channel == .minBias ? nil : ChannelModel.model(for: channel)
    }

    /// Generator-level cross section per attempt (fb).
    public var crossSectionFb: Double { model?.crossSectionFb ?? minBias.crossSectionFb }

    /// Event `index` of the stream, the number of attempts it took (≥ 1), and the verdicts of the
    /// preselection's two stages on it (both pass when it is applied, and for min-bias).
    public func generate(index: Int) -> (event: ParticleEvent, attempts: Int, verdict: Preselection.Verdict) {
        var rng = RandomStream(seed: seed, stage: .fastsim, unit: UInt64(channel.rawValue), index: UInt64(index))
        var particles: [Particle] = []
        particles.reserveCapacity(512)
        guard let model else {
            let n = rng.negativeBinomial(mean: minBias.meanMultiplicity, k: minBias.multiplicityShape)
            Fragmentation.soft(
                count: n, etaLow: -minBias.etaMax, etaHigh: minBias.etaMax, meanPt: minBias.meanPt,
                shape: minBias.ptShape, into: &particles, rng: &rng)
            return (
                ParticleEvent(particles: particles, channel: channel), 1,
                Preselection.Verdict(hardProcess: true, particles: true)
            )
        }
        var attempts = 0
        var verdict = Preselection.Verdict(hardProcess: true, particles: true)
        var hard: HardProcess?
        while hard == nil {
            attempts += 1
            particles.removeAll(keepingCapacity: true)
            guard let h = HardProcess.generate(model, rng: &rng) else { continue }
            verdict.hardProcess = preselection.accepts(h)
            if applyPreselection && !verdict.hardProcess { continue }
            for p in h.tags { Fragmentation.fragment(p, into: &particles, rng: &rng) }
            for p in h.radiation { Fragmentation.fragment(p, into: &particles, rng: &rng) }
            for t in h.tauJets { Fragmentation.hadronicTau(t, into: &particles, rng: &rng) }
            particles += h.leptons
            verdict.particles = preselection.particles.accepts(
                particles, seeds: h.jetSeeds, minMissingPt: preselection.minInvisiblePt)
            if applyPreselection && !verdict.particles { continue }
            hard = h
        }
        let h = hard!
        // Colour strings: across the gap (QCD) or from each tagging parton to its beam (EW).
        let e0 = h.tags[0].eta, e1 = h.tags[1].eta
        if model.colourConnectedGap {
            let lo = min(e0, e1), hi = max(e0, e1)
            Fragmentation.soft(
                count: rng.poisson(mean: stringDensity * (hi - lo)), etaLow: lo, etaHigh: hi,
                meanPt: stringMeanPt, shape: 1.6, into: &particles, rng: &rng)
        } else {
            for eta in [e0, e1] {
                let beam = eta >= 0 ? 5.0 : -5.0
                Fragmentation.soft(
                    count: rng.poisson(mean: stringDensity * abs(beam - eta)), etaLow: min(eta, beam),
                    etaHigh: max(eta, beam), meanPt: stringMeanPt, shape: 1.6, into: &particles, rng: &rng)
            }
        }
        let nUE = rng.negativeBinomial(mean: underlyingEventMultiplicity, k: 2)
        Fragmentation.soft(
            count: nUE, etaLow: -5, etaHigh: 5, meanPt: underlyingEventMeanPt, shape: 1.6,
            into: &particles, rng: &rng)
        return (ParticleEvent(particles: particles, channel: channel), attempts, verdict)
    }
}
