import Evaluation
import Foundation
import Statistics
import TestSupport
import Testing

@testable import Report

@Suite(.serialized) struct ReportTests {
    static func files(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }
    static func read(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    @Test func completeRunReportHasEveryFigureValidAndTheTableEqualsTheLimits() throws {
        let fixture = try RunFixture.complete("report-complete")
        let data = try RunLoader.load(runDirectory: fixture.run.path)
        let out = fixture.run.appendingPathComponent("report")
        let result = try ReportWriter.write(data, to: out)
        let names = [
            "limits", "pileup", "k-distributions", "separation", "average-images", "network-outputs", "roc",
            "correlations", "training",
        ]
        for name in names {
            let svg = try Self.read(out.appendingPathComponent("\(name).svg"))
            let doc = SVGInspection(svg)
            #expect(doc.parsed, "\(name).svg: \(doc.error ?? "")")
            #expect(doc.root == "svg" && doc.rootAttributes["viewBox"] != nil, "\(name).svg has a viewBox")
            #expect(doc.has(class: "x-axis") && doc.has(class: "y-axis"), "\(name).svg has axes")
            let expectsLegend = !["average-images", "correlations"].contains(name)
            #expect(doc.has(class: "legend") == expectsLegend, "\(name).svg legend")
            #expect(doc.has(class: "colorbar") == !expectsLegend, "\(name).svg colour bar")
            let csv = try Self.read(out.appendingPathComponent("\(name).csv")).split(separator: "\n")
            #expect(csv.count > 1 && csv[0].hasPrefix("panel,series"))
            let json =
                try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("\(name).json")))
                as? [String: Any]
            #expect(json?["name"] as? String == name)
        }
        // Run time per stage from the markers: every fixture task took 2 s.
        #expect(
            !data.stageTimings.isEmpty
                && data.stageTimings.allSatisfy { $0.taskSeconds == 2 * Double($0.tasks) && $0.wallSeconds == 2 })
        #expect(data.runWallSeconds == 2 && result.runTime.contains("Run wall time 2 s"))
        let stages = data.stageTimings.map(\.stage)
        #expect(stages.contains("limits") && stages.contains("train"))
        // Table: every finished limit appears with its three numbers, in HTML, Markdown and the terminal.
        let html = try Self.read(out.appendingPathComponent("index.html"))
        let md = try Self.read(out.appendingPathComponent("summary.md"))
        #expect(
            md.contains("## Run time")
                && md.contains("| limits | \(data.stageTimings.first { $0.stage == "limits" }!.tasks) | 2 s |"))
        #expect(html.contains("<h2 id=\"runtime\">Run time</h2>") && html.contains("<a href=\"#runtime\">"))
        let kann = (fixture.limits["K-ANN|0"]![0], fixture.limits["K-ANN|0"]![1])
        for (key, seeds) in fixture.limits where !key.hasPrefix("K-ANN") {
            for (lumi, band) in seeds[0] {
                let m = String(format: "%.3f", band.median), up = String(format: "%.3f", band.plus1 - band.median)
                let down = String(format: "%.3f", band.median - band.minus1)
                #expect(md.contains("\(m) +\(up) −\(down)"), "summary.md has \(key) at \(lumi)")
                #expect(result.table.contains("\(m) +\(up) −\(down)"), "terminal table has \(key) at \(lumi)")
                #expect(
                    html.contains("<b>\(m)</b> <sup>+\(up)</sup><sub>−\(down)</sub>"),
                    "index.html has \(key) at \(lumi)")
            }
        }
        // Two K-ANN seeds: the mean band, the spread of the medians, the improvement over row 1.
        let mean = (kann.0[36]!.median + kann.1[36]!.median) / 2
        let spread = abs(kann.0[36]!.median - kann.1[36]!.median) / 2.squareRoot()
        #expect(md.contains(String(format: "%.3f +%.3f", mean, (kann.0[36]!.plus1 + kann.1[36]!.plus1) / 2 - mean)))
        #expect(md.contains("±" + String(format: "%.3f", spread)) && md.contains("(2 seeds)"))
        let ratio = fixture.limits["cut-mjj-250|0"]![0][36]!.median / fixture.limits["PJ-LR-CNN|0"]![0][36]!.median
        #expect(md.contains(String(format: "×%.2f", ratio)))
        // The paper's numbers for the same row, and the pileup reference row.
        #expect(md.contains("0.078 +0.030 −0.022 / 0.051 +0.020 −0.014 / 0.045 +0.017 −0.013"))
        #expect(md.contains("PJ-LR-CNN ⟨N⟩=20"))
        #expect(!md.contains("H-ANN") && md.contains("12 limits task(s) not finished"))
        #expect(md.contains("No JES row"))
        // Sizes below the paper's: the demo line.
        #expect(html.contains("demo sizes; see jobs/paper-table1.yaml for the paper&apos;s"))
        // index.html: well-formed, self-contained, and every link points at a file that exists.
        let page = SVGInspection(html)
        #expect(page.parsed, "index.html is well-formed: \(page.error ?? "")")
        #expect(
            !html.contains("http://")
                || html.components(separatedBy: "http://").dropFirst().allSatisfy {
                    $0.hasPrefix("www.w3.org/2000/svg")
                })
        #expect(!html.contains("https://") && !html.contains("<script"))
        let links = html.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(links.count > 20)
        for link in links where !link.hasPrefix("#") {
            #expect(
                FileManager.default.fileExists(atPath: out.appendingPathComponent(link).path),
                "index.html links \(link)")
        }
        for anchor in links where anchor.hasPrefix("#") {
            #expect(html.contains("id=\"\(anchor.dropFirst())\""), "anchor \(anchor)")
        }
        #expect(html.components(separatedBy: "<svg ").count - 1 == names.count)
    }

    @Test func loadersReadTheRunFaithfully() throws {
        let fixture = try RunFixture.complete("report-loaders")
        let data = try RunLoader.load(runDirectory: fixture.run.path)
        #expect(data.sizes == DatasetSizes(train: 120, validation: 60))
        // Distributions: every event in exactly one bin, per channel (unit weights, 30 events per channel).
        for d in data.distributions where d.feature != "m_jj" && d.feature != "met" && d.feature != "|deta_jj|" {
            for c in d.channels { #expect(c.values.reduce(0, +) == 30, "\(d.feature) \(c.channel)") }
        }
        #expect(data.distributions.count == 8 && data.distributions[0].channels.map(\.channel) == RunFixture.channels)
        // The features built to separate (|Δη_jj|, m_jj) rank above the uniform ones.
        #expect(Set(data.separation.prefix(2).map(\.feature)) == ["|deta_jj|", "m_jj"])
        #expect(data.separation.count == 24)
        // Average images as written.
        let signal = try #require(data.averageImages.first { $0.className == "signal" })
        #expect(signal.height == 59 && signal.width == 45 && signal.events == 60)
        #expect(abs(signal.pixels[7] - (7 * 0.02 + 0.001)) < 1e-6)
        // ROC curves and output histograms: what the evaluate stage wrote (metrics.json), which are
        // the metrics of the outputs file itself.
        for network in ["PJ-LR-CNN", "K-ANN"] {
            let folder = fixture.run.appendingPathComponent(
                fixture.tasks("evaluate", ["network": network, "mean": "0"])[0].relativePath)
            let outputs = try EvaluationOutputs.read(from: folder.appendingPathComponent("evaluation/outputs.h5").path)
            let expected = try EvaluationMetrics.compute(outputs)
            let roc = try #require(data.rocCurves.first { $0.network == network })
            #expect(
                roc.auc == expected.auc && roc.auc > 0.5 && roc.signalEfficiency == expected.roc.map(\.signalEfficiency)
            )
            #expect(roc.signalEfficiency.last == 1 && roc.backgroundEfficiency.last == 1)
        }
        #expect(data.rocCurves.filter { $0.network == "K-ANN" }.count == 2)
        // Output histograms: 10 validation events per channel, all within [0, 1].
        let h = try #require(data.outputHistograms.first { $0.network == "K-ANN" })
        #expect(h.channels.count == 6 && h.channels.allSatisfy { $0.values.reduce(0, +) == 10 })
        // Correlations: top two K features + two networks, symmetric, unit diagonal.
        #expect(data.correlations.map(\.className) == ["signal", "background"])
        let m = data.correlations[0]
        #expect(m.labels.suffix(2) == ["PJ-LR-CNN", "K-ANN"] && m.labels.count == 6)
        #expect(Array(m.labels.prefix(4)) == data.separation.prefix(4).map { FeatureLabels.shortLabel($0.feature) })
        for i in m.values.indices {
            #expect(abs(m.values[i][i] - 1) < 1e-9)
            for j in m.values.indices { #expect(abs(m.values[i][j] - m.values[j][i]) < 1e-9) }
        }
        let trainSeeds = fixture.tasks("train", ["mean": "0"]).compactMap { t in
            t.parameters["seeds"].flatMap { Int($0) }
        }
        #expect(data.trainingHistories.map(\.network) == ["K-ANN", "K-ANN", "PJ-LR-CNN"])
        #expect(data.trainingHistories.allSatisfy { trainSeeds.contains($0.seed!) })
        #expect(data.trainingHistories.contains { $0.epochs[2].validationAccuracy == 0.58 + 0.05 * 3.1 })
        // Seeds of a network's limits are its evaluate tasks' seeds.
        let kannRow = try #require(data.analyses.first { $0.analysis == "K-ANN" })
        let evaluationSeeds = fixture.tasks("evaluate", ["network": "K-ANN", "mean": "0"]).map {
            Int($0.parameters["seed"]!)
        }
        #expect(kannRow.seeds.map(\.seed) == evaluationSeeds && kannRow.seeds.count == 2)
        #expect(data.analyses.map(\.label) == ["m_jj (met > 250 GeV)", "PJ-LR-CNN", "PJ-LR-CNN ⟨N⟩=20", "K-ANN"])
    }

    @Test func runWithPiecesMissingStillRendersWithNotes() throws {
        var fixture = try RunFixture("report-partial")
        try fixture.writeLimits(analysis: "PJ-LR-CNN", medians: [0.08])
        let data = try RunLoader.load(runDirectory: fixture.run.path)
        let out = fixture.run.appendingPathComponent("report")
        let result = try ReportWriter.write(data, to: out)
        #expect(
            try Self.files(out) == [
                "index.html", "limits.csv", "limits.json", "limits.svg", "report.json", "summary.md",
            ])
        let md = try Self.read(out.appendingPathComponent("summary.md"))
        for note in [
            "No pileup rows", "One seed per analysis", "Row 1 (m_jj, met > 250 GeV) is not in this run", "No JES row",
            "No data-set figures", "ROC curves (fig. 13): no evaluation", "Training curves: no training history",
            "Data-set sizes unknown",
        ] {
            #expect(md.contains(note), "note: \(note)")
        }
        #expect(result.table.contains("0.080 +0.031 −0.023"))
        #expect(SVGInspection(try Self.read(out.appendingPathComponent("index.html"))).parsed)
        #expect(SVGInspection(try Self.read(out.appendingPathComponent("limits.svg"))).parsed)
    }

    @Test func aFolderThatIsNotARunIsAnError() throws {
        let empty = TestPaths.temporaryDirectory("report-empty")
        #expect { try RunLoader.load(runDirectory: empty.path) } throws: { error in
            "\(error)".contains("not a readable grid run") && "\(error)".contains("graph.json")
        }
    }

    @Test func anUnreadableOutputIsANoteOrWithStrictAnError() throws {
        var fixture = try RunFixture("report-broken")
        try fixture.writeLimits(analysis: "K-ANN", medians: [0.1])
        let bad = fixture.tasks("limits", ["analysis": "R-ANN", "mean": "0"])[0]
        try Data("{\"luminosities\": [{\"luminosity_fb\": 36}]}".utf8).write(
            to: fixture.folder(bad, "limits").appendingPathComponent("limits.json"))
        fixture.finish(bad)
        let data = try RunLoader.load(runDirectory: fixture.run.path)
        #expect(data.analyses.map(\.analysis) == ["K-ANN"])
        #expect(data.notes.contains { $0.contains("\(bad.id)/limits/limits.json") })
        #expect { try RunLoader.load(runDirectory: fixture.run.path, strict: true) } throws: { error in
            "\(error)".contains("\(bad.id)/limits/limits.json")
        }
    }

    @Test func aNewReportReplacesTheOldOneWhole() throws {
        var fixture = try RunFixture("report-replace")
        try fixture.writeLimits(analysis: "PJ-LR-CNN", medians: [0.08])
        let out = fixture.run.appendingPathComponent("report")
        try ReportWriter.write(try RunLoader.load(runDirectory: fixture.run.path), to: out)
        try Data("stale".utf8).write(to: out.appendingPathComponent("stale.txt"))
        try ReportWriter.write(try RunLoader.load(runDirectory: fixture.run.path), to: out)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("stale.txt").path))
        #expect(try Self.files(out).contains("index.html"))
        let leftovers = try Self.files(fixture.run).filter { $0.hasPrefix(".report.") }
        #expect(leftovers.isEmpty, "temporary report folders left behind: \(leftovers)")
    }

    @Test func limitsThatBarelyScaleWithLuminosityAtDemoSizesGetANote() throws {
        func data(_ medians: [Double], validation: Int) -> ReportData {
            var d = ReportData(runName: "t")
            d.sizes = DatasetSizes(train: 250 * validation, validation: validation)
            let bands = zip([36.0, 140, 300], medians).map { l, m in
                AnalysisLimits.LuminosityBand(
                    luminosity: l, band: Band(minus2: 0.5 * m, minus1: 0.7 * m, median: m, plus1: 1.4 * m, plus2: 2 * m)
                )
            }
            d.analyses = [AnalysisLimits(analysis: "cut-mjj-250", seeds: [.init(seed: nil, limits: bands)])]
            return d
        }
        let flat = ReportTable(data([0.25, 0.24, 0.23], validation: 800)).notes.first {
            $0.hasPrefix("From 36 to 300 fb⁻¹")
        }
        // 0.23 / 0.25 = 92%; the paper's row 1: 0.130 / 0.226 = 58%.
        #expect(
            flat?.contains(
                "fall only to 92% on average (the paper's for the same rows: 58%): with 800 validation events") == true,
            "\(flat ?? "no note")")
        #expect(!ReportTable(data([0.25, 0.18, 0.15], validation: 800)).notes.contains { $0.hasPrefix("From 36") })
        #expect(!ReportTable(data([0.25, 0.24, 0.23], validation: 50_000)).notes.contains { $0.hasPrefix("From 36") })
    }

    /// A network's limits with both bin rules: the equal-width row in Table 1, the quantile row
    /// in a second table beside the cut-based rows; files without a rule (the other fixture
    /// runs) read as equal-width.
    @Test func quantileBinnedRowsGetTheirOwnTable() throws {
        var fixture = try RunFixture("report-quantiles")
        try fixture.writeLimits(analysis: "cut-mjj-250", medians: [0.21])
        try fixture.writeLimits(analysis: "PJ-LR-CNN", medians: [0.08], quantileFactor: 0.75)
        let data = try RunLoader.load(runDirectory: fixture.run.path)
        #expect(data.analyses.map(\.label) == ["m_jj (met > 250 GeV)", "PJ-LR-CNN", "PJ-LR-CNN (quantile bins)"])
        let paper = ReportTable(data), quantiles = ReportTable(data, binning: .backgroundQuantiles)
        #expect(paper.rows.map(\.label) == ["m_jj (met > 250 GeV)", "PJ-LR-CNN"])
        #expect(quantiles.rows.map(\.label) == ["m_jj (met > 250 GeV)", "PJ-LR-CNN"])
        #expect(abs(paper.rows[1].bands[0]!.median - 0.08) < 1e-12)
        #expect(abs(quantiles.rows[1].bands[0]!.median - 0.06) < 1e-12)
        #expect(abs(quantiles.rows[1].improvement[0]! - 0.21 / 0.06) < 1e-9)
        let out = fixture.run.appendingPathComponent("report")
        try ReportWriter.write(data, to: out)
        let md = try Self.read(out.appendingPathComponent("summary.md"))
        let second = try #require(md.range(of: "## \(ReportTable.quantileTitle)"))
        #expect(md[second.upperBound...].contains("| PJ-LR-CNN | 0.060 +"))
        #expect(md[..<second.lowerBound].contains("| PJ-LR-CNN | 0.080 +"))
        let html = try Self.read(out.appendingPathComponent("index.html"))
        #expect(html.contains("<h2 id=\"table-quantiles\">") && html.contains("href=\"#table-quantiles\""))
    }

    /// A learning curve (demo.yaml with `train: [400, 800]`): the figure and table of the
    /// limit against the training size, with the cut-based row as a reference; Table 1 holds
    /// the largest size only.
    @Test func learningCurveFigureAndTable() throws {
        var fixture = try RunFixture("report-learning-curve", edits: ["  train: 2000": "  train: [400, 800]"])
        try fixture.writeLimits(analysis: "cut-mjj-250", medians: [0.21])
        for (size, median) in [(400, 0.3), (800, 0.2)] {
            try fixture.writeLimits(
                analysis: "K-ANN", medians: [median, median], quantileFactor: 0.5, only: ["train": String(size)])
        }
        let data = try RunLoader.load(runDirectory: fixture.run.path)
        let curve = try #require(LearningCurve(data))
        #expect(curve.sizes == [400, 800] && curve.luminosity == 36)
        #expect(curve.networks.map(\.label) == ["K-ANN", "K-ANN (quantile bins)"])
        #expect(curve.networks[0].medians.map { $0! } == [0.3, 0.2])
        #expect(zip(curve.networks[1].medians.map { $0! }, [0.15, 0.1]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(curve.references.map(\.label) == ["m_jj (met > 250 GeV)"] && curve.references[0].medians == [0.21])
        #expect(ReportTable(data).rows.map(\.label) == ["m_jj (met > 250 GeV)", "K-ANN"])
        #expect(abs(ReportTable(data).rows[1].bands[0]!.median - 0.2) < 1e-12)
        let out = fixture.run.appendingPathComponent("report")
        let result = try ReportWriter.write(data, to: out)
        #expect(result.files.contains("learning-curve.svg"))
        let doc = SVGInspection(try Self.read(out.appendingPathComponent("learning-curve.svg")))
        #expect(doc.parsed && doc.has(class: "legend") && doc.has(class: "x-axis"), "\(doc.error ?? "")")
        let md = try Self.read(out.appendingPathComponent("summary.md"))
        #expect(md.contains("## \(LearningCurve.title)") && md.contains("| analysis | 400 train | 800 train |"))
        #expect(md.contains("| K-ANN | 0.300 | 0.200 |") && md.contains("| K-ANN (quantile bins) | 0.150 | 0.100 |"))
        #expect(md.contains("| m_jj (met > 250 GeV) | 0.210 | 0.210 |"))
        // A run without a learning curve has neither, and no note about it.
        let plain = try RunLoader.load(runDirectory: try RunFixture.complete("report-no-curve").run.path)
        #expect(LearningCurve(plain) == nil && !ReportFigures.all(plain).missing.contains { $0.contains("earning") })
    }

    /// Both overlay modes (`keep_hard_objects: [false, true]`): labelled rows in Table 1 and one
    /// line per mode in the pileup figure, both from the no-pileup row.
    @Test func bothOverlayModesAreLabelledRows() throws {
        var fixture = try RunFixture(
            "report-overlay-modes", edits: ["  keep_hard_objects: false": "  keep_hard_objects: [false, true]"])
        try fixture.writeLimits(analysis: "PJ-LR-CNN", medians: [0.08, 0.08])
        for (mode, median) in [("false", 0.12), ("true", 0.09)] {
            try fixture.writeLimits(
                analysis: "PJ-LR-CNN", mean: "20", medians: [median, median], only: ["keep_hard_objects": mode])
        }
        let data = try RunLoader.load(runDirectory: fixture.run.path)
        #expect(
            ReportTable(data).rows.map(\.label) == [
                "PJ-LR-CNN", "PJ-LR-CNN ⟨N⟩=20 reclustered", "PJ-LR-CNN ⟨N⟩=20 keep-hard-objects",
            ])
        let figure = try #require(ReportFigures.pileup(data))
        let out = fixture.run.appendingPathComponent("figure")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        _ = try figure.figure.write(to: out)
        let csv = try Self.read(out.appendingPathComponent("pileup.csv"))
        #expect(csv.contains("PJ-LR-CNN reclustered") && csv.contains("PJ-LR-CNN keep-hard-objects"), "\(csv)")
    }

    @Test func paperReferenceNumbersAreThePapersTable1() throws {
        // Every published "median+up −down" of Table 1 occurs in the paper's text (its Table 1 and
        // the pileup sentence, extracted from arXiv:2008.05434 into Tests/Fixtures/paper/).
        let text = try String(contentsOf: Fixtures.url("paper/table1.txt"), encoding: .utf8)
        #expect(PaperTable1.rows.count == 11)
        for row in PaperTable1.rows {
            for (_, v) in row.values {
                let s = String(format: "%.3f+%.3f\n−%.3f", v.median, v.up!, v.down!)
                #expect(text.contains(s), "row \(row.number): \(s)")
            }
        }
        #expect(text.contains("0.076, 0.059, and 0.045"))
    }

    @Test func commandPrintsTheTableAndRejectsABadPath() throws {
        let fixture = try RunFixture.complete("report-command")
        let ok = try Launcher.vbfgrid(["report", fixture.run.path])
        #expect(ok.status == 0, "\(ok.combined)")
        #expect(
            ok.stdout.contains("demo sizes") && ok.stdout.contains("PJ-LR-CNN ⟨N⟩=20")
                && ok.stdout.contains("index.html"))
        let bad = try Launcher.vbfgrid(["report", fixture.run.appendingPathComponent("nope").path])
        #expect(
            bad.status != 0 && bad.stderr.contains("nope: not a directory") && !bad.combined.contains("Fatal error"))
    }
}
