import Events
import Foundation
import Stages

/// `generate --generator pythia`: each shard is one run of the Pythia adapter
/// (`tools/pythia/pythia_generate.py`, a `vbfgrid.particles` file) followed by the same detector
/// as fastsim (`DetectorStage.convert`). Shard k of (seed, channel) gets its own Pythia seed,
/// derived from (seed, channel, k), so shards are independent and can run as array tasks; unlike
/// fastsim, the events therefore depend on the shard size.
public struct PythiaPipeline: Sendable {
    /// The adapter's parton-level veto (`tools/pythia/parton_veto.py`): applied (the default),
    /// not used, or only judged, with one verdict per written event in a file (`1`: it would have
    /// dropped the event), for measuring what it loses.
    public enum PartonVeto: Sendable, Equatable {
        case on, off
        case record(verdicts: String)
    }

    public let tools: PythonTools
    public let channel: Channel
    public let seed: Int
    public var partonVeto: PartonVeto

    public init(tools: PythonTools, channel: Channel, seed: Int, partonVeto: PartonVeto = .on) {
        self.tools = tools
        self.channel = channel
        self.seed = seed
        self.partonVeto = partonVeto
    }

    /// Pythia's Random:seed range is 1…900,000,000.
    static let maximumSeed: UInt64 = 900_000_000

    /// The Pythia Random:seed of shard `shard` of the (seed, channel) sample.
    public static func pythiaSeed(seed: Int, channel: Channel, shard: Int) -> Int {
        var stream = RandomStream(
            seed: UInt64(seed), stage: .pythiaSeed, unit: UInt64(channel.rawValue), index: UInt64(shard))
        return Int(stream.next() % maximumSeed) + 1
    }

    /// Generates shard number `shard` (`count` events starting at `first`) into the events file
    /// `path`; keeps the particles file beside it when `keepParticles`. Returns the events header.
    public func generate(shard: Int, first: Int, count: Int, path: String, keepParticles: Bool) throws -> FileHeader {
        let particles =
            keepParticles
            ? OutputPath.particlesPath(for: path)
            : URL(fileURLWithPath: path).deletingLastPathComponent()
                .appendingPathComponent(
                    ".\(URL(fileURLWithPath: path).lastPathComponent).particles-\(ProcessInfo.processInfo.processIdentifier).h5"
                ).path
        defer { if !keepParticles { try? FileManager.default.removeItem(atPath: particles) } }
        try tools.run(
            "pythia_generate.py",
            [
                "--channel", channel.name, "--events", String(count), "--seed", String(seed),
                "--pythia-seed", String(Self.pythiaSeed(seed: seed, channel: channel, shard: shard)),
                "--first-event", String(first), "--out", particles,
            ] + vetoArguments)
        _ = try DetectorStage.convert(particles: particles, events: path)
        return try EventFileReader(path: path).header
    }

    private var vetoArguments: [String] {
        switch partonVeto {
        case .on: ["--veto", "on"]
        case .off: ["--veto", "off"]
        case .record(let verdicts): ["--veto", "record", "--verdicts", verdicts]
        }
    }
}
