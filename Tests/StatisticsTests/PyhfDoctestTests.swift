import Foundation
import Statistics
import TestSupport
import Testing

/// pyhf's documented example: signal [12, 11], background [50, 52] with uncorrelated (shapesys)
/// uncertainties [3, 7], observed [51, 48].
///
/// The doctest numbers were made with pyhf's default optimiser tolerance and, for the limits,
/// `toms748_scan(..., rtol=0.01)`; pyhf run with tight tolerances (1e-12, rtol 1e-9) gives
/// CLs_obs(1) = 0.0525155, limits 0.5598842, 0.7570290, 1.0623550, 1.5011808, 2.0508020,
/// observed 1.0115719. So the doctest CLs are compared within 2e-5 and its limits within
/// 5e-4 relative (their own root-finding accuracy), the tight-pyhf numbers within 1e-6.
@Suite struct PyhfDoctestTests {
    static func workspace() -> Workspace {
        Workspace(
            channels: [
                .init(
                    name: "singlechannel",
                    samples: [
                        .init(name: "signal", data: [12, 11], modifiers: [.normfactor(name: "mu")]),
                        .init(
                            name: "background", data: [50, 52],
                            modifiers: [.shapesys(name: "uncorr_bkguncrt", uncertainties: [3, 7])]),
                    ])
            ],
            observations: [.init(name: "singlechannel", data: [51, 48])],
            measurements: [.init(name: "measurement", config: .init(poi: "mu", parameters: []))])
    }

    @Test func observedAndExpectedCLsAtMuOne() throws {
        let calculator = try AsymptoticCalculator(model: StatisticalModel(workspace: Self.workspace()))
        let observed = try calculator.observedCLs(mu: 1)
        #expect(abs(observed - 0.05251497) / 0.05251497 < 2e-5, "\(observed)")
        #expect(abs(observed - 0.05251552420) / 0.05251552420 < 1e-6, "\(observed)")
        let expected = try calculator.expectedCLs(mu: 1)
        let doctest = [0.00260626, 0.01382005, 0.06445321, 0.23525644, 0.57303621]
        #expect(maxRelativeDeviation(expected, doctest) < 1e-4, "\(expected)")
    }

    @Test func limits() throws {
        let calculator = try AsymptoticCalculator(model: StatisticalModel(workspace: Self.workspace()))
        let band = try ExpectedLimits.compute(calculator)
        let doctest = [0.5600747, 0.75702605, 1.06234693, 1.50116923, 2.05078912]
        #expect(maxRelativeDeviation(band.values, doctest) < 5e-4, "\(band.values)")
        let tight = [0.5598842481, 0.7570290139, 1.0623549868, 1.5011808070, 2.0508019934]
        #expect(maxRelativeDeviation(band.values, tight) < 1e-6, "\(band.values)")
        let observed = try ObservedLimit.compute(calculator)
        #expect(abs(observed - 1.01156939) / 1.01156939 < 5e-4, "\(observed)")
        #expect(abs(observed - 1.0115718771) / 1.0115718771 < 1e-6, "\(observed)")
    }

    /// shapesys: τ_b = (b/σ)² and a Poisson constraint per bin, γ fixed where σ = 0.
    @Test func shapesysParameters() throws {
        let model = try StatisticalModel(workspace: Self.workspace())
        let gammas = model.parameters.filter { $0.setName == "uncorr_bkguncrt" }
        #expect(gammas.count == 2)
        #expect(gammas[0].constraint == .poisson(tau: (50.0 / 3) * (50.0 / 3)))
        #expect(gammas[1].constraint == .poisson(tau: (52.0 / 7) * (52.0 / 7)))
        #expect(gammas.allSatisfy { !$0.fixed })
    }
}
