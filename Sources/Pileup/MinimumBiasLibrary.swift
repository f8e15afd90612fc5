import Checksum
import Detector
import Events
import Foundation

/// The min-bias events that pileup is drawn from (channel MINBIAS), held in memory as tower
/// lists: a few thousand events of ~150 towers is a few MB.
public struct MinimumBiasLibrary: Sendable {
    public let towers: [[Tower]]
    public let files: [String]
    /// Mean Σ E_T per min-bias event (GeV).
    public let meanSumET: Double
    /// The η edges of the calorimeter rings that `rings` refers to.
    public let etaEdges: [Double]
    /// The calorimeter ring of every tower (−1 outside the coverage): a rotation in φ keeps it.
    public let rings: [[Int32]]

    /// A library of tower lists already in memory (`files` empty); `geometry` is the
    /// calorimeter whose rings are precomputed.
    public init(towers: [[Tower]], geometry: CalorimeterGeometry = .standard) {
        self.init(towers: towers, files: [], geometry: geometry)
    }

    private init(towers: [[Tower]], files: [String], geometry: CalorimeterGeometry) {
        precondition(!towers.isEmpty, "a min-bias library needs events")
        self.towers = towers
        self.files = files
        etaEdges = geometry.etaEdges
        rings = towers.map { $0.map { Int32(geometry.ring(eta: Double($0.eta)) ?? -1) } }
        meanSumET = towers.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + Double($1.et) } } / Double(towers.count)
    }

    /// Loads every events file given (files, or folders of `*.h5`); all must be MINBIAS.
    /// `geometry` is the calorimeter whose rings are precomputed.
    public init(paths: [String], geometry: CalorimeterGeometry = .standard) throws {
        var all: [[Tower]] = []
        var files: [String] = []
        for path in try EventPaths.expand(paths) {
            let reader = try EventFileReader(path: path)
            guard reader.header.channel == Channel.minBias.name else {
                throw EventFileError(
                    file: path, path: "/@channel",
                    message: "is '\(reader.header.channel)', a min-bias library needs \(Channel.minBias.name) events")
            }
            try reader.forEachChunk { events in all += events.map(\.towers) }
            files.append(path)
        }
        guard !all.isEmpty else {
            throw EventFileError(
                file: paths.joined(separator: ", "), path: "/", message: "the min-bias library has no events")
        }
        self.init(towers: all, files: files, geometry: geometry)
    }
}
