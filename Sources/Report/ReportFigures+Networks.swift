import Foundation
import Plotting
import Training

extension ReportFigures {
    /// Per-channel network-output distributions (each normalised to unit area), log y, one
    /// panel per network (its lowest seed).
    public static func outputs(_ data: ReportData) -> ReportFigure? {
        let chosen = lowestSeedPerNetwork(data.outputHistograms, network: \.network, seed: \.seed)
        guard !chosen.isEmpty else { return nil }
        let panels: [any Chart] = chosen.map { h in
            let series = h.channels.map { c -> Series in
                let total = c.values.reduce(0, +)
                let widths = zip(h.edges.dropFirst(), h.edges).map { $0 - $1 }
                let density = zip(c.values, widths).map { total > 0 && $1 > 0 ? $0 / total / $1 : 0 }
                return Series(
                    c.channel, .histogram(edges: h.edges, values: density, base: nil, filled: false),
                    color: Palette.channel(c.channel), lineWidth: 1.8)
            }
            return Plot(
                title: h.network + (h.seed.map { " (seed \($0))" } ?? ""),
                x: Axis("network output P(signal)", range: 0...1),
                y: Axis("normalised density", scale: .log10), series: series, legend: .topLeft, headroom: 0.4)
        }
        return ReportFigure(
            figure: Figure(
                name: "network-outputs", title: "Network outputs per channel", panels: panels,
                columns: 2, panelWidth: 540, panelHeight: 380),
            caption: "Distribution of the signal probability on the validation set, per channel, each normalised "
                + "to unit area; mirrors paper figs. 11 and 12.")
    }

    /// ROC curves (ε_S vs 1/ε_B, log y) for every network; with several seeds the band spans
    /// the seeds and the line is their mean.
    public static func roc(_ data: ReportData) -> ReportFigure? {
        guard !data.rocCurves.isEmpty else { return nil }
        let grid = (1...100).map { Double($0) / 100 }
        var series: [Series] = []
        let networks = uniqueOrdered(data.rocCurves.map(\.network)).sorted {
            (PaperTable1.order($0), $0) < (PaperTable1.order($1), $1)
        }
        for network in networks {
            let curves = data.rocCurves.filter { $0.network == network }
            let rejections = curves.map { c in grid.map { 1 / backgroundEfficiency(c, atSignal: $0) } }
            let aucs = curves.map(\.auc)
            let meanAUC = aucs.reduce(0, +) / Double(aucs.count)
            var label = "\(network) AUC \(String(format: "%.3f", meanAUC))"
            let color = Palette.network(network)
            if curves.count > 1 {
                let sd = (aucs.map { ($0 - meanAUC) * ($0 - meanAUC) }.reduce(0, +) / Double(aucs.count - 1))
                    .squareRoot()
                label += String(format: " ± %.3f (%d seeds)", sd, curves.count)
                let low = grid.indices.map { i in rejections.map { $0[i] }.min()! }
                let high = grid.indices.map { i in rejections.map { $0[i] }.max()! }
                series.append(Series("", .band(x: grid, low: low, high: high), color: color, opacity: 0.22))
            }
            let mean = grid.indices.map { i in
                1 / (curves.map { backgroundEfficiency($0, atSignal: grid[i]) }.reduce(0, +) / Double(curves.count))
            }
            series.append(Series(label, .line(x: grid, y: mean), color: color, lineWidth: 2))
        }
        let plot = Plot(
            title: "ROC curves", x: Axis("signal efficiency ε_S", range: 0...1),
            y: Axis("background rejection 1/ε_B", scale: .log10), series: series, legend: .topRight, headroom: 0.05)
        return ReportFigure(
            figure: Figure(name: "roc", title: "ROC curves", panels: [plot], panelWidth: 760, panelHeight: 520),
            caption: "Background rejection 1/ε_B against signal efficiency ε_S on the validation set, with the AUC "
                + "(mean ± standard deviation over seeds); shaded: the range over seeds; mirrors paper fig. 13.")
    }

