import Foundation
import Statistics
import TestSupport
import Testing

/// The bounded minimiser ends at Karush–Kuhn–Tucker points: zero gradient in the free
/// parameters, and at a bound only a gradient that pushes outwards. Far above the limits the
/// fits drive nuisance parameters onto their bounds (α = ±5, γ and λ limits).
@Suite struct MinimizerTests {
    static func checkKKT(_ model: StatisticalModel, _ data: Dataset, _ fit: Minimizer.Result, fixed: Set<Int>)
        -> [String]
    {
        var gradient: [Double] = [], hessian: [Double] = []
        _ = model.nllWithDerivatives(fit.parameters, data: data, gradient: &gradient, hessian: &hessian)
        var problems: [String] = []
        for (i, p) in model.parameters.enumerated() where !p.fixed && !fixed.contains(i) {
            let x = fit.parameters[i], g = gradient[i]
            let scale = max(1, hessian[i * model.parameters.count + i].squareRoot())
            if x <= p.lower {
                if g < -1e-6 * scale { problems.append("\(p.name) at lower bound with g = \(g)") }
            } else if x >= p.upper {
                if g > 1e-6 * scale { problems.append("\(p.name) at upper bound with g = \(g)") }
            } else if abs(g) > 1e-6 * scale {
                problems.append("\(p.name) = \(x) inside with g = \(g)")
            }
        }
        return problems
    }

    @Test(arguments: 1...20)
    func conditionalFitsFarAboveTheLimitAreKKTPoints(seed: Int) throws {
        let model = try StatisticalModel(RandomModelTests.model(seed: UInt64(seed)))
        let calculator = try AsymptoticCalculator(model: model)
        let median = try ExpectedLimits.compute(calculator).median
        for factor in [1.0, 10, 40] {
            let fit = try calculator.asimov.conditionalFit(mu: factor * median)
            let problems = Self.checkKKT(model, calculator.asimov.data, fit, fixed: [model.poi])
            #expect(problems.isEmpty, "seed \(seed), μ = \(factor)×median: \(problems)")
        }
    }

    /// Far above the limits of the all-systematics case some parameter sits on a bound.
    @Test func boundsBecomeActive() throws {
        let reference = try LimitCase.named("pub_detaP6_normsys_140")
        let model = try StatisticalModel(try reference.model())
        let statistic = try TestStatistic(model: model, data: model.observed)
        let fit = try statistic.conditionalFit(mu: 10)
        let bounded = model.parameters.indices.filter { i in
            i != model.poi
                && (fit.parameters[i] <= model.parameters[i].lower || fit.parameters[i] >= model.parameters[i].upper)
        }
        #expect(!bounded.isEmpty)
        #expect(Self.checkKKT(model, model.observed, fit, fixed: [model.poi]).isEmpty)
    }
}
