import Datasets
import Foundation
import HDF5
import TestSupport
import Testing

/// Shards written in blocks read back by range; the manifest round-trips; bad files are named.
struct DatasetShardTests {
    let folder = TestPaths.temporaryDirectory("dataset")

    func rows(_ n: Int, offset: Int, variants: [ImageVariant]) -> DatasetRows {
        var r = DatasetRows()
        let events = offset..<(offset + n) // every value is a function of the global event index
        for v in variants {
            r.images[v] = events.flatMap { e in (0..<v.geometry.pixels).map { Float((e * 7 + $0) % 97) } }
        }
        r.features[.K] = (0..<(n * 8)).map { Float($0 + offset * 8) }
        r.features[.R] = (0..<(n * 16)).map { Float($0 + offset * 16) / 2 }
        r.label = (0..<n).map { UInt8(($0 + offset) % 2) }
        r.channel = (0..<n).map { UInt8(($0 + offset) % 6) }
        r.weight = (0..<n).map { Float($0 + offset) / 10 }
        r.eventID = (0..<n).flatMap { [Int64(3), Int64($0 + offset)] }
        return r
    }

    @Test func shardWrittenInBlocksReadsBackByRange() throws {
        let path = folder.appendingPathComponent("shard-00000.h5").path
        let variants: [ImageVariant] = [.pjLR, .pmetHR]
        let writer = try DatasetShardWriter(path: path, split: "train", variants: variants)
        try writer.append(rows(40, offset: 0, variants: variants))
        try writer.append(rows(25, offset: 40, variants: variants))
        #expect(!FileManager.default.fileExists(atPath: path), "not in place before finish()")
        try writer.finish()

        let reader = try DatasetShardReader(path: path)
        #expect(reader.count == 65 && reader.variants == variants)
        let all = rows(65, offset: 0, variants: variants)
        let px = ImageVariant.pmetHR.geometry.pixels
        #expect(try reader.images(.pmetHR, 38..<45) == Array(all.images[.pmetHR]![(38 * px)..<(45 * px)]))
        #expect(try reader.images(.pjLR, 0..<65) == all.images[.pjLR]!)
        #expect(try reader.features(.K, 10..<12) == Array(all.features[.K]![80..<96]))
        #expect(try reader.features(.R, 64..<65) == Array(all.features[.R]![(64 * 16)..<(65 * 16)]))
        #expect(try reader.labels(0..<65) == all.label)
        #expect(try reader.channels(60..<65) == Array(all.channel[60..<65]))
        #expect(try reader.weights(0..<3) == [0, 0.1, 0.2])
        #expect(try reader.eventIDs(41..<42) == [3, 41])
        #expect(px == 125 * 95)
        let error = #expect(throws: DatasetError.self) { _ = try reader.images(.pjHR, 0..<1) }
        #expect(error?.description.contains("no images/PJ-HR") == true)
    }

    @Test func aFileOfAnotherFormatIsRefusedByName() throws {
        let path = folder.appendingPathComponent("events.h5").path
        try HDF5File.writeAtomically(to: path) { try $0.setAttribute("format", "vbfgrid.events") }
        let error = #expect(throws: DatasetError.self) { _ = try DatasetShardReader(path: path) }
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("'vbfgrid.events', expected 'vbfgrid.dataset'") == true)
    }

    @Test func manifestRoundTripsAndNamesAMissingField() throws {
        let manifest = DatasetManifest(
            variants: [.pjLR], metCut: 200, pileupMean: 20,
            splits: [
                "train": .init(
                    events: 10, eventsPerChannel: ["S_EW": 10],
                    shards: [.init(file: "train/shard-00000.h5", events: 10)])
            ],
            channels: [
                .init(name: "S_EW", id: 0, generated: 100, selected: 10, selectionEfficiency: 0.1, crossSectionFb: 3500)
            ],
            features: ["K": .init(names: ["deta_jj"], mean: [4], std: [1.5])], seeds: ["mixing": 7],
            sources: [.init(path: "events/S_EW.h5", sha256: "ab", channel: "S_EW", events: 100)], averageImages: nil)
        try manifest.save(to: folder.path)
        #expect(try DatasetManifest.load(from: folder.path) == manifest)
        let text = try String(contentsOf: folder.appendingPathComponent("manifest.json"), encoding: .utf8)
        #expect(text.contains("\"met_cut\" : 200"))
        try text.replacingOccurrences(of: "\"met_cut\" : 200,", with: "")
            .write(to: folder.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
        let error = #expect(throws: DatasetError.self) { _ = try DatasetManifest.load(from: folder.path) }
        #expect(
            error?.description.contains("missing field 'metCut'") == true
                || error?.description.contains("met_cut") == true,
            "\(error?.description ?? "")")
    }
}
