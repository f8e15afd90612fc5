import Events
import Foundation

/// The parameters fastsim uses for one channel. The hard process is an invisible system
/// (H, Z→νν, or W→ℓν with the lepton lost) with p_T drawn from a power law above
/// `invisiblePtMin`, recoiling against two tagging partons and `radiationMean` extra partons.
/// The numbers were tuned so that, after the detector and the baseline selection, the
/// medians of |Δη_jj| and m_jj match Pythia 8.317 + FastJet (docs/physics.md).
public struct ChannelModel: Sendable {
    /// Cross section (fb) of the channel with p_T(invisible) > `referencePtMin`.
    public var referenceCrossSectionFb: Double
    /// Where that number comes from.
    public var crossSectionSource: String
    public var referencePtMin = 150.0
    /// Generation starts at this invisible p_T (a bias towards the selected phase space, met > 200).
    public var invisiblePtMin = 150.0
    /// Power-law index n of dσ/dp_T ∝ p_T^−n of the invisible system.
    public var invisiblePtIndex: Double

    /// Generator-level cross section per attempt (fb): the reference σ scaled by the model's own
    /// spectrum to the generation threshold, σ_ref · (p_ref / p_min)^(n − 1).
    public var crossSectionFb: Double {
        referenceCrossSectionFb * pow(referencePtMin / invisiblePtMin, invisiblePtIndex - 1)
    }
    /// Mass of the invisible system (GeV).
    public var invisibleMass: Double
    /// True when the invisible system is a W whose charged lepton must be lost.
    public var leptonicW = false
    /// Tagging partons: |Δη| ~ |Normal(mean, sigma)|, centre ~ Normal(0, centreSigma).
    public var deltaEtaMean: Double
    public var deltaEtaSigma: Double
    public var centreSigma: Double
    /// Share of the recoil taken by the leading tagging parton: z ~ Uniform(zMin, 1 − zMin).
    public var zMin: Double
    /// Mean magnitude (GeV) of the back-to-back transverse momentum of the two tagging partons.
    public var relativeKt: Double
    /// Extra radiated partons: Poisson mean, p_T = 15 GeV + Exp(mean), η ~ Normal(centre, sigma).
    public var radiationMean: Double
    public var radiationPtMean: Double
    public var radiationEtaSigma: Double
    /// Colour flow: true (QCD) fills the rapidity interval between the tagging partons with
    /// soft hadrons; false (colour-singlet exchange) connects each tagging parton to its beam.
    public var colourConnectedGap: Bool

    /// The model of every channel but min-bias (which is `MinBiasModel`).
    public static func model(for channel: Channel) -> ChannelModel {
        switch channel {
        case .sEW:
            ChannelModel(
                referenceCrossSectionFb: 505,
                crossSectionSource: "Pythia 8.317 VBF H, p_T(H) > 150 GeV, docs/physics.md",
                invisiblePtIndex: 4.6, invisibleMass: 125, deltaEtaMean: 4.2, deltaEtaSigma: 1.1, centreSigma: 1.2,
                zMin: 0.15, relativeKt: 40, radiationMean: 0.6, radiationPtMean: 20, radiationEtaSigma: 1.5,
                colourConnectedGap: false)
        case .zEW:
            ChannelModel(
                referenceCrossSectionFb: 550,
                crossSectionSource: "set so that σ×A(Z_EW)/σ×A(Z_QCD) after the selection is the paper's 2.295/51.221",
                invisiblePtIndex: 4.8, invisibleMass: 91.19, deltaEtaMean: 4.2, deltaEtaSigma: 1.1, centreSigma: 1.2,
                zMin: 0.15, relativeKt: 40, radiationMean: 0.6, radiationPtMean: 20, radiationEtaSigma: 1.5,
                colourConnectedGap: false)
        case .wEW:
            ChannelModel(
                referenceCrossSectionFb: 1270,
                crossSectionSource: "set so that σ×A(W_EW)/σ×A(W_QCD) after the selection is the paper's 1.587/44.896",
                invisiblePtIndex: 4.8, invisibleMass: 80.4, leptonicW: true, deltaEtaMean: 4.2, deltaEtaSigma: 1.1,
                centreSigma: 1.2, zMin: 0.15, relativeKt: 40, radiationMean: 0.6, radiationPtMean: 20,
                radiationEtaSigma: 1.5, colourConnectedGap: false)
        case .sQCD:
            ChannelModel(
                referenceCrossSectionFb: 1410,
                crossSectionSource: "Pythia 8.317 gg/qg/qq̄ → H + jet, p̂_T > 150 GeV, docs/physics.md",
                invisiblePtIndex: 3.8, invisibleMass: 125, deltaEtaMean: 0, deltaEtaSigma: 2.4, centreSigma: 1.2,
                zMin: 0.1, relativeKt: 130, radiationMean: 0.7, radiationPtMean: 30, radiationEtaSigma: 2.8,
                colourConnectedGap: true)
        case .zQCD:
            ChannelModel(
                referenceCrossSectionFb: 32_300,
                crossSectionSource: "Pythia 8.317 Z(→νν) + jet, p̂_T > 150 GeV, docs/physics.md",
                invisiblePtIndex: 4.8, invisibleMass: 91.19, deltaEtaMean: 0, deltaEtaSigma: 2.4, centreSigma: 1.2,
                zMin: 0.1, relativeKt: 70, radiationMean: 0.7, radiationPtMean: 30, radiationEtaSigma: 2.8,
                colourConnectedGap: true)
        case .wQCD:
            ChannelModel(
                referenceCrossSectionFb: 126_000,
                crossSectionSource: "Pythia 8.317 W(→ℓν) + jet, p̂_T > 150 GeV, docs/physics.md",
                invisiblePtIndex: 4.8, invisibleMass: 80.4, leptonicW: true, deltaEtaMean: 0, deltaEtaSigma: 1.85,
                centreSigma: 1.2, zMin: 0.1, relativeKt: 70, radiationMean: 0.7, radiationPtMean: 30,
                radiationEtaSigma: 2.8, colourConnectedGap: true)
        case .minBias:
            fatalError("min-bias events come from MinBiasModel")
        }
    }
}

/// Soft inelastic (min-bias) events: visible multiplicity ~ negative binomial, flat in
/// |η| < 5, p_T ~ Gamma. Defaults reproduce Pythia 8.317 SoftQCD:inelastic at 13 TeV:
/// ⟨N_vis⟩ = 139.5 and ⟨ΣE_T⟩ = 58.2 GeV in |η| < 5; σ_inel = 78.0 mb.
public struct MinBiasModel: Sendable {
    public var meanMultiplicity = 139.5
    public var multiplicityShape = 2.0
    public var meanPt = 58.2 / 139.5
    public var ptShape = 1.6
    public var etaMax = 5.0
    public var crossSectionFb = 78.0e12
    public init() {}
}
