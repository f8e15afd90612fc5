import Checksum
import Datasets
import Events
import Foundation
import HDF5
import MPI
import Selection
import Stages
import Workers

/// The `preprocess` stage (paper §2.3–§4): baseline selection of every input event, balanced
/// train and validation sets with the paper's channel mixture, K and R features and tower
/// images, written as a sharded image data set (`Datasets`).
///
/// Two master/worker passes over the input files: (1) select — cutflow and the selected events
/// of each file, plus the file's checksum; then rank 0 chooses the train and validation events
/// (`ClassMixing`) and tells every rank; (2) build — one unit per input file writes
/// `train/shard-NNNNN.h5` and `validation/shard-NNNNN.h5` with that file's chosen events
/// (NNNNN = the file's index). Finally rank 0 writes the average images and, last,
/// `manifest.json` with the feature means and standard deviations over train + validation.
/// The bytes written do not depend on the number of ranks; a rerun skips complete shards.
public struct PreprocessStage {
    public var inputs: [String]
    public var outputDirectory: String
    public var metCut: Float
    public var variants: [ImageVariant]
    public var train: Int
    public var validation: Int
    public var seed: UInt64
    /// Draw the validation events before the training events (`--validation-first`).
    public var validationFirst = false
    /// The output folder claimed before anything is written (set from the command's options).
    public var claim: OutputClaim?

