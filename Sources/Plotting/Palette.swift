import Foundation

/// Fixed colours, so that a channel or a network has the same colour in every figure.
public enum Palette {
    /// The six physics channels (paper §2): signals in warm colours, backgrounds in cool ones.
    public static let channels: [String: String] = [
        "S_EW": "#d62728", "S_QCD": "#ff7f0e",
        "Z_QCD": "#1f77b4", "W_QCD": "#2ca02c", "Z_EW": "#17becf", "W_EW": "#9467bd",
    ]
    /// The two classes.
    public static let signal = "#d62728"
    public static let background = "#1f77b4"

    /// The seven networks and the cut-based analyses.
    public static let networks: [String: String] = [
        "PJ-LR-CNN": "#e41a1c", "PJ-HR-CNN": "#984ea3", "Pmet-LR-CNN": "#ff7f00", "Pmet-HR-CNN": "#a65628",
        "K-ANN": "#377eb8", "R-ANN": "#4daf4a", "H-ANN": "#f781bf",
        "mjj (met > 250)": "#555555", "|Δηjj| (met > 250)": "#888888",
        "mjj (met > 200)": "#333333", "|Δηjj| (met > 200)": "#aaaaaa",
    ]

    /// A distinct colour for the i-th series of anything else.
    public static func cycle(_ i: Int) -> String {
        let colors = [
            "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf",
        ]
        return colors[((i % colors.count) + colors.count) % colors.count]
    }

    /// The channel's colour (a cycle colour for unknown names).
    public static func channel(_ name: String) -> String { channels[name] ?? cycle(name.count) }

    /// The network's or analysis' colour; a network name with a suffix (e.g. "PJ-LR-CNN ⟨N⟩=20")
    /// takes its base name's colour.
    public static func network(_ name: String) -> String {
        if let c = networks[name] { return c }
        if let key = networks.keys.sorted(by: { $0.count > $1.count }).first(where: { name.hasPrefix($0) }) {
            return networks[key]!
        }
        return cycle(name.unicodeScalars.reduce(0) { $0 &+ Int($1.value) })
    }
}

/// Continuous colour maps for heat maps.
public enum ColorMap: String, Codable, Sendable {
    /// Perceptually uniform, dark blue → green → yellow (matplotlib's viridis).
    case viridis
    /// Diverging blue → white → red for values in [−1, 1] (correlations).
    case diverging

    /// The colour at t ∈ [0, 1] (clamped), as #rrggbb.
    public func color(_ t: Double) -> String {
        let anchors: [(Double, Double, Double)]
        switch self {
        case .viridis:
            anchors = [
                (68, 1, 84), (72, 40, 120), (62, 74, 137), (49, 104, 142), (38, 130, 142),
                (31, 158, 137), (53, 183, 121), (109, 205, 89), (180, 222, 44), (253, 231, 37),
            ]
        case .diverging:
            anchors = [
                (5, 48, 97), (33, 102, 172), (67, 147, 195), (146, 197, 222), (209, 229, 240), (247, 247, 247),
                (253, 219, 199), (244, 165, 130), (214, 96, 77), (178, 24, 43), (103, 0, 31),
            ]
        }
        let x = (t.isFinite ? min(max(t, 0), 1) : 0) * Double(anchors.count - 1)
        let i = min(Int(x), anchors.count - 2), f = x - Double(i)
        let a = anchors[i], b = anchors[i + 1]
        func mix(_ u: Double, _ v: Double) -> Int { Int((u + (v - u) * f).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
    }

    /// Black or white, whichever reads better on the colour at t.
    public func textColor(_ t: Double) -> String {
        let hex = color(t).dropFirst()
        let v = Int(hex, radix: 16) ?? 0
        let luminance = 0.299 * Double(v >> 16) + 0.587 * Double((v >> 8) & 255) + 0.114 * Double(v & 255)
        return luminance > 140 ? "#000000" : "#ffffff"
    }
}
