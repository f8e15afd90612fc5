/// The systematic uncertainties of the limits model (docs/evaluation-and-limits.md, paper §6):
/// luminosity 2.5%, per-sample cross-section normsys (S_EW 5%, S_QCD 10%, backgrounds 10%),
/// Barlow–Beeston-lite MC statistics (staterror), and the JES histosys when shape templates
/// are available.
public struct SystematicsSettings: Codable, Sendable, Equatable {
    public var lumiUncertainty: Double = 0.025
    public var crossSectionUncertainty: [String: Double] = [
        "S_EW": 0.05, "S_QCD": 0.10, "Z_QCD": 0.10, "W_QCD": 0.10, "Z_EW": 0.10, "W_EW": 0.10,
    ]
    public var staterror = true
    public var jes = false
    public init() {}
}