    public init(
        inputs: [String], outputDirectory: String, metCut: Float, variants: [ImageVariant],
        train: Int, validation: Int, seed: UInt64
    ) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
        self.metCut = metCut
        self.variants = variants
        self.train = train
        self.validation = validation
        self.seed = seed
    }

    /// Pass 1 of one input file.
    struct Selected: UnitSummary {
        var path: String
        var sha256: String
        var channel: UInt8
        var events: Int
        var generated: Int
        var crossSectionFb: Double
        var pileupMeanN: Double?
        /// Indices (in the file) of the events passing the baseline selection.
        var selected: [Int]
        /// Cumulative counts after each cut for this file's channel (index 0: all events).
        var cutflow: [Int]
    }

    /// Pass 2 of one input file: what went into its shards.
    struct Built: UnitSummary {
        var events: Int
        var train: Int
        var validation: Int
        var featureSums: [Double]
        var featureSquares: [Double]
        /// Per class (0 background, 1 signal) and variant: Σ images.
        var imageSums: [[[Double]]]
        var classCounts: [Int]
    }

    /// Which events of each file go where (rank 0 decides, every rank follows).
    struct Assignment: Codable {
        var train: [[Int]]
        var validation: [[Int]]
    }

    public func run(on world: Communicator) throws {
        guard train > 0, validation > 0 else { throw PreprocessError("--train and --validation must be positive") }
        let files = try EventPaths.expand(inputs)
        let selection = BaselineSelection(metCut: metCut)
        let selectPool = WorkPool(communicator: world, stage: "preprocess: select")
        let selected: [Selected]? = selectPool.run(
            unitCount: files.count, describe: { files[$0] }, completed: { _ in nil },
            process: { try select(files[$0], selection) })
        // Bad inputs are reported (pass 1 and the class mixing read only) before the folder is claimed.
        let chosen = try selected.map(assign)
        let output = try claim?.take(on: world)
        defer { output?.release() }
        var assignmentBytes: [UInt8] = []
        if let chosen {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
            for split in ["train", "validation"] {
                try FileManager.default.createDirectory(
                    atPath: "\(outputDirectory)/\(split)", withIntermediateDirectories: true)
            }
            assignmentBytes = Array(try JSONEncoder().encode(chosen))
        }
        let assignment = try JSONDecoder().decode(
            Assignment.self, from: Data(world.broadcast(bytes: assignmentBytes, root: 0)))
        let buildPool = WorkPool(communicator: world, stage: "preprocess: build")
        let built: [Built]? = buildPool.run(
            unitCount: files.count, describe: { files[$0] },
            completed: { try existing($0, assignment) },
            process: { try build($0, files[$0], assignment, selection) })
        guard let built, let selected else { return }
        try finish(files: files, selected: selected, built: built, assignment: assignment)
    }

    // MARK: Pass 1

    func select(_ path: String, _ selection: BaselineSelection) throws -> Selected {
        let reader = try EventFileReader(path: path)
        guard let channel = Channel(name: reader.header.channel), Channel.physics.contains(channel) else {
            throw EventFileError(
                file: path, path: "/@channel",
                message: "is '\(reader.header.channel)', expected one of "
                    + Channel.physics.map(\.name).joined(separator: ", "))
        }
        var cutflow = Cutflow(), chosen: [Int] = [], index = 0
        try reader.forEachChunk(withTowers: false) { events in
            for event in events {
                if cutflow.record(event, selection) { chosen.append(index) }
                index += 1
            }
        }
        let n = try reader.extraColumn("pileup/n", start: 0, count: reader.count)
        return Selected(
            path: path, sha256: try SHA256.hex(fileAt: path), channel: channel.rawValue, events: reader.count,
            generated: reader.header.nGenerated, crossSectionFb: reader.header.crossSectionFb,
            pileupMeanN: n.map { Double($0.reduce(0) { $0 + Int($1) }) / Double(max($0.count, 1)) },
            selected: chosen, cutflow: cutflow.counts[Int(channel.rawValue)])
    }

    /// Rank 0: the class-mixed choice of events, as per-file sorted index lists.
    func assign(_ selected: [Selected]) throws -> Assignment {
        struct ID: Hashable {
            var file: Int
            var event: Int
        }
        var pools: [Channel: [ID]] = [:]
        for (f, s) in selected.enumerated() {
            pools[Channel(rawValue: s.channel)!, default: []] += s.selected.map { ID(file: f, event: $0) }
        }
        let missing = Channel.physics.filter { (pools[$0] ?? []).isEmpty }
        if !missing.isEmpty {
            throw PreprocessError(
                "no selected events of " + missing.map(\.name).joined(separator: ", ")
                    + " in the inputs (every one of the six channels is needed for the class mixture)")
        }
        let chosen = try ClassMixing.choose(
            selected: pools, train: train, validation: validation, seed: seed, validationFirst: validationFirst)
        var assignment = Assignment(train: selected.map { _ in [] }, validation: selected.map { _ in [] })
        for ids in chosen.train.values { for id in ids { assignment.train[id.file].append(id.event) } }
        for ids in chosen.validation.values { for id in ids { assignment.validation[id.file].append(id.event) } }
        for f in selected.indices {
            assignment.train[f].sort()
            assignment.validation[f].sort()
        }
        return assignment
    }

    // MARK: Pass 2

    func shardPath(_ split: String, _ file: Int) -> String {
        "\(outputDirectory)/\(split)/shard-\(String(format: "%05d", file)).h5"
    }

    func build(_ unit: Int, _ path: String, _ assignment: Assignment, _ selection: BaselineSelection) throws -> Built {
        let reader = try EventFileReader(path: path)
        var perSplit = [emptyBuilt(), emptyBuilt()]
        let splits = [("train", Set(assignment.train[unit])), ("validation", Set(assignment.validation[unit]))]
        let writers = try splits.map { split, wanted in
            wanted.isEmpty
                ? nil : try DatasetShardWriter(path: shardPath(split, unit), split: split, variants: variants)
        }
        var rows = splits.map { _ in DatasetRows() }
        var imager = EventImager()
        let wanted = (assignment.train[unit] + assignment.validation[unit]).sorted()
        let chunk = 256
        for chunkStart in Set(wanted.map { $0 / chunk * chunk }).sorted() {
            let events = try reader.read(start: chunkStart, count: min(chunk, reader.count - chunkStart))
            for (offset, event) in events.enumerated() {
                let index = chunkStart + offset
                guard let s = splits.firstIndex(where: { $0.1.contains(index) }) else { continue }
                guard selection.passes(event) else {
                    throw PreprocessError(
                        "\(path): event \(index) was selected in the first pass but fails the selection now (did the file change?)"
                    )
                }
                let label: UInt8 = event.channel.isSignal ? 1 : 0
                let k = Features.k(event), r = Features.r(event)
                rows[s].features[.K, default: []] += k
                rows[s].features[.R, default: []] += r
                rows[s].label.append(label)
                rows[s].channel.append(event.channel.rawValue)
                rows[s].weight.append(event.weight)
                rows[s].eventID += [Int64(unit), Int64(index)]
                imager.append(event, variants: variants, to: &rows[s].images)
                add(
                    features: k + r, images: rows[s].images, last: rows[s].count - 1, label: Int(label),
                    to: &perSplit[s])
                if rows[s].count == 256 {
                    try writers[s]!.append(rows[s])
                    rows[s].removeAll()
                }
            }
        }
        for s in splits.indices {
            guard let writer = writers[s] else { continue }
            if rows[s].count > 0 { try writer.append(rows[s]) }
            try writer.finish()
            guard writer.count == splits[s].1.count else {
                throw PreprocessError(
                    "\(path): \(writer.count) events written to the \(splits[s].0) shard, \(splits[s].1.count) chosen")
            }
        }
        var built = merged(perSplit)
        built.train = splits[0].1.count
        built.validation = splits[1].1.count
        built.events = built.train + built.validation
        return built
    }

    /// The element-wise sum of summaries, in the order given. A unit's sums are those of its train
    /// and validation events, each summed in event order: the same additions whether the unit was
    /// built now or read back from its shards (`existing`), so the manifest's statistics do not
    /// depend on which units a rerun skipped; `finish` sums the units the same way.
    private func merged(_ parts: [Built]) -> Built {
        var built = emptyBuilt()
        for part in parts {
            built.events += part.events
            built.train += part.train
            built.validation += part.validation
            for i in built.featureSums.indices {
                built.featureSums[i] += part.featureSums[i]
                built.featureSquares[i] += part.featureSquares[i]
            }
            for c in 0..<2 {
                built.classCounts[c] += part.classCounts[c]
                for v in variants.indices {
                    for p in built.imageSums[c][v].indices { built.imageSums[c][v][p] += part.imageSums[c][v][p] }
                }
            }
        }
        return built
    }

    private func emptyBuilt() -> Built {
        Built(
            events: 0, train: 0, validation: 0, featureSums: Array(repeating: 0, count: 24),
            featureSquares: Array(repeating: 0, count: 24),
            imageSums: [0, 1].map { _ in variants.map { [Double](repeating: 0, count: $0.geometry.pixels) } },
            classCounts: [0, 0])
    }

    private func add(
        features: [Float], images: [ImageVariant: [Float]], last row: Int, label: Int, to built: inout Built
    ) {
        for (i, x) in features.enumerated() {
            built.featureSums[i] += Double(x)
            built.featureSquares[i] += Double(x) * Double(x)
        }
        for (v, variant) in variants.enumerated() {
            let pixels = variant.geometry.pixels
            images[variant]!.withUnsafeBufferPointer { values in
                built.imageSums[label][v].withUnsafeMutableBufferPointer { sums in
                    for p in 0..<pixels { sums[p] += Double(values[row * pixels + p]) }
                }
            }
        }
        built.classCounts[label] += 1
    }

    /// The summary of a unit whose shards are already complete, recomputed from them.
    func existing(_ unit: Int, _ assignment: Assignment) throws -> Built? {
        let wanted = [("train", assignment.train[unit]), ("validation", assignment.validation[unit])].filter {
            !$0.1.isEmpty
        }
        guard wanted.allSatisfy({ FileManager.default.fileExists(atPath: shardPath($0.0, unit)) }) else { return nil }
        var perSplit = [emptyBuilt(), emptyBuilt()]
        var train = 0, validation = 0
        for (split, indices) in wanted {
            let s = split == "train" ? 0 : 1
            let shard = try DatasetShardReader(path: shardPath(split, unit))
            guard shard.count == indices.count, shard.variants == variants else { return nil }
            let k = try shard.features(.K, 0..<shard.count), r = try shard.features(.R, 0..<shard.count)
            let labels = try shard.labels(0..<shard.count)
            let images = Dictionary(
                uniqueKeysWithValues: try variants.map { ($0, try shard.images($0, 0..<shard.count)) })
            for e in 0..<shard.count {
                let features = Array(k[(e * 8)..<(e * 8 + 8)]) + Array(r[(e * 16)..<(e * 16 + 16)])
                add(features: features, images: images, last: e, label: Int(labels[e]), to: &perSplit[s])
            }
            if s == 0 { train = shard.count } else { validation = shard.count }
        }
        var built = merged(perSplit)
        built.train = train
        built.validation = validation
        built.events = train + validation
        return built
    }

    // MARK: Rank 0: average images and the manifest

    func finish(files: [String], selected: [Selected], built: [Built], assignment: Assignment) throws {
        let all = merged(built)
        let total = Double(all.events), images = all.imageSums, classCounts = all.classCounts
        let mean = all.featureSums.map { $0 / total }
        let std = zip(all.featureSquares, mean).map { max($0 / total - $1 * $1, 0).squareRoot() }
        let averageName = "average-images.h5"
        try HDF5File.writeAtomically(to: "\(outputDirectory)/\(averageName)") { file in
            try file.setAttribute("events_per_class", classCounts)
            for (c, name) in [(0, "background"), (1, "signal")] {
                for (v, variant) in variants.enumerated() {
                    let g = variant.geometry
                    try file.write(
                        "\(name)/\(variant.rawValue)", images[c][v].map { Float($0 / Double(max(classCounts[c], 1))) },
                        shape: [g.height, g.width])
                }
            }
        }
        var splits: [String: DatasetManifest.Split] = [:]
        for (split, lists) in [("train", assignment.train), ("validation", assignment.validation)] {
            var perChannel: [String: Int] = [:]
            var shards: [DatasetManifest.Shard] = []
            for (f, list) in lists.enumerated() where !list.isEmpty {
                perChannel[Channel(rawValue: selected[f].channel)!.name, default: 0] += list.count
                shards.append(.init(file: "\(split)/shard-\(String(format: "%05d", f)).h5", events: list.count))
            }
            splits[split] = .init(
                events: lists.reduce(0) { $0 + $1.count }, eventsPerChannel: perChannel, shards: shards)
        }
        let channels = Channel.physics.map { channel -> DatasetManifest.Channel in
            let mine = selected.filter { $0.channel == channel.rawValue }
            let generated = mine.reduce(0) { $0 + $1.generated }, chosen = mine.reduce(0) { $0 + $1.selected.count }
            return .init(
                name: channel.name, id: Int(channel.rawValue), generated: generated, selected: chosen,
                selectionEfficiency: Double(chosen) / Double(max(generated, 1)),
                crossSectionFb: mine.first?.crossSectionFb ?? 0)
        }
        let pileup = selected.compactMap(\.pileupMeanN)
        let manifest = DatasetManifest(
            variants: variants, metCut: Double(metCut),
            pileupMean: pileup.isEmpty ? nil : pileup.reduce(0, +) / Double(pileup.count),
            splits: splits, channels: channels,
            features: [
                "K": .init(names: FeatureNames.k, mean: Array(mean[0..<8]), std: Array(std[0..<8])),
                "R": .init(names: FeatureNames.r, mean: Array(mean[8...]), std: Array(std[8...])),
            ],
            seeds: ["mixing": seed],
            sources: selected.map {
                .init(path: $0.path, sha256: $0.sha256, channel: Channel(rawValue: $0.channel)!.name, events: $0.events)
            },
            averageImages: averageName)
        try manifest.save(to: outputDirectory)
    }
}
