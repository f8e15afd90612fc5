import Foundation
import HDF5
import TestSupport
import Testing

@testable import Datasets

/// `SparseDeflate` streams are checked by zlib itself: stored as the chunk of a deflate dataset,
/// HDF5 inflates them on reading (zlib verifies the Adler-32 trailer), and h5py reads them too.
struct SparseDeflateTests {
    let folder = TestPaths.temporaryDirectory("sparse-deflate")

    /// Byte patterns with every case of the encoder: zero runs of every length 1–600 (matches of
    /// 258, tails of 1 and 2), no zeros at all, only zeros, random bytes, sparse floats; lengths
    /// that are not multiples of eight.
    static let patterns: [(String, [UInt8])] = {
        var rng = SystemRandomNumberGenerator()
        var runs: [UInt8] = []
        for length in 1...600 { runs += [UInt8(length % 255 + 1)] + [UInt8](repeating: 0, count: length) }
        var sparse: [Float] = []
        for _ in 0..<(32 * 2655) {
            sparse.append(Double.random(in: 0..<1, using: &rng) < 0.05 ? Float.random(in: 0.1..<80, using: &rng) : 0)
        }
        let sparseBytes = sparse.withUnsafeBytes { Array($0) }
        return [
            ("zero runs 1-600", runs),
            ("no zeros", (0..<1001).map { UInt8($0 % 255 + 1) }),
            ("only zeros", [UInt8](repeating: 0, count: 70_001)),
            ("random bytes", (0..<5003).map { _ in UInt8.random(in: 0...255, using: &rng) }),
            ("one byte", [7]),
            ("sparse floats", sparseBytes),
            ("run after a tail", [1, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 259) + [2, 0, 0, 0, 3]),
        ]
    }()

    @Test(arguments: 0..<patterns.count)
    func hdf5InflatesTheStreamToTheInput(pattern: Int) throws {
        let (name, bytes) = Self.patterns[pattern]
        let path = folder.appendingPathComponent("pattern-\(pattern).h5").path
        let file = try HDF5File(creating: path)
        let dataset = try file.createDataset(
            "bytes", of: UInt8.self, shape: [bytes.count], chunk: [bytes.count], deflate: 1, shuffle: false)
        try dataset.writeChunk(at: [0], bytes: bytes.withUnsafeBytes { SparseDeflate.compress($0) })
        try file.close()
        let back = try HDF5File(opening: path).dataset("bytes").read(as: UInt8.self)
        #expect(back == bytes, "\(name)")
    }

    @Test(arguments: 0..<patterns.count)
    func trailerIsTheAdler32OfTheInput(pattern: Int) {
        let bytes = Self.patterns[pattern].1
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        let stream = bytes.withUnsafeBytes { SparseDeflate.compress($0) }
        let trailer = stream.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(trailer == b << 16 | a)
        #expect(stream.prefix(2) == [0x78, 0x01])
    }

    @Test func sparseImagesCompressAndH5pyReadsThem() throws {
        let bytes = Self.patterns[5].1
        let stream = bytes.withUnsafeBytes { SparseDeflate.compress($0) }
        #expect(stream.count * 4 < bytes.count, "5% non-zero floats: \(stream.count) bytes of \(bytes.count)")
        let path = folder.appendingPathComponent("images.h5").path
        let file = try HDF5File(creating: path)
        let dataset = try file.createDataset(
            "images", of: Float.self, shape: [32, 59, 45], chunk: [32, 59, 45], deflate: 1, shuffle: false)
        try dataset.writeChunk(at: [0, 0, 0], bytes: stream)
        try file.close()
        let script =
            "import h5py, numpy, sys; x = h5py.File(sys.argv[1])['images'][()]; "
            + "print(x.shape, int((x != 0).sum()), repr(float(x.astype(numpy.float64).sum())))"
        let run = try Launcher.run("/usr/bin/python3", ["-c", script, path], timeout: 120)
        let floats = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let sum = floats.reduce(0.0) { $0 + Double($1) }
        let fields = run.stdout.split(separator: " ").map(String.init)
        #expect(fields.prefix(4) == ["(32,", "59,", "45)", "\(floats.count { $0 != 0 })"], "\(run.stdout)")
        let pythonSum = try #require(Double(fields.last!.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(abs(pythonSum - sum) <= 1e-12 * sum) // summation order differs
    }
}
