import Foundation
import Plotting

/// Writes a fidelity run's folder: `fidelity.json`, `index.html` and each channel's figure
/// (SVG, CSV, JSON), every file atomically.
public enum FidelityOutput {
    /// `samples[i]` are the (fastsim, reference) samples behind `report.channels[i]`.
    public static func write(
        _ report: FidelityReport, samples: [(fastsim: FidelitySample, reference: FidelitySample)],
        to directory: URL
    ) throws {
        precondition(samples.count == report.channels.count, "one sample pair per channel")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let figures = zip(samples, report.channels).map {
            FidelityPage.figure(fastsim: $0.0.fastsim, reference: $0.0.reference, comparison: $0.1)
        }
        for figure in figures { try figure.write(to: directory) }
        try report.json().write(to: directory.appendingPathComponent("fidelity.json"), options: .atomic)
        try Data(FidelityPage.html(report, figures: figures).utf8).write(
            to: directory.appendingPathComponent("index.html"), options: .atomic)
    }
}
