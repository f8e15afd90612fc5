import Detector
import Events
import FastSim

/// The built-in chain fastsim → detector for one event, with the random streams the
/// `generate` and `detector` stages share: fastsim event i of (seed, channel), then the
/// detector stream (seed, `RandomStage.detector`, channel, i).
public struct FastSimPipeline: Sendable {
    public var simulation: FastSim
    public let detector = Detector()

    public init(channel: Channel, seed: UInt64) { simulation = FastSim(channel: channel, seed: seed) }

    /// Event `index`: particles, reconstructed event, attempts, and whether it passes the
    /// generator-level preselection (see `FastSim.applyPreselection`).
    public func event(_ index: Int) -> (
        particles: ParticleEvent, event: Event, attempts: Int, verdict: Preselection.Verdict
    ) {
        let (particles, attempts, verdict) = simulation.generate(index: index)
        var rng = Detector.randomStream(seed: simulation.seed, channel: simulation.channel, index: index)
        return (particles, detector.reconstruct(particles, rng: &rng), attempts, verdict)
    }
}
