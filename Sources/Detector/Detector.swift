import Foundation
import Events

/// The detector simulation: particle-level event → calorimeter towers, reconstructed e/μ/γ,
/// anti-kt R = 0.5 jets from the towers (p_T > 20 GeV) and calorimeter MET |−Σ towers p⃗_T|.
public struct Detector: Sendable {
    public var calorimeter = Calorimeter()
    public var objects = ObjectReconstruction()
    public var jets = AntiKt(radius: 0.5, ptMin: 20)

    /// The stage tag of the detector's random streams (see `RandomStream`).
    public static let randomStage: UInt64 = 2

    public init() {}

    /// Reconstructs one event; `rng` drives the smearing and the efficiencies.
    public func reconstruct(_ event: ParticleEvent, rng: inout RandomStream) -> Event {
        let towers = calorimeter.towers(from: event.particles, rng: &rng)
        let leptons = objects.objects(from: event.particles, rng: &rng)
        return Event(towers: towers, jets: jets.cluster(towers), leptons: leptons,
                     met: Kinematics.missingET(towers), channel: event.channel, weight: event.weight)
    }

    /// Re-derives jets and MET after the towers changed (e.g. pileup overlay).
    public func recluster(_ event: inout Event) {
        event.jets = jets.cluster(event.towers)
        event.met = Kinematics.missingET(event.towers)
    }
}
