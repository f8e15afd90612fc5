import Foundation
import HDF5
import MPI

/// `outputs.h5` of `vbfgrid evaluate`: one row per validation event, in the split's order.
///
/// ```
/// /                @format="vbfgrid.outputs" @format_version=1 @network @run @dataset @jes_factors [1.1, 0.9] (with JES)
/// /score           float32 [n]    P(signal)
/// /label           uint8 [n]      1 signal, 0 background
/// /channel         uint8 [n]      0 S_EW, 1 S_QCD, 2 Z_QCD, 3 W_QCD, 4 Z_EW, 5 W_EW
/// /weight          float32 [n]    the data set's event weight
/// /event_id        int64 [n, 2]   (source file index, event index)
/// /score_jes_up    float32 [n]    with --jes: inputs scaled by 1.1 (pixels or energy-like features)
/// /score_jes_down  float32 [n]    with --jes: scaled by 0.9
/// ```
/// Datasets are contiguous and uncompressed, written collectively by every rank (MPI-IO), so
/// the bytes do not depend on the number of ranks.
public struct EvaluationOutputs: Sendable, Equatable {
    public static let format = "vbfgrid.outputs"
    public static let fileName = "outputs.h5"

    public var score: [Float]
    public var label: [UInt8]
    public var channel: [UInt8]
    public var weight: [Float]
    /// Flattened [n, 2].
    public var eventID: [Int64]
    public var scoreJESUp: [Float]?
    public var scoreJESDown: [Float]?
    public var network: String
    public var run: String
    public var dataset: String

    public init(
        score: [Float], label: [UInt8], channel: [UInt8], weight: [Float], eventID: [Int64],
        scoreJESUp: [Float]? = nil, scoreJESDown: [Float]? = nil, network: String, run: String, dataset: String
    ) {
        self.score = score
        self.label = label
        self.channel = channel
        self.weight = weight
        self.eventID = eventID
        self.scoreJESUp = scoreJESUp
        self.scoreJESDown = scoreJESDown
        self.network = network
        self.run = run
        self.dataset = dataset
    }

    public var count: Int { score.count }
    public var hasJES: Bool { scoreJESUp != nil && scoreJESDown != nil }

    /// Reads and checks a file written by `write`.
    public static func read(from path: String) throws -> EvaluationOutputs {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EvaluationError("\(path): no such file (run vbfgrid evaluate first)")
        }
        let file = try HDF5File(opening: path)
        let format = file.hasAttribute("format") ? try file.stringAttribute("format") : "(none)"
        guard format == Self.format else {
            throw EvaluationError("\(path): attribute 'format' is '\(format)', expected '\(Self.format)'")
        }
        let hasJES = file.contains("score_jes_up") && file.contains("score_jes_down")
        let outputs = EvaluationOutputs(
            score: try file.read("score", as: Float.self), label: try file.read("label", as: UInt8.self),
            channel: try file.read("channel", as: UInt8.self), weight: try file.read("weight", as: Float.self),
            eventID: try file.read("event_id", as: Int64.self),
            scoreJESUp: hasJES ? try file.read("score_jes_up", as: Float.self) : nil,
            scoreJESDown: hasJES ? try file.read("score_jes_down", as: Float.self) : nil,
            network: try file.stringAttribute("network"), run: try file.stringAttribute("run"),
            dataset: try file.stringAttribute("dataset"))
        let n = outputs.count
        for (name, count) in [
            ("label", outputs.label.count), ("channel", outputs.channel.count), ("weight", outputs.weight.count),
            ("event_id", outputs.eventID.count / 2), ("score_jes_up", outputs.scoreJESUp?.count ?? n),
            ("score_jes_down", outputs.scoreJESDown?.count ?? n),
        ] where count != n {
            throw EvaluationError("\(path): dataset '\(name)' has \(count) rows, 'score' has \(n)")
        }
        return outputs
    }

    /// Writes this rank's rows (`self`, the events `offset ..< offset + count` of `total`) into
    /// `path` together with every other rank of `communicator`: all ranks create the file under a
    /// temporary name, write their slices collectively (a rank may have none), close it, and rank
    /// 0 renames it into place after a barrier. Every rank must call this with the same `total`,
    /// attributes and JES presence.
    public func writeCollectively(to path: String, offset: Int, total: Int, communicator: Communicator) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial").path
        do { try writeSlice(to: temporary, offset: offset, total: total, communicator: communicator) } catch {
            if communicator.rank == 0 { try? FileManager.default.removeItem(atPath: temporary) }
            throw error
        }
        communicator.barrier()
        if communicator.rank == 0 { try HDF5File.replace(path, with: temporary) }
        communicator.barrier()
    }

    /// Writes every row from one process (temporary name, then rename).
    public func write(to path: String) throws {
        let temporary = HDF5File.temporaryPath(for: path)
        try writeSlice(to: temporary, offset: 0, total: count, communicator: nil)
        try HDF5File.replace(path, with: temporary)
    }

    private func writeSlice(to path: String, offset: Int, total: Int, communicator: Communicator?) throws {
        let file = try HDF5File(creating: path, communicator: communicator)
        try file.setAttribute("format", Self.format)
        try file.setAttribute("format_version", 1)
        try file.setAttribute("network", network)
        try file.setAttribute("run", run)
        try file.setAttribute("dataset", dataset)
        if hasJES { try file.setAttribute("jes_factors", [JESVariation.upFactor, JESVariation.downFactor]) }
        func column<T: HDF5Element>(_ name: String, _ values: [T], width: Int = 1) throws {
            let shape = width == 1 ? [total] : [total, width]
            let dataset = try file.createDataset(name, of: T.self, shape: shape)
            try dataset.write(
                values, start: width == 1 ? [offset] : [offset, 0], count: width == 1 ? [count] : [count, width])
        }
        try column("score", score)
        try column("label", label)
        try column("channel", channel)
        try column("weight", weight)
        try column("event_id", eventID, width: 2)
        if let scoreJESUp, let scoreJESDown {
            try column("score_jes_up", scoreJESUp)
            try column("score_jes_down", scoreJESDown)
        }
        try file.close()
    }
}
