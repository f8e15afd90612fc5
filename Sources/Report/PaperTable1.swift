/// The published numbers of the paper's Table 1 (arXiv:2008.05434): expected median 95% CL
/// upper limits on BR(h→inv) with their +1σ/−1σ offsets at 36, 140 and 300 fb⁻¹, and the
/// pileup medians of §6 (PJ-HR-CNN, ⟨N⟩ = 20 at 36 fb⁻¹ and 50 at 140 and 300 fb⁻¹).
public enum PaperTable1 {
    /// One published value: median +up −down.
    public struct Value: Sendable, Equatable {
        public var median: Double
        public var up: Double?
        public var down: Double?
    }

    public struct Row: Sendable {
        /// Sl.No of the paper.
        public var number: Int
        /// The analysis id of the grid runner: a network name or "cut-<observable>-<met cut>".
        public var id: String
        public var name: String
        public var description: String
        /// Values at 36, 140 and 300 fb⁻¹.
        public var values: [Double: Value]
    }

    private static func v(_ m: Double, _ u: Double, _ d: Double) -> Value { Value(median: m, up: u, down: d) }

    public static let rows: [Row] = [
        Row(
            number: 1, id: "cut-mjj-250", name: "m_jj (met > 250 GeV)",
            description: "reproduced shape analysis of reference [83]",
            values: [36: v(0.226, 0.093, 0.063), 140: v(0.165, 0.082, 0.056), 300: v(0.130, 0.089, 0.027)]),
        Row(
            number: 2, id: "cut-deta-250", name: "|Δη_jj| (met > 250 GeV)",
            description: "|Δη_jj| analysis with shape cuts of reference [83]",
            values: [36: v(0.200, 0.080, 0.056), 140: v(0.128, 0.050, 0.036), 300: v(0.106, 0.041, 0.025)]),
        Row(
            number: 3, id: "cut-mjj-200", name: "m_jj (met > 200 GeV)",
            description: "m_jj shape analysis with weaker cut",
            values: [36: v(0.191, 0.075, 0.053), 140: v(0.116, 0.071, 0.036), 300: v(0.101, 0.037, 0.045)]),
        Row(
            number: 4, id: "cut-deta-200", name: "|Δη_jj| (met > 200 GeV)",
            description: "|Δη_jj| analysis with weaker cut",
            values: [36: v(0.162, 0.065, 0.045), 140: v(0.105, 0.042, 0.029), 300: v(0.087, 0.034, 0.025)]),
        Row(
            number: 5, id: "PJ-LR-CNN", name: "PJ-LR-CNN", description: "low resolution, φ0 = φ_j1",
            values: [36: v(0.078, 0.030, 0.022), 140: v(0.051, 0.020, 0.014), 300: v(0.045, 0.017, 0.013)]),
        Row(
            number: 6, id: "PJ-HR-CNN", name: "PJ-HR-CNN", description: "high resolution, φ0 = φ_j1",
            values: [36: v(0.070, 0.027, 0.020), 140: v(0.043, 0.017, 0.012), 300: v(0.035, 0.013, 0.010)]),
        Row(
            number: 7, id: "Pmet-LR-CNN", name: "Pmet-LR-CNN", description: "low resolution, φ0 = φ_met",
            values: [36: v(0.092, 0.037, 0.025), 140: v(0.062, 0.024, 0.017), 300: v(0.053, 0.023, 0.014)]),
        Row(
            number: 8, id: "Pmet-HR-CNN", name: "Pmet-HR-CNN", description: "high resolution, φ0 = φ_met",
            values: [36: v(0.086, 0.035, 0.024), 140: v(0.058, 0.023, 0.016), 300: v(0.051, 0.020, 0.014)]),
        Row(
            number: 9, id: "K-ANN", name: "K-ANN", description: "8 kinematic variables",
            values: [36: v(0.101, 0.052, 0.022), 140: v(0.075, 0.029, 0.021), 300: v(0.063, 0.027, 0.017)]),
        Row(
            number: 10, id: "R-ANN", name: "R-ANN", description: "16 radiative HT_ηC variables",
            values: [36: v(0.138, 0.055, 0.039), 140: v(0.094, 0.036, 0.027), 300: v(0.079, 0.032, 0.022)]),
        Row(
            number: 11, id: "H-ANN", name: "H-ANN", description: "combination of K and R variables",
            values: [36: v(0.094, 0.038, 0.026), 140: v(0.065, 0.026, 0.018), 300: v(0.057, 0.022, 0.015)]),
    ]

    /// §6: PJ-HR-CNN with pileup, medians only, at (⟨N⟩, luminosity).
    public static let pileup: [(analysis: String, pileupMean: Double, luminosity: Double, median: Double)] = [
        ("PJ-HR-CNN", 20, 36, 0.076), ("PJ-HR-CNN", 50, 140, 0.059), ("PJ-HR-CNN", 50, 300, 0.045),
    ]

    public static func row(_ analysis: String) -> Row? { rows.first { $0.id == analysis } }

    public static func displayName(_ analysis: String) -> String { row(analysis)?.name ?? analysis }

    /// The published value for an analysis at a luminosity, with pileup when `pileupMean` is set
    /// (the paper only published PJ-HR-CNN with ⟨N⟩ = 20 at 36 fb⁻¹ and 50 at 140/300 fb⁻¹).
    public static func reference(_ analysis: String, pileupMean: Double?, luminosity: Double) -> Value? {
        if let pileupMean, pileupMean > 0 {
            return pileup.first {
                $0.analysis == analysis && $0.pileupMean == pileupMean && $0.luminosity == luminosity
            }
            .map { Value(median: $0.median, up: nil, down: nil) }
        }
        return row(analysis)?.values[luminosity]
    }

    /// The order of rows in the report: the paper's order, then anything else by name.
    public static func order(_ analysis: String) -> Int { row(analysis)?.number ?? 100 }
}
