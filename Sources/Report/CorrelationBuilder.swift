import Datasets
import Evaluation
import Metrics

/// Class-wise Pearson correlations between the highest-separation features (K and R) and the
/// outputs of every network (first seed of each), over the validation events they share (paper fig. 14).
enum CorrelationBuilder {
    /// How many of the top features enter the matrices.
    static let features = 4

    static func build(
        dataset: String, outputs: [(network: String, seed: Int?, path: String)],
        separation: [SeparationEntry]
    ) throws -> [CorrelationMatrix] {
        let manifest = try DatasetManifest.load(from: dataset)
        let sets: [(set: FeatureSet, names: [String])] = [
            (.K, manifest.features["K"]?.names ?? []),
            (.R, manifest.features["R"]?.names ?? []),
        ]
        // The top features as (feature set, column) in separation order.
        let top: [(set: Int, column: Int, name: String)] = Array(
            separation.compactMap { entry in
                sets.indices.lazy.compactMap { s in
                    sets[s].names.firstIndex(of: entry.feature).map { (s, $0, entry.feature) }
                }.first
            }.prefix(features))
        // Validation events by event id: the top features, label, weight.
        var index: [[Int64]: Int] = [:]
        var values: [[Float]] = [], label: [Bool] = [], weight: [Double] = []
        for shard in manifest.splits["validation"]?.shards ?? [] {
            let reader = try DatasetShardReader(path: "\(dataset)/\(shard.file)")
            let range = 0..<reader.count
            let ids = try reader.eventIDs(range)
            let columns = try sets.map { try reader.features($0.set, range) }
            let labels = try reader.labels(range), weights = try reader.weights(range)
            for i in range {
                index[[ids[2 * i], ids[2 * i + 1]]] = values.count
                values.append(top.map { columns[$0.set][sets[$0.set].names.count * i + $0.column] })
                label.append(labels[i] == 1)
                weight.append(Double(weights[i]))
            }
        }
        // One output column per network (its lowest seed), aligned to the validation events.
        var firstSeed: [String: (seed: Int?, path: String)] = [:]
        for o in outputs where firstSeed[o.network] == nil || (o.seed ?? 0) < (firstSeed[o.network]!.seed ?? 0) {
            firstSeed[o.network] = (o.seed, o.path)
        }
        let networks = firstSeed.keys.sorted { (PaperTable1.order($0), $0) < (PaperTable1.order($1), $1) }
        var scores: [[Double?]] = []
        for network in networks {
            let c = try EvaluationOutputs.read(from: firstSeed[network]!.path)
            var column = [Double?](repeating: nil, count: values.count)
            for i in c.score.indices {
                if let row = index[[c.eventID[2 * i], c.eventID[2 * i + 1]]] { column[row] = Double(c.score[i]) }
            }
            scores.append(column)
        }
        let shared = values.indices.filter { row in scores.allSatisfy { $0[row] != nil } }
        guard shared.count > 2 else {
            throw ReportError("\(dataset): the outputs share fewer than 3 validation events")
        }
        let columns =
            top.indices.map { j in shared.map { Double(values[$0][j]) } } + scores.map { s in shared.map { s[$0]! } }
        let labels = top.map { FeatureLabels.shortLabel($0.name) } + networks
        let matrices = try Correlation.classWise(
            columns, isSignal: shared.map { label[$0] }, weights: shared.map { weight[$0] })
        return [
            CorrelationMatrix(className: "signal", labels: labels, values: matrices.signal),
            CorrelationMatrix(className: "background", labels: labels, values: matrices.background),
        ]
    }
}
