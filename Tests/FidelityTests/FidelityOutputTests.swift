import Events
import Foundation
import TestSupport
import Testing

@testable import Fidelity

/// The image-level test and the run folder: `fidelity.json` decodes with the type that wrote
/// it, the page and the figures exist.
@Suite struct FidelityOutputTests {
    /// Towers E_T × 1.5 after the selection (jets and MET as reconstructed): only the images and the
    /// tower observables see it. (Σ E_T of the image alone separates the samples with AUC 0.81.)
    @Test func imagesAndOutputs() throws {
        let a = FastSimSamples.sample(.zQCD, seed: 21, selected: 400, images: true)
        let b = FastSimSamples.sample(.zQCD, seed: 22, selected: 400, images: true) { event in
            for k in event.towers.indices { event.towers[k].et *= 1.5 }
        }
        let settings = FidelitySettings(folds: 3, eventEpochs: 10, imageEpochs: 8, seed: 4, images: true)
        let channel = try ChannelFidelity.compare(fastsim: a, reference: b, settings: settings)
        let image = try #require(channel.imageAUC)
        #expect(image.folds.count == 3)
        #expect(image.mean >= 0.6, "towers × 1.5: image AUC \(image.mean) ± \(image.spread)")
        #expect(channel.observables.count == Observables.count)
        #expect(channel.fastsimSelected == 400 && channel.referenceSelected == 400 && channel.compared == 400)

        let report = FidelityReport(
            fastsimGenerator: "fastsim seed 21", referenceGenerator: "fastsim seed 22, towers × 1.5",
            reference: "test", settings: settings, channels: [channel])
        let dir = TestPaths.temporaryDirectory("fidelity-out")
        try FidelityOutput.write(report, samples: [(a, b)], to: dir)
        let decoded = try FidelityReport.read(dir.appendingPathComponent("fidelity.json").path)
        #expect(decoded == report)
        let json = try String(contentsOf: dir.appendingPathComponent("fidelity.json"), encoding: .utf8)
        for key in ["\"event_auc\"", "\"image_auc\"", "\"fastsim_median\"", "\"worst\"", "\"format_version\" : 1"] {
            #expect(json.contains(key), "fidelity.json lacks \(key)")
        }
        let html = try String(contentsOf: dir.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(html.contains("Z_QCD") && html.contains("<svg") && html.contains(String(format: "%.3f", image.mean)))
        let svg = try String(contentsOf: dir.appendingPathComponent("observables-Z_QCD.svg"), encoding: .utf8)
        let inspection = SVGInspection(svg)
        #expect(inspection.parsed, "\(inspection.error ?? "")")
        #expect(inspection.texts.contains("ET_gap"))
    }

    @Test func unknownFormatIsRejected() throws {
        let dir = TestPaths.temporaryDirectory("fidelity-json")
        let path = dir.appendingPathComponent("fidelity.json")
        let report = FidelityReport(
            fastsimGenerator: "a", referenceGenerator: "b", reference: "c", settings: FidelitySettings(),
            channels: [])
        var data = String(decoding: try report.json(), as: UTF8.self)
        data = data.replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 7")
        try Data(data.utf8).write(to: path)
        #expect(throws: FidelityError.self) { try FidelityReport.read(path.path) }
    }
}
