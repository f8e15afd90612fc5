import ArgumentParser
import Foundation
import Events
import FastSim

/// `vbfgrid generate`: fastsim (or Pythia 8) + detector into `vbfgrid.events` files (optionally
/// keeping the `vbfgrid.particles` files too), one file or shards of `--shard-size` events.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate events of one channel with the built-in fast simulation or Pythia 8.",
        discussion: """
        Runs fastsim (particle level) and the detector (calorimeter towers, e/μ/γ, anti-kt R=0.5 jets, \
        calorimeter MET) and writes vbfgrid.events v1 files (docs/formats.md). Every generated event is \
        written; the selection happens later. n_generated counts every attempt, including generator-level \
        vetoes (W events whose lepton would be found, and the two-stage preselection of attempts that cannot \
        pass the baseline selection: docs/physics.md). Event i of (seed, channel) is the same whatever the \
        sharding. --min-invisible-pt sets the preselection's invisible-p_T floor (default 160 GeV; lower it \
        for samples meant for high pileup, where more events below the floor reach met > 200); \
        --no-particle-preselection skips the preselection's particle-level stage (its loss also grows with \
        pileup). Channels: \(Channel.allCases.map(\.name).joined(separator: ", ")).
        With --shard-size K (or when --out is an existing directory), --out is a directory receiving \
        <CHANNEL>-s<SEED>-<NNNNN>.h5 shards of K events (one shard of N events without --shard-size); \
        --shard-index k writes only shard k, the same file as in the full run (one array task per shard).
        --generator pythia runs Pythia 8.317 (tools/pythia, in a Python venv created on first use: \
        .build/pythia-venv or $VBFGRID_PYTHIA_VENV; `make pythia` creates it ahead) for the particles, then the \
        same detector. Shard k gets the Pythia seed derived from (seed, channel, k), so its events depend on \
        the shard size. Z_EW and W_EW are proxies with Pythia (VBF scalar at the V mass; docs/physics.md).
        """)

    /// Where the particles come from.
    enum Generator: String, ExpressibleByArgument, CaseIterable { case fastsim, pythia }

    @Option(help: "Event generator: fastsim (built in) or pythia (Pythia 8 through tools/pythia).")
    var generator: Generator = .fastsim
    @Option(help: "Channel name (S_EW, S_QCD, Z_QCD, W_QCD, Z_EW, W_EW, MINBIAS).") var channel: String
    @Option(help: "Number of events to write.") var events: Int
    @Option(help: "Random seed (non-negative integer).") var seed: Int
    @Option(help: "Output events file, or a directory with --shard-size.") var out: String
    @Option(help: "Events per shard; --out is then a directory.") var shardSize: Int?
    @Option(help: "Write only shard number K (0-based) of the sharded request: one array task per shard.")
    var shardIndex: Int?
    @Flag(help: "Also write the particle-level file (<events file name>.particles.h5).") var keepParticles = false
    @Option(help: "fastsim preselection: minimum invisible p_T of the hard process in GeV (0: no floor).")
    var minInvisiblePt = Preselection().minInvisiblePt
    @Flag(help: "fastsim preselection: skip its particle-level stage (jets and MET of the fragmented hard process).")
    var noParticlePreselection = false

    func validate() throws {
        guard events > 0 else { throw ValidationError("--events must be a positive number of events, got \(events)") }
        guard seed >= 0 else { throw ValidationError("--seed must be non-negative, got \(seed)") }
        guard minInvisiblePt >= 0 && minInvisiblePt.isFinite else {
            throw ValidationError("--min-invisible-pt must be a non-negative number of GeV, got \(minInvisiblePt)")
        }
        if let shardSize, shardSize <= 0 { throw ValidationError("--shard-size must be positive, got \(shardSize)") }
        if let shardIndex {
            guard let shardSize else { throw ValidationError("--shard-index needs --shard-size") }
            let shards = (events + shardSize - 1) / shardSize
            guard (0..<shards).contains(shardIndex) else {
                throw ValidationError("--shard-index must be in 0…\(shards - 1) (\(events) events in shards of \(shardSize)), got \(shardIndex)")
            }
        }
        _ = try FastSimPipeline.channel(named: channel)
    }

    func run() throws {
        let ch = try FastSimPipeline.channel(named: channel)
        let shards = try plannedShards(ch)
        let chosen = shardIndex.map { [$0] } ?? Array(shards.indices)
        if generator == .pythia {
            let pythia = PythiaPipeline(tools: try PythonTools.locate(), channel: ch, seed: seed)
            for index in chosen {
                let shard = shards[index]
                let header = try pythia.generate(shard: index, first: shard.first, count: shard.count, path: shard.path,
                                                 keepParticles: keepParticles)
                print("\(shard.path): \(shard.count) \(ch.name) events, n_generated \(header.nGenerated)")
            }
            return
        }
        var pipeline = FastSimPipeline(channel: ch, seed: UInt64(seed))
        pipeline.simulation.preselection.minInvisiblePt = minInvisiblePt
        pipeline.simulation.preselection.particles.enabled = !noParticlePreselection
        let generatorName = ch == .minBias ? "vbfgrid fastsim \(FastSim.version)"
            : "vbfgrid fastsim \(FastSim.version) (preselection: invisible p_T >= \(minInvisiblePt) GeV, "
                + (noParticlePreselection ? "hard process only)" : "hard process and particle level)")
        for shard in chosen.map({ shards[$0] }) {
            let header = FileHeader(format: FileHeader.eventsFormat, generator: generatorName, seed: seed, channel: ch.name,
                                    nGenerated: 0, crossSectionFb: pipeline.simulation.crossSectionFb, firstEvent: shard.first)
            let writer = try EventFileWriter(path: shard.path, header: header)
            var particleHeader = header
            particleHeader.format = FileHeader.particlesFormat
            let particleWriter = keepParticles ? try ParticleFileWriter(path: OutputPath.particlesPath(for: shard.path),
                                                                        header: particleHeader) : nil
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

    /// The output files: one, or shards of `--shard-size` events in the `--out` directory.
    private func plannedShards(_ ch: Channel) throws -> [(path: String, first: Int, count: Int)] {
        var shards: [(path: String, first: Int, count: Int)] = []
        var isDirectory: ObjCBool = false
        let outIsDirectory = FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory) && isDirectory.boolValue
        if shardSize != nil || outIsDirectory {
            let shardSize = shardSize ?? events
            try OutputPath.ensureDirectory(out)
            var first = 0, index = 0
            while first < events {
                let name = String(format: "%@-s%d-%05d.h5", ch.name, seed, index)
                shards.append((URL(fileURLWithPath: out).appendingPathComponent(name).path, first, min(shardSize, events - first)))
                first += shardSize; index += 1
            }
        } else {
            try OutputPath.ensureParentWritable(out)
            shards = [(out, 0, events)]
        }
        return shards
    }
}
