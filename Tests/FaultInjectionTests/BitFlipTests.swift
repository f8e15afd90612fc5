import Foundation
import TestSupport
import Testing

/// Single-bit flips in a shard (issue BAD 8): each flipped copy is read by `vbfgrid verify` in a
/// child process. A flip is detected when the reader fails with a message naming the file, provably
/// harmless when it passes with the same content digest as the intact shard (every dataset's values
/// hash to what the writer recorded, and the attributes a reader uses are unchanged), and missed
/// otherwise — a pass with other content, or a crash. Missed must be 0.
struct BitFlipTests {
    static let flips = 200

    @Test("200 random single-bit flips in a shard: every one detected or provably harmless")
    func flipsAreDetectedOrHarmless() throws {
        let samples = try Samples.folders()
        let shard = samples.dataset + "/train/shard-00000.h5"
        let intact = try Launcher.vbfgrid(["verify", shard]).succeeded()
        let digest = try #require(
            intact.stdout.components(separatedBy: "digest ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: shard))
        let copy = TestPaths.temporaryDirectory("bit-flips").appendingPathComponent("shard-00000.h5")
        var positions = SeededUniform(seed: 2008_05434)
        var detected = 0, harmless = 0, missed: [String] = []
        for _ in 0..<Self.flips {
            let bit = Int(positions.next(in: 0..<Double(bytes.count * 8)))
            var damaged = bytes
            damaged[bit / 8] ^= UInt8(1 << (bit % 8))
            try damaged.write(to: copy)
            let read = try Launcher.vbfgrid(["verify", copy.path], timeout: 60)
            if read.status == 0 {
                if read.stdout.contains("digest \(digest)") {
                    harmless += 1
                } else {
                    missed.append("bit \(bit): read other content")
                }
            } else if read.status == 1 && read.combined.contains(copy.path) {
                detected += 1
            } else {
                missed.append("bit \(bit): exit \(read.status): \(read.combined.suffix(200))")
            }
        }
        print(
            "bit flips in \(bytes.count)-byte shard: \(Self.flips) tried, \(detected) detected, \(harmless) harmless, \(missed.count) missed"
        )
        #expect(missed.isEmpty, "\(missed)")
        #expect(detected + harmless == Self.flips)
        #expect(detected > Self.flips / 2, "most bits of a shard are its data and checksums")
    }
}
