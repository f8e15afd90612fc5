import Datasets
import Foundation
import MPI
import Stages

/// `vbfgrid evaluate`: scores the validation split of a data set with the best model of a
/// training run. Each rank of `communicator` scores a contiguous slice (rank r: events
/// ⌊r·n/R⌋ ..< ⌊(r+1)·n/R⌋); the slices are written collectively into `OUT/outputs.h5`, and
/// rank 0 gathers the scores and writes `OUT/metrics.json`.
public struct EvaluateStage {
    public var runDirectory: String
    public var dataset: String
    public var outputDirectory: String
    public var jes: Bool
    /// The weight file inside the run folder.
    public var checkpointName = "best.h5"
    /// The output folder claimed before anything is written (set from the command's options).
    public var claim: OutputClaim?

    public init(runDirectory: String, dataset: String, outputDirectory: String, jes: Bool) {
        self.runDirectory = runDirectory
        self.dataset = dataset
        self.outputDirectory = outputDirectory
        self.jes = jes
    }

    /// The slice of `total` events scored by `rank` of `ranks`.
    public static func slice(total: Int, rank: Int, ranks: Int) -> Range<Int> {
        (total * rank / ranks)..<(total * (rank + 1) / ranks)
    }

    /// Scores on every rank of `communicator` and writes the files; returns the metrics on rank 0
    /// (nil on the others).
    @discardableResult
    public func score(communicator: Communicator) throws -> EvaluationMetrics? {
        let checkpoint = URL(fileURLWithPath: runDirectory).appendingPathComponent(checkpointName).path
        guard FileManager.default.fileExists(atPath: checkpoint) else {
            throw EvaluationError("\(checkpoint): no such file (is \(runDirectory) a finished training run?)")
        }
        let scorer = try Scorer(checkpoint: checkpoint, dataset: dataset)
        let columns = try SplitColumns(directory: dataset, manifest: scorer.manifest)
        let total = scorer.reader.count
        guard total > 0 else { throw EvaluationError("\(dataset): the validation split is empty") }
        let mine = Self.slice(total: total, rank: communicator.rank, ranks: communicator.size)
        let rows = EvaluationOutputs(
            score: try scorer.score(mine), label: try columns.labels(mine), channel: try columns.channels(mine),
            weight: try columns.weights(mine), eventID: try columns.eventIDs(mine),
            scoreJESUp: jes ? try scorer.score(mine, variation: .up) : nil,
            scoreJESDown: jes ? try scorer.score(mine, variation: .down) : nil,
            network: scorer.network.rawValue, run: runDirectory, dataset: dataset)
        let path = URL(fileURLWithPath: outputDirectory).appendingPathComponent(EvaluationOutputs.fileName).path
        try rows.writeCollectively(to: path, offset: mine.lowerBound, total: total, communicator: communicator)
        // Everything needed for the metrics, on rank 0.
        let score = communicator.gather(rows.score), label = communicator.gather(rows.label)
        let channel = communicator.gather(rows.channel)
        let up = communicator.gather(rows.scoreJESUp ?? []), down = communicator.gather(rows.scoreJESDown ?? [])
        guard communicator.rank == 0, let score, let label, let channel, let up, let down else { return nil }
        var all = rows
        all.score = score.flatMap { $0 }
        all.label = label.flatMap { $0 }
        all.channel = channel.flatMap { $0 }
        all.scoreJESUp = jes ? up.flatMap { $0 } : nil
        all.scoreJESDown = jes ? down.flatMap { $0 } : nil
        let metrics = try EvaluationMetrics.compute(all, features: try featureColumns(columns, scorer.manifest))
        do {
            try metrics.write(
                to: URL(fileURLWithPath: outputDirectory).appendingPathComponent(EvaluationMetrics.fileName).path)
        } catch {
            try? FileManager.default.removeItem(atPath: path) // no outputs.h5 without its metrics.json
            throw error
        }
        return metrics
    }

    /// The raw K and R features of every validation event, by the manifest's names.
    func featureColumns(_ columns: SplitColumns, _ manifest: DatasetManifest) throws -> EvaluationMetrics.FeatureColumns
    {
        try FeatureSet.allCases.flatMap { set -> EvaluationMetrics.FeatureColumns in
            let values = try columns.features(set, 0..<columns.count)
            let names = manifest.features[set.rawValue]?.names ?? []
            return (0..<set.width).map { f in
                (
                    f < names.count ? names[f] : "\(set.rawValue)\(f)",
                    (0..<columns.count).map { Double(values[$0 * set.width + f]) }
                )
            }
        }
    }
}
