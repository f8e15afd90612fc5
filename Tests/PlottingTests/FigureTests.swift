import Foundation
import TestSupport
import Testing

@testable import Plotting

@Suite struct FigureTests {
    static let edges = [0.0, 500, 1000, 1500, 2000, 3000]

    static func stackedPlot() -> Plot {
        let layers = ["S_EW", "S_QCD", "Z_QCD"].enumerated().map { i, name in
            (name: name, values: [1.0, 2, 3, 4, 5].map { $0 * Double(i + 1) }, color: Palette.channel(name))
        }
        return Plot(
            title: "m_jj <stacked> & more", x: Axis("m_jj [GeV]"), y: Axis("events / bin", scale: .log10),
            series: Series.stacked(edges: edges, layers: layers), legend: .outsideRight)
    }

    @Test func everyKindRendersValidSVGWithAxesAndLegend() throws {
        let roc = Plot(
            title: "ROC", x: Axis("ε_S", range: 0...1), y: Axis("1/ε_B", scale: .log10),
            series: [
                Series(
                    "seed band", .band(x: [0.1, 0.5, 0.9], low: [50, 8, 1.5], high: [90, 12, 2.5]),
                    color: "#e41a1c", opacity: 0.25),
                Series(
                    "PJ-LR-CNN (AUC 0.91)", .line(x: [0, 0.1, 0.5, 0.9, 1], y: [.infinity, 70, 10, 2, 1]),
                    color: "#e41a1c"),
            ], legend: .topRight)
        let bars = Plot(
            title: "Separation", x: Axis("feature"), y: Axis("⟨S²⟩", includeZero: true),
            series: [Series("", .bars(x: [0, 1, 2], values: [0.3, 0.2, 0.05], width: 0.7), color: "#555")],
            legend: .hidden, categories: ["|Δη_jj|", "m_jj", "met"])
        let brazil = Plot(
            title: "Limits", x: Axis("analysis"), y: Axis("BR(h→inv) 95% CL"),
            series: [
                Series("±2σ", .boxes(x: [0, 1], low: [0.1, 0.05], high: [0.4, 0.2], width: 0.6), color: "#ffdd00"),
                Series("±1σ", .boxes(x: [0, 1], low: [0.15, 0.07], high: [0.3, 0.15], width: 0.6), color: "#00cc00"),
                Series("median", .points(x: [0, 1], y: [0.2, 0.1], low: nil, high: nil), color: "#000"),
            ],
            categories: ["mjj", "PJ-LR-CNN"])
        let heat = Heatmap(
            title: "ρ signal", values: [[1, 0.5], [0.5, 1]], rowLabels: ["a", "b"], columnLabels: ["a", "b"],
            colorMap: .diverging, valueRange: -1...1, colorBarLabel: "ρ", showValues: true)
        let figure = Figure(
            name: "all kinds", title: "All kinds", panels: [Self.stackedPlot(), roc, bars, brazil, heat], columns: 2)
        let svg = figure.svg()
        let doc = SVGInspection(svg)
        #expect(doc.parsed, "\(doc.error ?? "")")
        #expect(doc.root == "svg" && doc.rootAttributes["viewBox"] == "0 0 1120 \(Int(figure.height))")
        #expect(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
        #expect(doc.classes.filter { $0 == "x-axis" }.count == 5 && doc.classes.filter { $0 == "y-axis" }.count == 5)
        #expect(doc.classes.filter { $0 == "legend" }.count == 3, "stacked, ROC and Brazil panels have legends")
        #expect(doc.classes.filter { $0 == "colorbar" }.count == 1)
        #expect(
            doc.texts.contains("m_jj <stacked> & more") && doc.texts.contains("1/ε_B") && doc.texts.contains("0.50"))
        #expect(doc.texts.contains("Z_QCD") && doc.texts.contains("|Δη_jj|"))
        // Log ROC axis labels its decades; the infinite first point is not drawn.
        #expect(doc.texts.contains("10") && doc.texts.contains("100") && !svg.contains("inf"))
        // Unique clip ids per panel.
        #expect(svg.components(separatedBy: "<clipPath id=\"clip-all-kinds-").count == 5)
    }

    @Test func stackedLayersSitOnTheSumOfTheLayersBelow() throws {
        let series = Self.stackedPlot().series
        guard case .histogram(_, let top, let base, true) = series[2].kind else {
            Issue.record("not a filled histogram")
            return
        }
        #expect(base == [3, 6, 9, 12, 15] && top == [3, 6, 9, 12, 15])
        let y = Self.stackedPlot().ranges.y
        #expect(y.lowerBound <= 1 && y.upperBound >= 30, "log range covers the lowest layer and the stack's top")
    }

    @Test func exportsMatchTheDrawnNumbers() throws {
        let figure = Figure(name: "stack", title: "Stack", panels: [Self.stackedPlot()])
        let lines = figure.csv().split(separator: "\n")
        #expect(lines[0] == "panel,series,kind,category,x,x_high,y,y_low,y_high,value")
        #expect(lines.count == 1 + 3 * 5)
        #expect(lines[1] == "0,S_EW,histogram,,0.0,500.0,1.0,0.0,,")
        #expect(lines.last == "0,Z_QCD,histogram,,2000.0,3000.0,15.0,15.0,,")
        let json = try JSONSerialization.jsonObject(with: figure.json()) as! [String: Any]
        let panels = json["panels"] as! [[String: Any]]
        let series = panels[0]["series"] as! [[String: Any]]
        #expect(series.count == 3 && (series[1]["values"] as! [Double]) == [2, 4, 6, 8, 10])
        #expect(panels[0]["y_scale"] as? String == "log10" && panels[0]["x_label"] as? String == "m_jj [GeV]")
    }

    @Test func nonFiniteValuesExportAsNull() throws {
        let plot = Plot(
            title: "r", x: Axis("x"), y: Axis("y"),
            series: [Series("a", .line(x: [0, 1], y: [.infinity, 2]), color: "#000")])
        let text = String(decoding: try Figure(name: "r", title: "r", panels: [plot]).json(), as: UTF8.self)
        #expect(text.contains("null") && !text.contains("inf"))
    }

    @Test func heatmapExportsEveryCellAndLogColourBar() throws {
        var image = [[Double]](repeating: [Double](repeating: 0, count: 6), count: 10)
        for r in 0..<10 { for c in 0..<6 { image[r][c] = 0.01 * Double(r + c + 1) } }
        image[5][3] = 100
        let heat = Heatmap(
            title: "avg", values: image, xLabel: "φ", yLabel: "η", xExtent: -3.5...3.5, yExtent: -5...5,
            logColor: true, colorBarLabel: "⟨E_T⟩ [GeV]")
        let figure = Figure(name: "img", title: "img", panels: [heat])
        let doc = SVGInspection(figure.svg())
        #expect(doc.parsed)
        #expect(doc.elementCounts["rect", default: 0] >= 60)
        #expect(doc.texts.contains("100") && doc.texts.contains("0.01"), "log colour bar labels decades")
        #expect(figure.csv().split(separator: "\n").count == 1 + 60)
    }

    @Test func colourMapsAndPalettesAreFixed() {
        #expect(ColorMap.viridis.color(0) == "#440154" && ColorMap.viridis.color(1) == "#fde725")
        #expect(ColorMap.diverging.color(0.5) == "#f7f7f7")
        #expect(Set(["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"].map(Palette.channel)).count == 6)
        #expect(Palette.network("PJ-LR-CNN ⟨N⟩=20") == Palette.network("PJ-LR-CNN"))
    }

    @Test func writesThreeFilesAtomically() throws {
        let dir = TestPaths.temporaryDirectory("plot-write")
        let files = try Figure(name: "stack", title: "Stack", panels: [Self.stackedPlot()]).write(to: dir)
        #expect(files == ["stack.svg", "stack.csv", "stack.json"])
        for f in files { #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path)) }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { !files.contains($0) }
        #expect(leftovers.isEmpty)
    }
}
