import Events
import Foundation
import Selection
import TestSupport
import Testing

/// `vbfgrid generate --generator pythia`: the files validate (vbfgrid's readers and h5py), the
/// selection efficiencies are in the ranges measured for Pythia 8.317, the same seed gives the
/// same bytes, and shards have their own Pythia seeds.
@Suite(.serialized)
struct PythiaGeneratorTests {
    @Test func filesValidateWithVbfgridAndH5py() throws {
        for channel in PythiaSamples.channels + ["MINBIAS"] {
            let files = try PythiaSamples.eventFiles(channel)
            let expected = channel == "MINBIAS" ? PythiaSamples.minBiasEvents : PythiaSamples.events
            var total = 0
            for (k, path) in files.enumerated() {
                let events = try EventFileReader(path: path)
                let particles = try ParticleFileReader(path: OutputPath.particles(path))
                #expect(events.count == particles.count)
                #expect(events.header.channel == channel && events.header.seed == PythiaSamples.seed)
                #expect(events.header.firstEvent == k * PythiaSamples.shardSize)
                #expect(events.header.nGenerated >= events.count && events.header.crossSectionFb > 0)
                #expect(events.header.generator.hasPrefix("pythia8 8.317"))
                #expect(
                    events.header.generator.contains("PROXY") == (channel == "Z_EW" || channel == "W_EW"),
                    "\(events.header.generator)")
                #expect(particles.header.nGenerated == events.header.nGenerated)
                total += events.count
            }
            #expect(total == expected, "\(channel)")
        }
        // h5py, without vbfgrid: layout, attribute types, visible particles with |η| < 5, offsets.
        let report = try PythiaSamples.systemPython(
            """
            import glob, json, sys, h5py, numpy as np
            out = {}
            for path in sorted(glob.glob(sys.argv[1] + '/*/*.particles.h5')):
                with h5py.File(path, 'r') as f:
                    a = f.attrs
                    assert a['format'] == b'vbfgrid.particles' and a['format_version'] == 1, path
                    off = f['particles/offsets'][...]; n = len(f['channel'])
                    assert off[0] == 0 and len(off) == n + 1 and np.all(np.diff(off) >= 0), path
                    for k in ('pt', 'eta', 'phi', 'pid'): assert len(f['particles/' + k]) == off[-1], (path, k)
                    eta = f['particles/eta'][...]; pid = np.abs(f['particles/pid'][...])
                    assert np.all(np.abs(eta) < 5) and np.all(f['particles/pt'][...] > 0), path
                    assert not np.isin(pid, [12, 14, 16, 18, 25, 1000022]).any(), path
                    assert np.all(np.abs(f['particles/phi'][...]) <= np.pi + 1e-6), path
                    ch = a['channel'].decode()
                    sigma = a['cross_section_fb'] * n / a['n_generated']
                    r = out.setdefault(ch, dict(events=0, particles=0, sigma=[]))
                    r['events'] += n; r['particles'] += int(off[-1]); r['sigma'].append(float(sigma))
            print(json.dumps(out))
            """, [PythiaSamples.root.path])
        let r = try JSONSerialization.jsonObject(with: Data(report.utf8)) as! [String: [String: Any]]
        #expect(Set(r.keys) == Set(PythiaSamples.channels + ["MINBIAS"]))
        // Visible multiplicity: min bias about 140 particles per event, hard events several hundred.
        let minBias = Double(r["MINBIAS"]!["particles"] as! Int) / Double(PythiaSamples.minBiasEvents)
        #expect(minBias > 60 && minBias < 300, "min-bias multiplicity \(minBias)")
        let hard = Double(r["Z_QCD"]!["particles"] as! Int) / Double(PythiaSamples.events)
        #expect(hard > 200 && hard < 800, "Z_QCD multiplicity \(hard)")
        // σ of the written events (fb): VBF H with pT(H) > 150 ≈ 0.5 pb, of which the parton-level
        // veto keeps about half (≈ 240 fb); min bias σ_inel = 78 mb.
        func mean(_ channel: String) -> Double {
            let values = r[channel]!["sigma"] as! [Double]
            return values.reduce(0, +) / Double(values.count)
        }
        let sEW = mean("S_EW")
        #expect(sEW > 120 && sEW < 500, "S_EW σ \(sEW) fb")
        let inelastic = mean("MINBIAS")
        #expect(abs(inelastic / 7.8e13 - 1) < 0.05, "σ_inel \(inelastic) fb")
    }

    @Test func selectionEfficienciesAreInThePythiaRanges() throws {
        // Ranges around the Pythia 8.317 measurements with the parton-level veto (docs/physics.md,
        // "The parton-level veto": 10–33% per written event), wide for 300 events.
        let ranges: [String: ClosedRange<Double>] = [
            "S_EW": 0.15...0.60, "S_QCD": 0.10...0.60, "Z_QCD": 0.04...0.50,
            "W_QCD": 0.03...0.50, "Z_EW": 0.15...0.60, "W_EW": 0.03...0.50,
        ]
        let selection = BaselineSelection(metCut: 200)
        for channel in PythiaSamples.channels {
            var selected = 0, total = 0
            for path in try PythiaSamples.eventFiles(channel) {
                let reader = try EventFileReader(path: path)
                try reader.forEachChunk { chunk in
                    for event in chunk where selection.passes(event) { selected += 1 }
                    total += chunk.count
                }
            }
            let efficiency = Double(selected) / Double(total)
            #expect(ranges[channel]!.contains(efficiency), "\(channel): \(selected)/\(total)")
        }
    }

    @Test func sameSeedGivesIdenticalFilesAndShardsDiffer() throws {
        // Shard 1 alone (an array task) is byte for byte the shard 1 of the full run.
        let again = TestPaths.temporaryDirectory("pythia-again")
        let run = try PythiaSamples.generate(channel: "W_EW", events: PythiaSamples.events, out: again, shardIndex: 1)
        #expect(run.status == 0, "\(run.combined)")
        let original = try PythiaSamples.eventFiles("W_EW")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: again.path).filter { $0.hasSuffix(".h5") }.count == 2)
        let name = URL(fileURLWithPath: original[1]).lastPathComponent
        for file in [name, OutputPath.particlesName(name)] {
            let a = try Data(
                contentsOf: URL(fileURLWithPath: original[1]).deletingLastPathComponent().appendingPathComponent(file))
            let b = try Data(contentsOf: again.appendingPathComponent(file))
            #expect(a == b, "\(file) differs between two runs with the same seed")
        }
        let shards = try original.map { try EventFileReader(path: $0) }
        #expect(shards[0].header.generator != shards[1].header.generator, "shards share a Pythia seed")
        let other = TestPaths.temporaryDirectory("pythia-other-seed")
        #expect(
            try PythiaSamples.generate(channel: "W_EW", events: PythiaSamples.shardSize, out: other, seed: 22).status
                == 0)
        let a = try Data(contentsOf: URL(fileURLWithPath: original[0]))
        let b = try Data(contentsOf: other.appendingPathComponent("W_EW-s22-00000.h5"))
        #expect(a != b)
    }

    @Test func badChannelIsAClearError() throws {
        let run = try Launcher.vbfgrid([
            "generate", "--generator", "pythia", "--channel", "TTBAR", "--events", "5",
            "--seed", "1", "--out", TestPaths.temporaryDirectory().appendingPathComponent("x.h5").path,
        ])
        #expect(run.status != 0 && run.stderr.contains("unknown channel 'TTBAR'"), "\(run.combined)")
    }
}

/// The particle file kept beside an events file by `--keep-particles`.
enum OutputPath {
    static func particlesName(_ name: String) -> String { String(name.dropLast(3)) + ".particles.h5" }
    static func particles(_ path: String) -> String { String(path.dropLast(3)) + ".particles.h5" }
}
