import Foundation
import Statistics
import TestSupport
import Testing

/// One bin without systematics: q_μ,A = 2[μs − b ln(1 + μs/b)] (Asimov data b), and for b = 0,
/// q_μ,A = 2μs. The limits solve √q_μ,A(μ_N) = N − Φ⁻¹(0.05·Φ(N)); here they are found by
/// plain bisection on the formula, independently of the fits.
@Suite struct ClosedFormTests {
    static func onebin(b: Double, s: Double) -> HistFactoryModel {
        HistFactoryModel(
            samples: [
                Sample(name: "signal", counts: [s], isSignal: true),
                Sample(name: "background", counts: [b], isSignal: false),
            ],
            lumiUncertainty: nil, muBounds: 0...100)
    }

    static func formulaQ(_ mu: Double, b: Double, s: Double) -> Double {
        b == 0 ? 2 * mu * s : 2 * (mu * s - b * log1p(mu * s / b))
    }

    static func bisect(_ target: Double, b: Double, s: Double) -> Double {
        var lo = 0.0, hi = 1.0
        while formulaQ(hi, b: b, s: s).squareRoot() < target { hi *= 2 }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if formulaQ(mid, b: b, s: s).squareRoot() < target { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// The band thresholds of the reference README.
    @Test func thresholds() {
        let readme = [1.05176, 1.41199, 1.95996, 2.72718, 3.65598]
        for (n, value) in zip(-2...2, readme) {
            #expect(abs(ExpectedLimits.threshold(n: n) - value) < 6e-6, "N = \(n)")
        }
    }

    @Test(arguments: [(100.0, 20.0), (0.5, 3.0), (10000.0, 5.0), (37.0, 0.8)])
    func bandMatchesFormula(_ bs: (Double, Double)) throws {
        let (b, s) = bs
        let band = try ExpectedLimits.compute(Self.onebin(b: b, s: s))
        let formula = (-2...2).map { Self.bisect(ExpectedLimits.threshold(n: $0), b: b, s: s) }
        #expect(maxRelativeDeviation(band.values, formula) < 1e-8, "b = \(b), s = \(s): \(band.values) vs \(formula)")
    }

    @Test func testStatisticMatchesFormula() throws {
        let model = try StatisticalModel(Self.onebin(b: 100, s: 20))
        let statistic = try TestStatistic(model: model, data: model.observed)
        for mu in [0.1, 0.7, 1.3, 4.0] {
            let (q, dq) = try statistic.qTilde(mu: mu)
            #expect(abs(q - Self.formulaQ(mu, b: 100, s: 20)) < 1e-10, "μ = \(mu)")
            let slope = 2 * (20 - 100 * 20 / (100 + mu * 20)) // d/dμ of the formula
            #expect(abs(dq - slope) < 1e-8, "μ = \(mu)")
        }
    }

    /// Large b: μ_N → (√b/s)·threshold(N).
    @Test func largeBackgroundLimit() throws {
        let b = 1e8, s = 1.0
        var model = Self.onebin(b: b, s: s)
        model.muBounds = 0...1e6
        let band = try ExpectedLimits.compute(model)
        for n in -2...2 {
            let gaussian = b.squareRoot() / s * ExpectedLimits.threshold(n: n)
            #expect(abs(band[n] - gaussian) / gaussian < 1e-3, "N = \(n)")
        }
    }

    /// A bin without background: q_μ,A = 2μs, so μ_N = threshold(N)²/(2s).
    @Test func zeroBackgroundBin() throws {
        let band = try ExpectedLimits.compute(Self.onebin(b: 0, s: 4))
        for n in -2...2 {
            let t = ExpectedLimits.threshold(n: n)
            #expect(abs(band[n] - t * t / 8) / (t * t / 8) < 1e-8, "N = \(n): \(band[n])")
        }
    }
}

/// Luminosity scaling keeps the MC-stat relative errors and, without systematics and with a
/// large background, scales the limits as 1/√k.
@Suite struct LuminosityScalingTests {
    @Test func relativeErrorsAreKeptAndLimitsScale() throws {
        let reference = try LimitCase.named("pub_nnP10_paper_300")
        let model = try reference.model()
        let scaled = model.scaled(luminosityFactor: 140.0 / 300)
        let a = try StatisticalModel(model), b = try StatisticalModel(scaled)
        func sigmas(_ m: StatisticalModel) -> [Double] {
            m.parameters.filter { $0.setName == HistFactoryModel.statErrorName }.map {
                if case let .gaussian(sigma) = $0.constraint { sigma } else { .nan }
            }
        }
        #expect(sigmas(a).count == 10)
        #expect(maxRelativeDeviation(sigmas(b), sigmas(a)) < 1e-12)
        let onebin = ClosedFormTests.onebin(b: 1e6, s: 30)
        let k = 4.0
        let base = try ExpectedLimits.compute(onebin),
            more = try ExpectedLimits.compute(onebin.scaled(luminosityFactor: k))
        #expect(abs(more.median * k.squareRoot() / base.median - 1) < 1e-3)
    }
}
