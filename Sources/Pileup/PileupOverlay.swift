import Detector
import Events
import Foundation

/// Pileup overlay (paper §6): each hard event gets N ~ Poisson(⟨N⟩) min-bias events drawn
/// uniformly with replacement from the library, each rotated by a uniform random φ (as Delphes'
/// PileUpMerger does); their towers are added to the event's on the calorimeter grid (same-cell
/// deposits summed). No pileup subtraction. By default jets and MET are then recomputed from
/// the merged towers (anti-kt, calorimeter MET); `keepHardObjects` keeps the hard event's jets
/// and MET (the paper's image-level merge). An event with N = 0 is left exactly as it was.
public struct PileupOverlay: Sendable {
    public var mean: Double
    public var seed: UInt64
    public var keepHardObjects = false
    public var detector = Detector()

    public init(mean: Double, seed: UInt64) {
        self.mean = mean
        self.seed = seed
    }

    /// The random stream of one hard event: a function of (seed, channel, the event's index in
    /// its channel's stream) only — not of shards, ranks or completion order.
    public func stream(channel: Channel, eventIndex: Int) -> RandomStream {
        RandomStream(seed: seed, stage: .pileup, unit: UInt64(channel.rawValue), index: UInt64(eventIndex))
    }

    /// Overlays pileup on `event`; returns the number N of min-bias events added.
    public func overlay(_ event: inout Event, library: MinimumBiasLibrary, rng: inout RandomStream) -> Int {
        let n = Poisson.sample(mean: mean, rng: &rng)
        guard n > 0 else { return 0 }
        let geometry = detector.calorimeter.geometry
        let ringsKnown = library.etaEdges == geometry.etaEdges
        var sums = CellSums(geometry: geometry)
        for t in event.towers { sums.add(t) }
        for _ in 0..<n {
            let pick = Int(rng.next() % UInt64(library.towers.count))
            let rotation = Float(rng.uniform(-Double.pi, Double.pi))
            if ringsKnown {
                sums.add(library.towers[pick], rings: library.rings[pick], rotatedBy: rotation)
            } else {
                for t in library.towers[pick] {
                    sums.add(Tower(et: t.et, eta: t.eta, phi: Kinematics.wrapPhi(t.phi + rotation)))
                }
            }
        }
        let merged = sums.towers()
        event.towers = merged.towers
        if !keepHardObjects { detector.recluster(&event, cells: merged.cells) }
        return n
    }
}
