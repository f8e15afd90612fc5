import Foundation
import Statistics
import TestSupport
import Testing

/// Degenerate inputs give finite results or typed errors with clear messages, never NaN.
@Suite struct DegenerateInputTests {
    static func sample(_ name: String, _ counts: [Double], signal: Bool = false) -> Sample {
        Sample(name: name, counts: counts, sumw2: counts.map { 0.01 * $0 }, isSignal: signal, xsecUncertainty: 0.1)
    }

    @Test func binWithZeroBackgroundGivesFiniteBand() throws {
        let model = HistFactoryModel(
            samples: [Self.sample("S", [2, 3], signal: true), Self.sample("B", [10, 0])],
            lumiUncertainty: 0.025)
        let band = try ExpectedLimits.compute(model)
        #expect(band.values.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(band.minus2 < band.median && band.median < band.plus2)
    }

    /// The limit lies far above the POI's upper bound: the search widens it.
    @Test func muBoundTooSmallIsWidened() throws {
        var model = ClosedFormTests.onebin(b: 100, s: 20)
        let reference = try ExpectedLimits.compute(model)
        model.muBounds = 0...0.001
        let widened = try ExpectedLimits.compute(model)
        #expect(maxRelativeDeviation(widened.values, reference.values) < 1e-9)
    }

    @Test func noSensitivityIsAClearError() throws {
        let model = ClosedFormTests.onebin(b: 100, s: 0)
        #expect {
            try ExpectedLimits.compute(model)
        } throws: { error in
            guard case StatisticsError.limitNotFound = error else { return false }
            return "\(error)".contains("no sensitivity")
        }
    }

    @Test func emptyChannelIsAClearError() throws {
        let workspace = Workspace(
            channels: [.init(name: "sr", samples: [])], observations: [.init(name: "sr", data: [])],
            measurements: [.init(name: "m", config: .init(poi: "mu", parameters: []))])
        #expect(
            throws: StatisticsError.invalidModel(
                source: "workspace", field: "channels[0].samples",
                reason: "channel 'sr' has no samples")
        ) {
            try StatisticalModel(workspace: workspace)
        }
        let noBins = HistFactoryModel(
            samples: [Self.sample("S", [], signal: true), Self.sample("B", [])], lumiUncertainty: nil)
        #expect(
            throws: StatisticsError.invalidModel(
                source: "model", field: "samples[0].counts", reason: "the sample has no bins")
        ) {
            try StatisticalModel(noBins)
        }
        let noSamples = HistFactoryModel(samples: [], lumiUncertainty: nil)
        #expect(
            throws: StatisticsError.invalidModel(
                source: "model", field: "samples", reason: "the channel has no samples")
        ) {
            try StatisticalModel(noSamples)
        }
    }

    @Test func inconsistentSamplesAreClearErrors() throws {
        func message(_ model: HistFactoryModel) -> String {
            do {
                _ = try StatisticalModel(model, source: "m.json")
                return ""
            } catch { return "\(error)" }
        }
        #expect(
            message(
                .init(samples: [Self.sample("S", [1, 2], signal: true), Self.sample("B", [1])], lumiUncertainty: nil))
                == "m.json: field 'samples[1].counts': has 1 bins, expected 2")
        #expect(
            message(.init(samples: [Self.sample("S", [1]), Self.sample("B", [1])], lumiUncertainty: nil))
                .contains("no sample has is_signal = true"))
        #expect(
            message(
                .init(samples: [Self.sample("S", [1], signal: true), Self.sample("B", [-1])], lumiUncertainty: nil)
            )
            .contains("samples[1].counts[0]"))
        var shape = Self.sample("B", [5])
        shape.shapeUp = [6]
        #expect(
            message(.init(samples: [Self.sample("S", [1], signal: true), shape], lumiUncertainty: nil))
                .contains("samples[1].shape_down"))
    }

    @Test func malformedFileNamesTheField() throws {
        let text =
            #"{"simple": {"lumi_unc": 0.025, "samples": [{"name": "S", "is_signal": true, "counts": [1.0]}, {"name": "B", "is_signal": false}]}}"#
        #expect(
            throws: StatisticsError.invalidModel(
                source: "bad.json", field: "simple.samples[1].counts", reason: "missing")
        ) {
            try ModelFile.parse(Data(text.utf8), source: "bad.json")
        }
        let wrongType = #"{"lumi_unc": "x", "samples": []}"#
        #expect {
            try ModelFile.parse(Data(wrongType.utf8), source: "bad.json")
        } throws: { "\($0)".hasPrefix("bad.json: field 'lumi_unc'") }
        let missingSigma = #"""
            {"channels": [{"name": "c", "samples": [{"name": "s", "data": [1], "modifiers": [{"type": "normfactor", "name": "mu", "data": null}, {"type": "lumi", "name": "lumi", "data": null}]}]}],
             "observations": [{"name": "c", "data": [1]}], "measurements": [{"name": "m", "config": {"poi": "mu", "parameters": []}}], "version": "1.0.0"}
            """#
        guard case let .workspace(ws) = try ModelFile.parse(Data(missingSigma.utf8), source: "ws.json") else {
            Issue.record("not a workspace")
            return
        }
        #expect { try StatisticalModel(workspace: ws, source: "ws.json") } throws: { "\($0)".contains("sigmas") }
        let unknown =
            #"{"channels": [{"name": "c", "samples": [{"name": "s", "data": [1], "modifiers": [{"type": "shapefactor", "name": "x", "data": null}]}]}], "observations": [], "measurements": [], "version": "1.0.0"}"#
        #expect { try ModelFile.parse(Data(unknown.utf8), source: "ws.json") } throws: {
            "\($0)".contains("channels[0].samples[0].modifiers[0]") && "\($0)".contains("shapefactor")
        }
    }
}
