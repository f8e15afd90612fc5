import Events
import Foundation

/// The detector simulation: particle-level event → calorimeter towers, reconstructed e/μ/γ,
/// anti-kt R = 0.5 jets from the towers (p_T > 20 GeV) and calorimeter MET |−Σ towers p⃗_T|.
public struct Detector: Sendable {
    public var calorimeter = Calorimeter()
    public var objects = ObjectReconstruction()
    public var jets = AntiKt(radius: 0.5, ptMin: 20)

    public init() {}

    /// The random stream of event `index` of a (seed, channel) sample: the same whether the
    /// detector runs inside `generate` or on a particles file.
    public static func randomStream(seed: UInt64, channel: Channel, index: Int) -> RandomStream {
        RandomStream(seed: seed, stage: .detector, unit: UInt64(channel.rawValue), index: UInt64(index))
    }

    /// Reconstructs one event; `rng` drives the smearing and the efficiencies.
    public func reconstruct(_ event: ParticleEvent, rng: inout RandomStream) -> Event {
        let towers = calorimeter.towers(from: event.particles, rng: &rng)
        let leptons = objects.objects(from: event.particles, rng: &rng)
        return Event(
            towers: towers, jets: jets.cluster(towers), leptons: leptons,
            met: Kinematics.missingET(towers), channel: event.channel, weight: event.weight)
    }

    /// Re-derives jets and MET after the towers changed (e.g. pileup overlay).
    public func recluster(_ event: inout Event) {
        event.jets = jets.cluster(event.towers)
        event.met = Kinematics.missingET(event.towers)
    }

    /// `recluster(_:)` for towers known to sit at the centres of `cells` (`event.towers[i]` in
    /// cell `cells[i]`, as `CellSums` returns them): the same jets and MET, bit for bit, from
    /// the cells' precomputed trigonometry instead of four sines and cosines per tower.
    public func recluster(_ event: inout Event, cells: [Int32]) {
        let g = calorimeter.geometry
        let n = event.towers.count
        var px = [Double](), py = [Double](), pz = [Double](), e = [Double]()
        px.reserveCapacity(n)
        py.reserveCapacity(n)
        pz.reserveCapacity(n)
        e.reserveCapacity(n)
        var sumX = 0.0, sumY = 0.0
        for (t, c) in zip(event.towers, cells) {
            let cell = Int(c), et = Double(t.et)
            assert(g.cellEta[cell] == t.eta && g.cellPhi[cell] == t.phi, "tower not at the centre of cell \(cell)")
            let cosPhi = g.cellCosPhi[cell], sinPhi = g.cellSinPhi[cell]
            sumX -= et * cosPhi
            sumY -= et * sinPhi
            if t.et > 0 {
                px.append(et * cosPhi)
                py.append(et * sinPhi)
                pz.append(et * g.cellSinhEta[cell])
                e.append(et * g.cellCoshEta[cell])
            }
        }
        event.jets = jets.cluster(px: px, py: py, pz: pz, e: e)
        event.met = Kinematics.missingET(sumX: sumX, sumY: sumY)
    }
}
