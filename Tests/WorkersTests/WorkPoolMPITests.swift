import Foundation
import TestSupport
import Testing

/// The master/worker pool under real mpirun (`vbfgrid selftest workpool`): identical outputs for
/// any rank count, reruns that redo only missing units, and failures that end every rank.
@Suite(.serialized)
struct WorkPoolMPITests {
    func runPool(ranks: Int, in folder: URL, extra: [String] = []) throws -> ProcessOutput {
        try Launcher.mpirun(
            ranks: ranks, ["selftest", "workpool", "--dir", folder.path, "--units", "13"] + extra,
            timeout: 120)
    }

    func contents(_ folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            result[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return result
    }

    @Test func outputsAreIdenticalForOneTwoThreeAndFiveRanks() throws {
        var reference: [String: Data]?
        for ranks in [1, 2, 3, 5] {
            let folder = TestPaths.temporaryDirectory("workpool-\(ranks)")
            let run = try runPool(ranks: ranks, in: folder)
            #expect(run.status == 0, "\(ranks) ranks: \(run.combined)")
            let files = try contents(folder)
            #expect(files.count == 14, "13 unit files + manifest with \(ranks) ranks")
            if let reference {
                #expect(files == reference, "\(ranks) ranks differ from 1 rank")
            } else {
                reference = files
            }
            #expect(run.stderr.contains("13/13 units"), "progress lines on the master")
        }
    }

    @Test func rerunRedoesOnlyMissingUnits() throws {
        let folder = TestPaths.temporaryDirectory("workpool-rerun")
        #expect(try runPool(ranks: 3, in: folder).status == 0)
        let complete = try contents(folder)
        for unit in [0, 4, 12] {
            try FileManager.default.removeItem(at: folder.appendingPathComponent(String(format: "unit-%03d.txt", unit)))
        }
        let keptDate =
            try FileManager.default.attributesOfItem(
                atPath: folder.appendingPathComponent("unit-005.txt").path)[.modificationDate] as? Date
        let rerun = try runPool(ranks: 3, in: folder)
        #expect(rerun.status == 0)
        #expect(rerun.stderr.contains("13 units (10 already complete)"))
        #expect(try contents(folder) == complete)
        let laterDate =
            try FileManager.default.attributesOfItem(
                atPath: folder.appendingPathComponent("unit-005.txt").path)[.modificationDate] as? Date
        #expect(keptDate == laterDate, "a complete unit was rewritten")
    }

    @Test func aFailingUnitEndsEveryRankWithItsName() throws {
        let folder = TestPaths.temporaryDirectory("workpool-fail")
        let started = Date()
        let run = try runPool(ranks: 3, in: folder, extra: ["--fail-unit", "7"])
        #expect(!run.timedOut)
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(run.status != 0)
        #expect(run.stderr.contains("unit 7 (unit-007.txt)"), "\(run.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: folder.appendingPathComponent("manifest.json").path),
            "no manifest after a failure")
    }
}
