import Foundation

/// The names of the paper's high-level features (§3), as they appear in data-set manifests,
/// reports and `vbfgrid inspect`. Selection's `Features` computes them in this order.
public enum FeatureNames {
    /// The K features: tagging-jet and MET kinematics.
    public static let k = [
        "|deta_jj|", "|dphi_jj|", "m_jj", "met", "phi_met",
        "dphi(j1,met)", "dphi(j2,met)", "dphi(j1+j2,met)",
    ]
    /// The η_C values of the R features (HT of the towers with |η| < η_C).
    public static let etaCuts: [Float] = [
        1, 1.27, 1.53, 1.8, 2.07, 2.33, 2.6, 2.87, 3.13, 3.4, 3.67,
        3.93, 4.2, 4.47, 4.73, 5,
    ]
    /// The R features.
    public static let r = etaCuts.map { "HT_\(String(format: "%.2f", $0))" }
    /// H = K ∪ R.
    public static let h = k + r
}
