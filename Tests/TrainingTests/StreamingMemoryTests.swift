import Datasets
import Foundation
import NeuralNet
import TestSupport
import Testing
import Training

/// Reading a whole epoch of images in the training order keeps memory bounded by the block
/// cache, not by the data set.
struct StreamingMemoryTests {
    static func residentMB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
        }
        return 0
    }

    @Test func anEpochOfImagesStreamsWithBoundedMemory() throws {
        let dir = TestPaths.temporaryDirectory("streaming")
        // 127 MB of raw images.
        try ToyDataset.write(to: dir, train: 12000, validation: 50, variants: [.pjLR], shardSize: 2000)
        let manifest = try DatasetManifest.load(from: dir.path)
        let source = try BatchSource(
            reader: SplitReader(
                directory: dir.path, manifest: manifest, split: "train",
                input: .image(.pjLR)))
        let order = EpochOrder(events: source.count).permutation(seed: 3, epoch: 0)
        let before = Self.residentMB()
        var seen = 0, checksum = 0.0
        for start in stride(from: 0, to: order.count, by: 300) {
            let batch = try source.batch(order[start..<min(start + 300, order.count)])
            seen += batch.count
            checksum += Double(batch.inputs.reduce(0, +))
        }
        let growth = Self.residentMB() - before
        #expect(seen == 12000 && checksum > 0)
        #expect(growth < 64, "resident memory grew by \(growth) MB while streaming 127 MB of images")
    }
}
