/// Axis labels with units for the feature names stored in data sets (Selection's `Features`).
enum FeatureLabels {
    static let k: [String: String] = [
        "|deta_jj|": "|Δη_jj|", "|dphi_jj|": "|Δφ_jj| [rad]", "m_jj": "m_jj [GeV]", "met": "met [GeV]",
        "phi_met": "φ_met [rad]", "dphi(j1,met)": "Δφ(j1, met) [rad]", "dphi(j2,met)": "Δφ(j2, met) [rad]",
        "dphi(j1+j2,met)": "Δφ(j1+j2, met) [rad]",
    ]

    /// "m_jj [GeV]" for "m_jj"; "HT (|η| < 2.07) [GeV]" for "HT_2.07"; otherwise the name.
    static func axisLabel(_ name: String) -> String {
        if let label = k[name] { return label }
        if name.hasPrefix("HT_") { return "HT (|η| < \(name.dropFirst(3))) [GeV]" }
        return name
    }

    /// The label without its unit, for category axes and legends.
    static func shortLabel(_ name: String) -> String {
        let label = axisLabel(name)
        guard let bracket = label.range(of: " [") else { return label }
        return String(label[..<bracket.lowerBound])
    }
}
