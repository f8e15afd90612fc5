import Fidelity
import Foundation
import Grid
import Physics
import Random
import Report
import TestSupport
import Testing

/// The "fastsim fidelity" section: read from the fidelity task's fidelity.json (written here by
/// Fidelity's own writer), its page copied into the report, no section without the task.
@Suite("Report: fastsim fidelity")
struct FidelitySectionTests {
    /// Two channels of random observables; the "reference" has its leading jet 30% harder, so
    /// that pT_j1 is the worst observable. No images: the image test is not measured.
    static func writeFidelity(_ fixture: RunFixture) throws -> (FidelityReport, URL) {
        let task = fixture.tasks("fidelity", [:])[0]
        var numbers = SplitMix64(state: 3)
        func rows(_ n: Int, scale: Float) -> [[Float]] {
            (0..<n).map { _ in
                var row = (0..<Observables.count).map { _ in Float(1 + numbers.nextUnitDouble()) }
                row[Observables.names.firstIndex(of: "pT_j1")!] *= scale
                return row
            }
        }
        let settings = FidelitySettings(folds: 2, eventEpochs: 2, imageEpochs: 1, seed: 5)
        var channels: [ChannelFidelity] = []
        var pairs: [(fastsim: FidelitySample, reference: FidelitySample)] = []
        for channel in [Channel.sEW, .zQCD] {
            let fastsim = FidelitySample(channel: channel, observables: rows(60, scale: 1), offered: 200)
            let reference = FidelitySample(channel: channel, observables: rows(50, scale: 1.3), offered: 300)
            channels.append(try ChannelFidelity.compare(fastsim: fastsim, reference: reference, settings: settings))
            pairs.append((fastsim, reference))
        }
        let report = FidelityReport(
            fastsimGenerator: "vbfgrid fastsim (test)",
            referenceGenerator:
                "pythia8 8.317 (test reference); Random:seed 4; pythia8 8.317 (test reference); Random:seed 5",
            reference: "/data/pythia-observables.h5", settings: settings, channels: channels)
        let folder = try fixture.folder(task, "fidelity")
        try FidelityOutput.write(report, samples: pairs, to: folder)
        try Data("{}".utf8).write(to: folder.appendingPathComponent("producer.json"))
        fixture.finish(task)
        return (report, folder)
    }

    @Test("the section states per channel the events, the AUCs and the worst observables, and links the page")
    func section() throws {
        var fixture = try RunFixture("report-fidelity")
        try fixture.writeLimits(analysis: "K-ANN", medians: [0.1])
        let (report, _) = try Self.writeFidelity(fixture)
        let data = try RunLoader.load(runDirectory: fixture.run.path, strict: true)
        #expect(data.fidelity?.report == report)
        let out = fixture.run.appendingPathComponent("report")
        let output = try ReportWriter.write(data, to: out)
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        let md = try String(contentsOf: out.appendingPathComponent("summary.md"), encoding: .utf8)
        #expect(html.contains("<h2 id=\"fidelity\">fastsim fidelity") && html.contains("href=\"#fidelity\""))
        for text in [html, md] {
            // The reference's description once, without the seeds of its files.
            #expect(text.contains("Reference: pythia8 8.317 (test reference) (pythia-observables.h5)."))
            #expect(!text.contains("Random:seed"))
            #expect(text.contains("not measured: the reference has no images"))
            #expect(text.contains("fidelity/index.html"))
        }
        for c in report.channels {
            #expect(c.compared == 50 && c.imageAUC == nil)
            let auc = String(format: "%.3f ± %.3f", c.eventAUC.mean, c.eventAUC.spread)
            #expect(md.contains("| \(c.channel) | 50 | \(auc) | not measured |"), "\(c.channel) row")
            // The worst observable is the distorted one, with both medians (an oracle of its own:
            // uniform on [1, 2) gives 1.5, times 1.3 for the reference).
            #expect(c.worst.first == "pT_j1")
            let j1 = try #require(c.observables.first { $0.name == "pT_j1" })
            #expect(abs(j1.fastsimMedian! - 1.5) < 0.15 && abs(j1.referenceMedian! - 1.95) < 0.2)
            let worst = String(format: "pT_j1 %.3g / %.3g", j1.fastsimMedian!, j1.referenceMedian!)
            #expect(html.contains(worst) && md.contains(worst))
        }
        // The page, its numbers and figures are copied; the producer record is not.
        let copied = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("fidelity").path)
        #expect(Set(copied).isSuperset(of: ["index.html", "fidelity.json", "observables-S_EW.svg"]))
        #expect(!copied.contains("producer.json") && output.files.contains("fidelity/fidelity.json"))
        #expect(try FidelityReport.read(out.appendingPathComponent("fidelity/fidelity.json").path) == report)
    }

    @Test("an unreadable fidelity.json is a note, or with --strict an error naming the file")
    func corrupt() throws {
        let fixture = try RunFixture("report-fidelity-corrupt")
        let (_, folder) = try Self.writeFidelity(fixture)
        let json = folder.appendingPathComponent("fidelity.json")
        try Data("{\"format\": \"vbfgrid.fidelity\", \"channels\": 3".utf8).write(to: json)
        let data = try RunLoader.load(runDirectory: fixture.run.path)
        #expect(data.fidelity == nil)
        #expect(data.notes.contains { $0.hasPrefix("fastsim fidelity left out: \(json.path)") }, "\(data.notes)")
        #expect { try RunLoader.load(runDirectory: fixture.run.path, strict: true) } throws: { error in
            "\(error)".contains(json.path)
        }
        try Data("{\"format\": \"other\", \"format_version\": 1}".utf8).write(to: json)
        #expect { try RunLoader.load(runDirectory: fixture.run.path, strict: true) } throws: { error in
            "\(error)".contains(json.path)
        }
    }

    @Test("a run without a fidelity task has no section")
    func absent() throws {
        var fixture = try RunFixture(
            "report-fidelity-absent",
            edits: ["fidelity:": "", "  reference: ../Tests/Fixtures/fidelity/pythia-observables.h5": ""])
        #expect(fixture.tasks("fidelity", [:]).isEmpty)
        try fixture.writeLimits(analysis: "K-ANN", medians: [0.1])
        let data = try RunLoader.load(runDirectory: fixture.run.path, strict: true)
        #expect(data.fidelity == nil)
        let out = fixture.run.appendingPathComponent("report")
        try ReportWriter.write(data, to: out)
        let html = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!html.contains("fastsim fidelity") && !html.contains("fidelity/index.html"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("fidelity").path))
    }
}
