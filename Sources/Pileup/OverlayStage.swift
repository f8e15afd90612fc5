import Checksum
import Events
import Foundation
import MPI
import Stages
import Workers

/// The `overlay` stage: one work unit per input events file, written to `out/<same name>`
/// with the per-event N in `pileup/n`, then `out/overlay-manifest.json` (last, atomically).
/// Runs alone or on many MPI ranks (master/worker); the output bytes do not depend on the
/// number of ranks. A rerun skips files already complete.
public struct OverlayStage {
    public var inputs: [String]
    public var library: [String]
    public var outputDirectory: String
    public var overlay: PileupOverlay
    /// The output folder claimed before anything is written (set from the command's options).
    public var claim: OutputClaim?

    public init(inputs: [String], library: [String], outputDirectory: String, overlay: PileupOverlay) {
        self.inputs = inputs
        self.library = library
        self.outputDirectory = outputDirectory
        self.overlay = overlay
    }

    /// What one unit did; goes into the manifest.
    public struct UnitReport: UnitSummary, Equatable {
        public var input: String
        public var output: String
        public var channel: String
        public var events: Int
        /// Σ N and Σ N² over the file's events.
        public var pileupSum: Int
        public var pileupSquares: Int
    }

    /// `overlay-manifest.json`.
    public struct Manifest: Codable, Equatable {
        public var format = "vbfgrid.overlay"
        public var formatVersion = 1
        public var mean: Double
        public var seed: UInt64
        public var keepHardObjects: Bool
        public var library: [LibraryFile]
        public var libraryEvents: Int
        public var libraryMeanSumEt: Double
        public var units: [UnitReport]
    }

    public struct LibraryFile: Codable, Equatable {
        public var path: String
        public var sha256: String
    }

    public static let manifestName = "overlay-manifest.json"

    /// Runs the stage on every rank of `world`; rank 0 writes the manifest.
    public func run(on world: Communicator) throws {
        let files = try EventPaths.expand(inputs)
        if world.rank == 0 {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        }
        let output = try claim?.take(on: world)
        defer { output?.release() }
        world.barrier()
        let lib = try MinimumBiasLibrary(paths: library)
        let outputs = files.map {
            URL(fileURLWithPath: outputDirectory).appendingPathComponent(URL(fileURLWithPath: $0).lastPathComponent)
                .path
        }
        guard Set(outputs).count == outputs.count else {
            throw EventFileError(
                file: outputDirectory, path: "/", message: "two inputs have the same file name; outputs would collide")
        }
        let pool = WorkPool(communicator: world, stage: "overlay ⟨N⟩=\(overlay.mean)")
        let reports = pool.run(
            unitCount: files.count, describe: { files[$0] },
            completed: { unit in try existingReport(input: files[unit], output: outputs[unit]) },
            process: { unit in try overlayFile(files[unit], into: outputs[unit], library: lib) })
        guard let reports else { return }
        let manifest = Manifest(
            mean: overlay.mean, seed: overlay.seed, keepHardObjects: overlay.keepHardObjects,
            library: try lib.files.map { LibraryFile(path: $0, sha256: try SHA256.hex(fileAt: $0)) },
            libraryEvents: lib.towers.count, libraryMeanSumEt: lib.meanSumET, units: reports)
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(manifest).write(
            to: URL(fileURLWithPath: outputDirectory).appendingPathComponent(Self.manifestName),
            options: .atomic)
    }

    /// Overlays one file (streamed in chunks).
    func overlayFile(_ input: String, into output: String, library: MinimumBiasLibrary) throws -> UnitReport {
        let reader = try EventFileReader(path: input)
        guard let channel = Channel(name: reader.header.channel) else {
            throw EventFileError(
                file: input, path: "/@channel", message: "is '\(reader.header.channel)', expected one channel")
        }
        var header = reader.header
        header.generator += " + pileup(mean \(overlay.mean), seed \(overlay.seed))"
        let writer = try EventFileWriter(path: output, header: header, extraColumns: ["pileup/n"])
        var sum = 0, squares = 0, index = reader.header.firstEvent
        try reader.forEachChunk { events in
            for var event in events {
                var rng = overlay.stream(channel: channel, eventIndex: index)
                let n = overlay.overlay(&event, library: library, rng: &rng)
                try writer.append(event, extras: [Int32(n)])
                sum += n
                squares += n * n
                index += 1
            }
        }
        try writer.finish()
        return UnitReport(
            input: input, output: output, channel: channel.name, events: reader.count,
            pileupSum: sum, pileupSquares: squares)
    }

    /// The report of an output that is already complete (it exists only once renamed into place).
    func existingReport(input: String, output: String) throws -> UnitReport? {
        guard FileManager.default.fileExists(atPath: output) else { return nil }
        let reader = try EventFileReader(path: output)
        let n = try reader.extraColumn("pileup/n", start: 0, count: reader.count) ?? []
        return UnitReport(
            input: input, output: output, channel: reader.header.channel, events: reader.count,
            pileupSum: n.reduce(0) { $0 + Int($1) }, pileupSquares: n.reduce(0) { $0 + Int($1) * Int($1) })
    }
}
