import Foundation
import HDF5
import TestSupport
import Testing

/// Serial HDF5 files written and read in this process (no MPI_Init needed), errors that name the
/// file and the object, and interoperability with h5py in both directions.
struct HDF5RoundTripTests {
    let folder = TestPaths.temporaryDirectory("hdf5")

    /// Writes a shard-like file with every element type, chunking, compression and attributes.
    func writeShard(_ path: String) throws {
        let file = try HDF5File(creating: path)
        try file.setAttribute("format", "vbfgrid.test")
        try file.setAttribute("format_version", 1)
        try file.setAttribute("cross_section_fb", 1234.5)
        try file.setAttribute("layer_names", ["conv2d", "average_pooling2d", "dense_1"])
        try file.setAttribute("empty_names", [String]())
        try file.setAttribute("means", [0.5, -1.25])
        let images = try file.createDataset(
            "images/PJ-LR", of: Float.self, shape: [3, 59, 45],
            chunk: [2, 59, 45], deflate: 4)
        try images.write((0..<(3 * 59 * 45)).map { Float($0) / 7 })
        try images.setAttribute("units", "GeV")
        try file.write("weight", [Double]([0.1, 0.2, 0.3]))
        try file.write("event_id", [Int64]([Int64.min, 0, Int64.max]))
        try file.write("pid", [Int32]([11, -13, 22]))
        try file.write("label", [UInt8]([0, 1, 255]), chunk: [2], deflate: 9)
        let offsets = try file.createDataset("towers/offsets", of: Int.self, shape: [0], maxShape: [nil], chunk: [4])
        try offsets.append([0, 5])
        try offsets.append([9, 12, 20])
        try file.close()
    }

    @Test func everyTypeAndAttributeRoundTrips() throws {
        let path = folder.appendingPathComponent("shard.h5").path
        try writeShard(path)
        let file = try HDF5File(opening: path)
        #expect(try file.stringAttribute("format") == "vbfgrid.test")
        #expect(try file.attribute("format_version", as: Int.self) == 1)
        #expect(try file.attribute("cross_section_fb", as: Double.self) == 1234.5)
        #expect(try file.stringArrayAttribute("layer_names") == ["conv2d", "average_pooling2d", "dense_1"])
        #expect(try file.stringArrayAttribute("empty_names") == [])
        #expect(try file.numericAttribute("means", as: Double.self) == [0.5, -1.25])
        let images = try file.dataset("images/PJ-LR")
        #expect(images.shape == [3, 59, 45])
        #expect(try images.read(as: Float.self) == (0..<(3 * 59 * 45)).map { Float($0) / 7 })
        #expect(try images.stringAttribute("units") == "GeV")
        let box = try images.read(as: Float.self, start: [1, 10, 44], count: [2, 2, 1])
        let boxIndices: [Int] = [
            1 * 2655 + 10 * 45 + 44, 1 * 2655 + 11 * 45 + 44, 2 * 2655 + 10 * 45 + 44, 2 * 2655 + 11 * 45 + 44,
        ]
        #expect(box == boxIndices.map { Float($0) / 7 })
        #expect(try file.read("weight", as: Double.self) == [0.1, 0.2, 0.3])
        #expect(try file.read("event_id", as: Int64.self) == [Int64.min, 0, Int64.max])
        #expect(try file.read("pid", as: Int32.self) == [11, -13, 22])
        #expect(try file.read("label", as: UInt8.self) == [0, 1, 255])
        #expect(try file.read("towers/offsets", as: Int.self) == [0, 5, 9, 12, 20])
        #expect(try file.read("pid", as: Double.self) == [11, -13, 22], "numeric conversion on read")
        #expect(try file.group("towers").childNames() == ["offsets"])
        #expect(file.contains("images/PJ-LR") && !file.contains("images/PJ-HR"))
    }

