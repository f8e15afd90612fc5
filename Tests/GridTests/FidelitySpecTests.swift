import Fidelity
import Foundation
import TestSupport
import Testing

@testable import Grid

/// `fidelity.reference`: a fidelity task over the grid's generate tasks, its reference checked and
/// hashed by `grid plan`, only with generator fastsim.
@Suite("Fidelity task of a grid")
struct FidelitySpecTests {
    /// The committed Pythia reference (Tests/Fixtures/fidelity), absolute.
    static let reference = TestPaths.repositoryRoot
        .appendingPathComponent("Tests/Fixtures/fidelity/pythia-observables.h5").standardizedFileURL.path

    /// The fixture spec with a fidelity mapping, written in a fresh folder that holds a copy of
    /// the reference as `ref.h5`; returns (folder, spec path).
    static func specFolder(_ fidelity: String, label: String, replacing old: String = "", with new: String = "")
        throws -> (URL, String)
    {
        var text = Fixtures.physics + "\nfidelity:\n" + fidelity.split(separator: "\n").map { "  \($0)\n" }.joined()
        if !old.isEmpty {
            precondition(text.contains(old), old)
            text = text.replacingOccurrences(of: old, with: new)
        }
        let (folder, spec) = try Fixtures.write(text, label: label)
        try FileManager.default.copyItem(atPath: reference, toPath: folder.appendingPathComponent("ref.h5").path)
        return (folder, spec)
    }

    /// The line (1-based) of the spec file's first line that starts with `prefix`.
    static func line(_ prefix: String, of spec: String) throws -> Int {
        try String(contentsOfFile: spec, encoding: .utf8).components(separatedBy: "\n")
            .firstIndex { $0.hasPrefix(prefix) }! + 1
    }

    /// The `SpecError` loading `spec` throws.
    static func error(_ spec: String) throws -> SpecError {
        do { _ = try GridSpec.load(path: spec) } catch let error as SpecError { return error }
        throw GridError("\(spec) was accepted")
    }

    @Test("the reference is found relative to the spec and hashed; events is read")
    func parse() throws {
        let (folder, spec) = try Self.specFolder("reference: ref.h5\nevents: 400", label: "fidelity-parse")
        let fidelity = try #require(try GridSpec.load(path: spec).fidelity)
        let path = folder.appendingPathComponent("ref.h5").standardizedFileURL.path
        #expect(fidelity.reference == path && fidelity.events == 400)
        let oracle = try Launcher.run("/usr/bin/sha256sum", [path]).succeeded().stdout
        #expect(fidelity.sha256?.count == 64 && oracle.hasPrefix(fidelity.sha256! + " "))
        #expect(try Fixtures.spec().fidelity == nil)
    }

    @Test("missing file, a folder, a file of another kind, another generator, a bad count: errors at the key")
    func errors() throws {
        let (folder, missing) = try Self.specFolder("reference: nowhere.h5", label: "fidelity-errors")
        let root = folder.standardizedFileURL.path
        let noFile = try Self.error(missing)
        let referenceLine = try Self.line("  reference:", of: missing)
        #expect(noFile.path == "fidelity.reference" && noFile.line == referenceLine)
        #expect(noFile.message == "\(root)/nowhere.h5: no such file or folder")

        let (_, folderSpec) = try Self.specFolder("reference: .", label: "fidelity-errors")
        let isFolder = try Self.error(folderSpec)
        #expect(isFolder.path == "fidelity.reference" && isFolder.message.hasSuffix("found a folder"), "\(isFolder)")

        let (other, otherSpec) = try Self.specFolder("reference: spec.yaml", label: "fidelity-errors")
        let notHDF5 = try Self.error(otherSpec)
        #expect(
            notHDF5.path == "fidelity.reference"
                && notHDF5.message.hasPrefix(other.appendingPathComponent("spec.yaml").standardizedFileURL.path),
            "\(notHDF5)")

        let (_, pythia) = try Self.specFolder(
            "reference: ref.h5", label: "fidelity-errors", replacing: "  events: 1000",
            with: "  generator: pythia\n  events: 1000")
        let generator = try Self.error(pythia)
        let mappingLine = try Self.line("  reference:", of: pythia)
        #expect(generator.path == "fidelity" && generator.line == mappingLine)
        #expect(generator.message.contains("needs samples.generator: fastsim (this grid's is pythia)"))

        let (_, zero) = try Self.specFolder("reference: ref.h5\nevents: 0", label: "fidelity-errors")
        #expect(try Self.error(zero).path == "fidelity.events")
        let (_, unknown) = try Self.specFolder("reference: ref.h5\nimages: true", label: "fidelity-errors")
        #expect(try Self.error(unknown).path == "fidelity.images")
    }

    @Test("one fidelity task reads every generate task; the report reads it; every other task keeps its id")
    func plan() throws {
        let (folder, spec) = try Self.specFolder("reference: ref.h5\nevents: 400", label: "fidelity-plan")
        let graph = TaskGraph(spec: try GridSpec.load(path: spec))
        let plain = TaskGraph(spec: try Fixtures.spec())
        let fidelity = graph.tasks.filter { $0.stage == "fidelity" }
        try #require(fidelity.count == 1)
        let task = fidelity[0]
        let generate = graph.tasks.filter { $0.stage == "generate" }
        #expect(generate.count == 12 && task.inputs == generate.map(\.id))
        #expect(graph.tasks.first { $0.stage == "report" }?.inputs.last == task.id)

        let options = try FidelityStage.Options.parse(Array(task.arguments(run: "/r").dropFirst()))
        #expect(options.reference == folder.appendingPathComponent("ref.h5").standardizedFileURL.path)
        #expect(options.fastsim == generate.map { "/r/\($0.relativePath)/events" })
        #expect(options.events == 400 && options.out == "/r/\(task.relativePath)/fidelity")
        #expect(task.parameters["sha256"]?.count == 64)

        let others = graph.tasks.filter { !["fidelity", "report"].contains($0.stage) }
        #expect(others.map(\.id) == plain.tasks.filter { $0.stage != "report" }.map(\.id))
        // The stage order: fidelity right after the events it reads.
        #expect(
            graph.stageNames == [
                "generate", "minbias", "fidelity", "overlay", "preprocess", "train", "evaluate",
                "limits", "report",
            ])
    }

    @Test("a reference changed after planning fails the task instead of running under the planned id")
    func changedReference() throws {
        let (folder, spec) = try Self.specFolder("reference: ref.h5", label: "fidelity-changed")
        let graph = TaskGraph(spec: try GridSpec.load(path: spec))
        let task = try #require(graph.tasks.first { $0.stage == "fidelity" })
        #expect(InputFiles.changed(task) == nil)
        try Data("other".utf8).write(to: folder.appendingPathComponent("ref.h5"))
        #expect(InputFiles.changed(task)?.contains("changed since the grid was planned") == true)
    }
}
