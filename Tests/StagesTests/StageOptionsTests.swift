import ArgumentParser
import Foundation
import Stages
import Testing

/// The pieces every stage's options share: numbers written as the command line wants them,
/// comma lists that parse back into themselves, and output paths checked before any work.
struct StageOptionsTests {
    @Test func numbersRoundTripThroughTheirArgumentSpelling() throws {
        for value in [20.0, 2.5, 0.001, 1e20, -3.0] {
            #expect(try Double(parsing: value.argument) == value, "\(value)")
        }
        #expect(20.0.argument == "20" && 2.5.argument == "2.5" && Float(200).argument == "200")
        #expect(throws: ValidationError.self) { try Double(parsing: "nan") }
        #expect(throws: ValidationError.self) { try Double(parsing: "twenty") }
    }

    @Test func commaListsParseBackIntoThemselves() throws {
        let list = try CommaList<Double>(parsing: "36, 140,300")
        #expect(list.values == [36, 140, 300] && list.argument == "36,140,300")
        #expect(try CommaList<Double>(parsing: list.argument) == list)
        #expect(throws: ValidationError.self) { try CommaList<Double>(parsing: "36,x") }
    }

    @Test func outputPathsAreCheckedBeforeAnyWork() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("stages-\(getpid())")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try OutputPath.ensureParentWritable(root.appendingPathComponent("events.h5").path)
        #expect { try OutputPath.ensureParentWritable(root.appendingPathComponent("missing/events.h5").path) } throws: {
            error in
            "\(error)".contains("does not exist")
        }
        try OutputPath.ensureDirectory(root.appendingPathComponent("a/b").path)
        #expect(OutputPath.particlesPath(for: "x/events.h5") == "x/events.particles.h5")
        #expect(OutputPath.particlesPath(for: "x/events") == "x/events.particles.h5")
    }
}
