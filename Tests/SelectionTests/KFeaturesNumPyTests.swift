import Events
import Foundation
import Selection
import TestSupport
import Testing

/// K features against NumPy, reading the jets and MET of an events file with h5py.
@Suite struct KFeaturesNumPyTests {
    @Test func matchesNumPyFromTheFile() throws {
        let dir = TestPaths.temporaryDirectory()
        let path = dir.appendingPathComponent("k.h5").path, npy = dir.appendingPathComponent("k.npy").path
        var r = RandomStream(seed: 21)
        let events = (0..<500).map { i in FeaturesTests.randomEvent(&r, jets: i % 5) }
        let writer = try EventFileWriter(
            path: path,
            header: FileHeader(
                format: FileHeader.eventsFormat, generator: "test", seed: 0,
                channel: "Z_QCD", nGenerated: 500, crossSectionFb: 1))
        for e in events { try writer.append(e) }
        try writer.finish()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("k_features.py")
            .path
        let run = try Launcher.run("/usr/bin/python3", [script, path, npy], timeout: 120)
        #expect(run.status == 0, "\(run.combined)")
        let data = try Data(contentsOf: URL(fileURLWithPath: npy))
        let headerLength = Int(data[8]) | Int(data[9]) << 8
        let values: [Double] = data.dropFirst(10 + headerLength).withUnsafeBytes {
            Array($0.bindMemory(to: Double.self))
        }
        #expect(values.count == 500 * 9)
        var compared = 0
        for (i, e) in events.enumerated() {
            let row = Array(values[(9 * i)..<(9 * i + 9)])
            #expect((row[0] == 1) == (e.jets.count >= 2))
            guard e.jets.count >= 2 else { continue }
            for (f, v) in Features.k(e).enumerated() {
                let expected = row[f + 1]
                #expect(
                    abs(Double(v) - expected) <= 1e-4 * max(1, abs(expected)), "event \(i) feature \(FeatureNames.k[f])"
                )
            }
            compared += 1
        }
        #expect(compared > 250)
    }
}