    @Test func missingDatasetAndAttributeNameTheFileAndPath() throws {
        let path = folder.appendingPathComponent("shard.h5").path
        try writeShard(path)
        let file = try HDF5File(opening: path)
        let missing = #expect(throws: HDF5Error.self) { try file.dataset("towers/et") }
        #expect(missing?.file == path)
        #expect(missing?.object == "/towers/et")
        #expect(missing?.description.contains("missing dataset") == true)
        let attribute = #expect(throws: HDF5Error.self) { try file.group("towers").stringAttribute("format") }
        #expect(attribute?.description.contains("/towers") == true)
        #expect(attribute?.description.contains("'format'") == true)
        let outside = #expect(throws: HDF5Error.self) {
            try file.dataset("label").read(as: UInt8.self, start: [2], count: [5])
        }
        #expect(outside?.description.contains("outside") == true)
    }

    @Test func truncatedAndForeignFilesGiveClearErrors() throws {
        let path = folder.appendingPathComponent("truncated.h5").path
        try writeShard(path)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        #expect(truncate(path, off_t(size / 2)) == 0)
        let error = #expect(throws: HDF5Error.self) {
            let file = try HDF5File(opening: path)
            _ = try file.read("images/PJ-LR", as: Float.self)
        }
        #expect(error?.file == path)
        #expect(error?.description.contains(path) == true)

        let text = folder.appendingPathComponent("notes.h5").path
        try "not an HDF5 file".write(toFile: text, atomically: true, encoding: .utf8)
        let foreign = #expect(throws: HDF5Error.self) { try HDF5File(opening: text) }
        #expect(foreign?.description.contains("not an HDF5 file") == true)

        let absent = folder.appendingPathComponent("absent.h5").path
        let none = #expect(throws: HDF5Error.self) { try HDF5File(opening: absent) }
        #expect(none?.description == "\(absent): /: no such file")
    }

    @Test func sameContentGivesIdenticalBytes() throws {
        let first = folder.appendingPathComponent("first.h5").path,
            second = folder.appendingPathComponent("second.h5").path
        try writeShard(first)
        Thread.sleep(forTimeInterval: 1.1) // a timestamp in the object headers would now differ
        try writeShard(second)
        #expect(FileManager.default.contentsEqual(atPath: first, andPath: second))
    }

    @Test func atomicWriteLeavesTheOldFileWhenTheWriterFails() throws {
        let path = folder.appendingPathComponent("atomic.h5").path
        try HDF5File.writeAtomically(to: path) { try $0.write("x", [Float]([1, 2, 3])) }
        struct Interrupted: Error {}
        #expect(throws: Interrupted.self) {
            try HDF5File.writeAtomically(to: path) { file in
                try file.write("x", [Float]([9, 9]))
                throw Interrupted()
            }
        }
        #expect(try HDF5File(opening: path).read("x", as: Float.self) == [1, 2, 3])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    // MARK: h5py

    func python(_ arguments: [String]) throws -> ProcessOutput {
        let script = TestPaths.repositoryRoot.appendingPathComponent("Tests/HDF5Tests/h5py_interop.py").path
        return try Launcher.run("/usr/bin/python3", [script] + arguments, timeout: 120)
    }

    @Test func h5pyReadsWhatVbfgridWrote() throws {
        let path = folder.appendingPathComponent("for-h5py.h5").path
        try writeShard(path)
        let run = try python(["describe", path])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [String: Any]])
        let root = try #require(json["/"]?["attrs"] as? [String: Any])
        #expect(root["format"] as? String == "vbfgrid.test")
        #expect(root["format_version"] as? Int == 1)
        #expect(root["layer_names"] as? [String] == ["conv2d", "average_pooling2d", "dense_1"])
        let images = try #require(json["images/PJ-LR"])
        #expect(images["dtype"] as? String == "float32")
        #expect(images["shape"] as? [Int] == [3, 59, 45])
        #expect(images["compression"] as? String == "gzip")
        #expect(images["shuffle"] as? Bool == true)
        #expect(images["chunks"] as? [Int] == [2, 59, 45])
        let values = try #require(images["values"] as? [Double])
        #expect(values.count == 3 * 59 * 45 && values[700] == Double(Float(700) / 7))
        #expect(json["event_id"]?["dtype"] as? String == "int64")
        #expect(json["label"]?["values"] as? [Int] == [0, 1, 255])
        #expect(json["towers/offsets"]?["values"] as? [Int] == [0, 5, 9, 12, 20])
    }

    @Test func vbfgridReadsWhatH5pyWrote() throws {
        let path = folder.appendingPathComponent("from-h5py.h5").path
        let run = try python(["write", path])
        #expect(run.status == 0, "\(run.stderr)")
        let file = try HDF5File(opening: path)
        #expect(try file.stringAttribute("fixed") == "fixed-length text")
        #expect(try file.stringAttribute("variable") == "variable-length text")
        #expect(try file.stringArrayAttribute("names") == ["conv2d", "dense_1"])
        #expect(try file.stringArrayAttribute("vnames") == ["alpha", "beta", "gamma"])
        #expect(try file.attribute("count", as: Int.self) == 42)
        #expect(try file.attribute("scale", as: Double.self) == 2.5)
        let f32 = try file.dataset("group/nested/f32")
        #expect(f32.shape == [3, 4])
        #expect(try f32.read(as: Float.self) == (0..<12).map { Float($0) / 4 })
        #expect(try file.read("group/nested/f64", as: Double.self) == [-1, -0.5, 0, 0.5, 1])
        #expect(try file.read("i64", as: Int64.self) == [-(1 << 40), 0, 1 << 40])
        #expect(try file.read("i32", as: Int32.self) == [-7, 0, 7])
        #expect(try file.read("u8", as: UInt8.self) == [0, 6, 255])
    }
}
