import Foundation
import HDF5
import TestSupport
import Testing

/// Several real MPI ranks write slices of one chunked, deflate-compressed dataset collectively
/// (`vbfgrid selftest hdf5-collective`); the file is then read back here, serially.
@Suite(.serialized)
struct CollectiveWriteTests {
    @Test(arguments: [2, 3])
    func ranksWriteSlicesOfOneCompressedDataset(ranks: Int) throws {
        let folder = TestPaths.temporaryDirectory("collective")
        let run = try Launcher.mpirun(
            ranks: ranks, ["selftest", "hdf5-collective", "--dir", folder.path], timeout: 120)
        #expect(run.status == 0, "\(run.combined)")
        #expect(run.stdout.components(separatedBy: "PASSED hdf5-collective").count - 1 == ranks)

        let file = try HDF5File(opening: folder.appendingPathComponent("collective.h5").path)
        #expect(try file.attribute("ranks", as: Int.self) == ranks)
        let dataset = try file.dataset("images/PJ-LR")
        let rows = (0..<ranks).map { $0 + 3 }.reduce(0, +)
        #expect(dataset.shape == [rows, 45])
        let values = try dataset.read(as: Float.self)
        for (i, v) in values.enumerated() {
            let expected = Float(i / 45) * 100 + Float(i % 45) / 8
            if v != expected {
                Issue.record("value \(i) is \(v), expected \(expected)")
                break
            }
        }
    }
}
