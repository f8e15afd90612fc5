import Detector
import Events
import FastSim
import Foundation
import TestSupport
import Testing

/// The FastJet Python package in a venv under .build/, created on first use.
enum FastJetOracle {
    static let python: URL = {
        let venv = TestPaths.repositoryRoot.appendingPathComponent(".build/fastjet-venv")
        let python = venv.appendingPathComponent("bin/python")
        let check = try? Launcher.run(python.path, ["-c", "import fastjet"], timeout: 60)
        if check?.status != 0 {
            _ = try? Launcher.run("/usr/bin/python3", ["-m", "venv", venv.path], timeout: 120)
            _ = try? Launcher.run(
                venv.appendingPathComponent("bin/pip").path,
                ["install", "-q", "fastjet==3.5.2.0", "numpy"], timeout: 600)
        }
        return python
    }()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "fastjet_cluster.py")

    /// Clusters every tower list with FastJet; jets as (pt, eta, phi, mass) in double precision.
    static func cluster(_ events: [[Tower]]) throws -> [[(pt: Double, eta: Double, phi: Double, mass: Double)]] {
        let dir = TestPaths.temporaryDirectory("fastjet")
        let input = dir.appendingPathComponent("towers.bin"), output = dir.appendingPathComponent("jets.bin")
        var data = Data()
        for towers in events {
            withUnsafeBytes(of: Int32(towers.count).littleEndian) { data.append(contentsOf: $0) }
            for t in towers {
                for v in [t.et, t.eta, t.phi] {
                    withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) }
                }
            }
        }
        try data.write(to: input)
        let result = try Launcher.run(python.path, [script.path, input.path, output.path], timeout: 600)
        guard result.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: ["output": result.combined]) }
        let bytes = try Data(contentsOf: output)
        var offset = 0
        func int32() -> Int {
            defer { offset += 4 }
            return Int(bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) })
        }
        func double() -> Double {
            defer { offset += 8 }
            return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Double.self) }
        }
        var out: [[(Double, Double, Double, Double)]] = []
        while offset < bytes.count {
            let n = int32()
            out.append((0..<n).map { _ in (double(), double(), double(), double()) })
        }
        return out.map { $0.map { (pt: $0.0, eta: $0.1, phi: $0.2, mass: $0.3) } }
    }
}

@Suite struct AntiKtFastJetTests {
    /// Tower lists of `perChannel` fastsim events of every channel, optionally with the towers
    /// of `softEvents` min-bias events merged onto the same grid (extra soft particles).
    static func towerLists(perChannel: Int, softEvents: Int) -> [[Tower]] {
        let detector = Detector()
        let minBias = FastSim(channel: .minBias, seed: 99)
        var lists: [[Tower]] = []
        var softIndex = 0
        for channel in Channel.allCases {
            let sim = FastSim(channel: channel, seed: 7)
            for i in 0..<perChannel {
                var rng = RandomStream(seed: 7, stage: .detector, unit: UInt64(channel.rawValue), index: UInt64(i))
                var towers = detector.calorimeter.towers(from: sim.generate(index: i).event.particles, rng: &rng)
                for _ in 0..<softEvents {
                    var srng = RandomStream(seed: 99, stage: .detector, unit: 6, index: UInt64(softIndex))
                    let soft = detector.calorimeter.towers(
                        from: minBias.generate(index: softIndex).event.particles, rng: &srng)
                    towers = detector.calorimeter.merge(towers, soft)
                    softIndex += 1
                }
                lists.append(towers)
            }
        }
        return lists
    }

    @Test(arguments: [0, 20])
    func matchesFastJet(softEvents: Int) throws {
        let lists = Self.towerLists(perChannel: softEvents == 0 ? 300 : 100, softEvents: softEvents)
        let reference = try FastJetOracle.cluster(lists)
        #expect(reference.count == lists.count)
        let antikt = AntiKt(radius: 0.5, ptMin: 20)
        var jetsCompared = 0
        for (towers, expected) in zip(lists, reference) {
            let jets = antikt.cluster(towers)
            #expect(jets.count == expected.count)
            guard jets.count == expected.count else { continue }
            for (j, e) in zip(jets, expected) {
                #expect(abs(Double(j.pt) - e.pt) <= 1e-5 * e.pt, "pt \(j.pt) vs \(e.pt)")
                #expect(abs(Double(j.eta) - e.eta) <= 1e-4, "eta \(j.eta) vs \(e.eta)")
                #expect(Kinematics.absDeltaPhi(Double(j.phi), e.phi) <= 1e-4, "phi \(j.phi) vs \(e.phi)")
                #expect(abs(Double(j.mass) - e.mass) <= 1e-3 * max(1, e.mass), "mass \(j.mass) vs \(e.mass)")
                jetsCompared += 1
            }
        }
        #expect(jetsCompared > lists.count)
    }
}
