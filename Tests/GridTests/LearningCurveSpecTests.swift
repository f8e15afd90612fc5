import Foundation
import Testing

@testable import Grid

/// `samples.train` as a list (a learning curve) and `pileup.keep_hard_objects` as a list (both
/// overlay modes): parsing, errors, the shape of the plan, and unchanged ids for the scalar forms.
@Suite("Learning curves and overlay modes")
struct LearningCurveSpecTests {
    static func curve() throws -> GridSpec { try Fixtures.variant("  train: 600", "  train: [200, 400, 600]") }

    @Test("a list of training sizes reads as a learning curve whose largest size is `train`")
    func parsesAList() throws {
        let spec = try Self.curve()
        #expect(spec.samples.learningCurve == [200, 400, 600] && spec.samples.train == 600)
        #expect(try Fixtures.spec().samples.learningCurve == nil)
        let modes = try Fixtures.variant("  means: [0, 20]", "  means: [0, 20]\n  keep_hard_objects: [false, true]")
        #expect(modes.pileup.overlayModes == [false, true] && modes.pileup.keepHardObjects == false)
    }

    @Test(
        "bad lists name the key and what is wrong",
        arguments: [
            ("  train: [600, 200]", "samples.train[1]", "increasing order (200 after 600)"),
            ("  train: [600]", "samples.train", "at least two train-set sizes"),
            ("  train: [200, zero]", "samples.train[1]", "expected a train-set size, found 'zero'"),
            ("  train: [0, 200]", "samples.train[0]", "expected a train-set size ≥ 1"),
        ])
    func rejectsBadLists(line: String, path: String, message: String) {
        do {
            _ = try Fixtures.variant("  train: 600", line)
            Issue.record("\(line) was accepted")
        } catch let error as SpecError {
            #expect(error.path == path && error.message.contains(message), "\(error)")
        } catch { Issue.record("\(error)") }
    }

    @Test("keep_hard_objects lists other than both modes are refused")
    func rejectsBadModes() {
        for bad in ["[true, true]", "[true]", "[false, true, false]"] {
            #expect(throws: SpecError.self, "\(bad)") {
                try Fixtures.variant("  means: [0, 20]", "  means: [0, 20]\n  keep_hard_objects: \(bad)")
            }
        }
    }

    /// One data set per size and ⟨N⟩ with the same validation events (`--validation-first`),
    /// training/evaluation/limits per size, the cut-based analyses once per ⟨N⟩ on the largest.
    @Test("a learning curve plans one data set and one row per size")
    func planShape() throws {
        let graph = TaskGraph(spec: try Self.curve())
        func tasks(_ stage: String) -> [GridTask] { graph.tasks.filter { $0.stage == stage } }
        let preprocess = tasks("preprocess")
        #expect(preprocess.count == 6) // 3 sizes × 2 ⟨N⟩
        #expect(preprocess.allSatisfy { $0.argumentTemplate.contains("--validation-first") })
        #expect(Set(preprocess.map { $0.parameters["seed"]! }).count == 2, "one mixing seed per ⟨N⟩")
        #expect(Set(preprocess.map { $0.parameters["train"]! }) == ["200", "400", "600"])
        // 2 networks × 2 seeds × 3 sizes × 2 ⟨N⟩ trainings; limits per network, size and ⟨N⟩, cut-based per ⟨N⟩.
        #expect(tasks("train").count == 24 && tasks("evaluate").count == 24)
        let limits = tasks("limits")
        #expect(limits.filter { $0.parameters["analysis"] == "K-ANN" }.count == 6)
        let cut = limits.filter { $0.parameters["analysis"] == "cut-mjj-250" }
        #expect(cut.count == 2 && cut.allSatisfy { $0.parameters["train"] == nil })
        for task in tasks("train") + tasks("evaluate") + limits where task.parameters["analysis"] != "cut-mjj-250" {
            let dataset = try #require(preprocess.first { task.inputs.contains($0.id) })
            #expect(task.parameters["train"] == dataset.parameters["train"], "\(task.label)")
        }
        let cutInput = Set(cut.flatMap(\.inputs))
        #expect(preprocess.filter { cutInput.contains($0.id) }.allSatisfy { $0.parameters["train"] == "600" })
    }

    @Test("both overlay modes plan their own overlays, data sets and rows at ⟨N⟩ > 0 only")
    func modesPlanShape() throws {
        let spec = try Fixtures.variant("  means: [0, 20]", "  means: [0, 20]\n  keep_hard_objects: [false, true]")
        let graph = TaskGraph(spec: spec), plain = TaskGraph(spec: try Fixtures.spec())
        func count(_ g: TaskGraph, _ stage: String) -> Int { g.tasks.filter { $0.stage == stage }.count }
        #expect(count(graph, "overlay") == 2 * count(plain, "overlay"))
        #expect(count(graph, "preprocess") == 3 && count(graph, "train") == 12)
        let modes = graph.tasks.filter { $0.stage == "limits" && $0.parameters["mean"] == "20" }
            .compactMap { $0.parameters["keep_hard_objects"] }
        #expect(modes.sorted() == ["false", "false", "false", "true", "true", "true"]) // K-ANN, PJ-LR-CNN, cut-based
        #expect(
            graph.tasks.filter { $0.parameters["mean"] == "0" }.allSatisfy { $0.parameters["keep_hard_objects"] == nil }
        )
        // The no-pileup tasks are those of the scalar spec, ids included.
        let ids = Set(plain.tasks.map(\.id))
        #expect(
            graph.tasks.filter { $0.parameters["mean"] == "0" && $0.stage != "report" }.allSatisfy {
                ids.contains($0.id)
            })
    }

    /// The scalar forms keep their ids: the graph of a scalar spec does not change when the
    /// same spec states its overlay mode as a scalar, and a known task id is stable.
    @Test("scalar train and keep_hard_objects keep the task ids")
    func scalarIdsUnchanged() throws {
        let plain = TaskGraph(spec: try Fixtures.spec())
        let stated = TaskGraph(
            spec: try Fixtures.variant("  means: [0, 20]", "  means: [0, 20]\n  keep_hard_objects: false"))
        #expect(plain.tasks.map(\.id) == stated.tasks.map(\.id))
        #expect(plain.tasks.allSatisfy { !$0.argumentTemplate.contains("--validation-first") })
    }
}
