import ArgumentParser
import Events
import Detector
import FastSim

/// The built-in chain fastsim → detector for one event, with the random streams the
/// `generate` and `detector` commands share: fastsim event i of (seed, channel), then the
/// detector stream (seed, stage 2, channel, i).
struct FastSimPipeline {
    var simulation: FastSim
    let detector = Detector()

    init(channel: Channel, seed: UInt64) { simulation = FastSim(channel: channel, seed: seed) }

    /// The detector's random stream for event `index` of a (seed, channel) sample.
    static func detectorStream(seed: UInt64, channel: Channel, index: Int) -> RandomStream {
        RandomStream(seed: seed, stage: Detector.randomStage, unit: UInt64(channel.rawValue), index: UInt64(index))
    }

    /// Event `index`: particles, reconstructed event, attempts, and whether it passes the
    /// generator-level preselection (see `FastSim.applyPreselection`).
    func event(_ index: Int) -> (particles: ParticleEvent, event: Event, attempts: Int, verdict: Preselection.Verdict) {
        let (particles, attempts, verdict) = simulation.generate(index: index)
        var rng = Self.detectorStream(seed: simulation.seed, channel: simulation.channel, index: index)
        return (particles, detector.reconstruct(particles, rng: &rng), attempts, verdict)
    }

    /// Parses a channel name or throws a validation error listing the valid ones.
    static func channel(named name: String, option: String = "--channel") throws -> Channel {
        guard let c = Channel(name: name) else {
            throw ValidationError("\(option): unknown channel '\(name)'; valid channels: "
                                  + Channel.allCases.map(\.name).joined(separator: ", "))
        }
        return c
    }
}
