import Events
import FastSim
import Foundation
import Outputs
import Pileup
import Stages

/// `generate`: fastsim (or Pythia 8) + detector into `vbfgrid.events` files (optionally keeping
/// the `vbfgrid.particles` files too), one file or shards of `--shard-size` events; with
/// `--generator files`, copies existing events files of the channel instead.
public struct GenerateStage: SerialStage {
    public var options: Options

    public init(options: Options) { self.options = options }

    /// One output file: events `first ..< first + count` of the (seed, channel) sample.
    public struct Shard: Equatable, Sendable {
        public var path: String
        public var first: Int
        public var count: Int
    }

    public func run() throws {
        let shards = try plannedShards()
        let output = try claimOutput()
        defer { output() }
        let chosen = options.shardIndex.map { [$0] } ?? Array(shards.indices)
        switch options.generator {
        case .fastsim: try generateFastSim(chosen.map { shards[$0] })
        case .pythia:
            let pythia = PythiaPipeline(
                tools: try PythonTools.locate(), channel: options.channel, seed: options.seed,
                partonVeto: options.noPartonVeto ? .off : .on)
            for index in chosen {
                let shard = shards[index]
                let header = try pythia.generate(
                    shard: index, first: shard.first, count: shard.count, path: shard.path,
                    keepParticles: options.keepParticles)
                print("\(shard.path): \(shard.count) \(options.channel.name) events, n_generated \(header.nGenerated)")
            }
        case .files: try copyInputFiles()
        }
    }

    private func generateFastSim(_ shards: [Shard]) throws {
        let ch = options.channel, floor = options.invisiblePtFloor
        var pipeline = FastSimPipeline(channel: ch, seed: UInt64(options.seed))
        pipeline.simulation.preselection.minInvisiblePt = floor
        pipeline.simulation.preselection.particles.enabled = !options.noParticlePreselection
        let generatorName =
            ch == .minBias
            ? "vbfgrid fastsim \(FastSim.version)"
            : "vbfgrid fastsim \(FastSim.version) (preselection: invisible p_T >= \(floor) GeV, "
                + (options.noParticlePreselection ? "hard process only)" : "hard process and particle level)")
        for shard in shards {
            let header = FileHeader(
                format: FileHeader.eventsFormat, generator: generatorName, seed: options.seed, channel: ch.name,
                nGenerated: 0, crossSectionFb: pipeline.simulation.crossSectionFb, firstEvent: shard.first)
            let writer = try EventFileWriter(path: shard.path, header: header)
            var particleHeader = header
            particleHeader.format = FileHeader.particlesFormat
            let particleWriter =
                options.keepParticles
                ? try ParticleFileWriter(path: OutputPath.particlesPath(for: shard.path), header: particleHeader) : nil
            var attempts = 0
            for i in shard.first..<(shard.first + shard.count) {
                let result = pipeline.event(i)
                attempts += result.attempts
                try writer.append(result.event)
                try particleWriter?.append(result.particles)
            }
            try particleWriter?.finish(nGenerated: attempts)
            try writer.finish(nGenerated: attempts)
            print("\(shard.path): \(shard.count) \(ch.name) events, n_generated \(attempts)")
        }
    }

    /// Claims the output: a folder of shards with its producer.json (the shard index does not change
    /// what a shard holds, so every shard of one request continues the same folder); a single
    /// file is rewritten whole, so only its lock (`.NAME.lock` beside it) is taken.
    private func claimOutput() throws -> () -> Void {
        let out = URL(fileURLWithPath: options.out)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return try FolderLock(
                path: out.deletingLastPathComponent().appendingPathComponent(".\(out.lastPathComponent).lock").path,
                purpose: Options.command, busyHint: "two runs cannot write one file"
            ).release
        }
        return try OutputClaim(
            options, folder: options.out, inputs: ["input"], neutral: ["shard-index"], force: options.force
        ).take().release
    }

    /// The output files: one, or shards of `--shard-size` events in the `--out` directory.
    public func plannedShards() throws -> [Shard] {
        let out = options.out, events = options.events
        var isDirectory: ObjCBool = false
        let outIsDirectory =
            FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue
        guard options.shardSize != nil || outIsDirectory else {
            try OutputPath.ensureParentWritable(out)
            return [Shard(path: out, first: 0, count: events)]
        }
        let shardSize = options.shardSize ?? events
        try OutputPath.ensureDirectory(out)
        return stride(from: 0, to: events, by: shardSize).enumerated().map { index, first in
            let name = String(format: "%@-s%d-%05d.h5", options.channel.name, options.seed, index)
            return Shard(
                path: URL(fileURLWithPath: out).appendingPathComponent(name).path, first: first,
                count: min(shardSize, events - first))
        }
    }

    /// `--generator files`: every events file of `--input` (a file or a folder), checked to be of
    /// this channel, copied unchanged into the `--out` folder (under a temporary name, then renamed).
    private func copyInputFiles() throws {
        try OutputPath.ensureDirectory(options.out)
        for path in try EventPaths.expand([options.input!]) {
            let header = try EventFileReader(path: path).header
            guard header.channel == options.channel.name else {
                throw EventFileError(
                    file: path, path: "/@channel", message: "is '\(header.channel)', expected '\(options.channel.name)'"
                )
            }
            let target = URL(fileURLWithPath: options.out).appendingPathComponent(
                URL(fileURLWithPath: path).lastPathComponent)
            let partial = target.deletingLastPathComponent().appendingPathComponent(
                "." + target.lastPathComponent + ".partial")
            try? FileManager.default.removeItem(at: partial)
            try FileManager.default.copyItem(at: URL(fileURLWithPath: path), to: partial)
            guard rename(partial.path, target.path) == 0 else {
                throw EventFileError(
                    file: target.path, path: "/",
                    message: "cannot rename \(partial.path) into place: \(String(cString: strerror(errno)))")
            }
            print("\(target.path): copied from \(path)")
        }
    }
}