    /// ε_B at signal efficiency `s` by linear interpolation along the curve.
    static func backgroundEfficiency(_ c: ROCCurve, atSignal s: Double) -> Double {
        let pairs = zip(c.signalEfficiency, c.backgroundEfficiency).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
        guard let first = pairs.first, let last = pairs.last else { return 1 }
        if s <= first.0 { return first.1 }
        if s >= last.0 { return last.1 }
        let j = pairs.firstIndex { $0.0 >= s }!
        let (a, b) = (pairs[j - 1], pairs[j])
        return b.0 == a.0 ? b.1 : a.1 + (b.1 - a.1) * (s - a.0) / (b.0 - a.0)
    }

    /// Signal and background correlation matrices with values in the cells.
    public static func correlations(_ data: ReportData) -> ReportFigure? {
        guard !data.correlations.isEmpty else { return nil }
        let side = max(420, Double(data.correlations[0].labels.count) * 46 + 200)
        let panels: [any Chart] = data.correlations.map { m in
            Heatmap(
                title: "\(m.className) events", values: m.values, rowLabels: m.labels, columnLabels: m.labels,
                colorMap: .diverging, valueRange: -1...1, colorBarLabel: "Pearson ρ", showValues: true)
        }
        return ReportFigure(
            figure: Figure(
                name: "correlations", title: "Correlations of the top features and the network outputs",
                panels: panels, columns: 2, panelWidth: side, panelHeight: side - 40),
            caption:
                "Weighted Pearson correlations between the four highest-separation features (K and R) and the network "
                + "outputs on the validation set, separately for signal and background; mirrors paper fig. 14.")
    }

    /// Loss and accuracy per epoch for every network, one colour per seed; validation dashed.
    public static func training(_ data: ReportData) -> ReportFigure? {
        guard !data.trainingHistories.isEmpty else { return nil }
        var panels: [any Chart] = []
        for network in uniqueOrdered(data.trainingHistories.map(\.network)) {
            let runs = data.trainingHistories.filter { $0.network == network }
            func curves(_ train: KeyPath<EpochRecord, Double>, _ validation: KeyPath<EpochRecord, Double>) -> [Series] {
                runs.enumerated().flatMap { i, run -> [Series] in
                    let x = run.epochs.map { Double($0.epoch) }, seed = run.seed.map { "seed \($0)" } ?? "run \(i + 1)"
                    return [
                        Series(
                            "\(seed) train", .line(x: x, y: run.epochs.map { $0[keyPath: train] }),
                            color: Palette.cycle(i)),
                        Series(
                            "\(seed) validation", .line(x: x, y: run.epochs.map { $0[keyPath: validation] }),
                            color: Palette.cycle(i), dash: "6 4"),
                    ]
                }
            }
            panels.append(
                Plot(
                    title: "\(network): loss", x: Axis("epoch"), y: Axis("cross-entropy loss"),
                    series: curves(\.loss, \.validationLoss), legend: .topRight, headroom: 0.35))
            panels.append(
                Plot(
                    title: "\(network): accuracy", x: Axis("epoch"), y: Axis("accuracy"),
                    series: curves(\.accuracy, \.validationAccuracy), legend: .bottomRight, headroom: 0.05))
        }
        return ReportFigure(
            figure: Figure(
                name: "training", title: "Training curves", panels: panels, columns: 2,
                panelWidth: 520, panelHeight: 340),
            caption: "Training (solid) and validation (dashed) loss and accuracy per epoch, one colour per seed; "
                + "the epoch with the highest validation accuracy is the model evaluated.")
    }

    static func lowestSeedPerNetwork<T>(_ items: [T], network: KeyPath<T, String>, seed: KeyPath<T, Int?>) -> [T] {
        var best: [String: T] = [:]
        for item in items
        where best[item[keyPath: network]].map({ (item[keyPath: seed] ?? 0) < ($0[keyPath: seed] ?? 0) }) ?? true {
            best[item[keyPath: network]] = item
        }
        return best.values.sorted {
            (PaperTable1.order($0[keyPath: network]), $0[keyPath: network])
                < (PaperTable1.order($1[keyPath: network]), $1[keyPath: network])
        }
    }
}
