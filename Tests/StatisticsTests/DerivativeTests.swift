import Foundation
import Statistics
import TestSupport
import Testing

/// The analytic gradient and Hessian of the NLL against central finite differences, at points
/// that exercise both branches of code 4 and code 4p (|α| < 1 and > 1), and the interpolation
/// codes' continuity at α = ±1.
@Suite struct DerivativeTests {
    /// A model with every modifier: the 10-bin all-systematics case plus a shapesys on one sample.
    static func model() throws -> StatisticalModel {
        let reference = try LimitCase.named("pub_nnP10_all_140")
        var workspace = try reference.model().workspace()
        let data = workspace.channels[0].samples[2].data
        workspace.channels[0].samples[2].modifiers.append(
            .shapesys(name: "uncorrelated", uncertainties: data.map { 0.05 * $0 }))
        return try StatisticalModel(workspace: workspace)
    }

    static func point(_ model: StatisticalModel, outside: Bool) -> [Double] {
        model.parameters.enumerated().map { i, p in
            if p.fixed { return p.initial }
            let wiggle = 0.013 * Double((i * 7) % 11) - 0.06
            switch p.constraint {
            case .none: return 0.4
            case .poisson: return 1 + wiggle
            case let .gaussian(sigma):
                if p.auxNominal == 0 { return (outside ? 1.6 : 0.55) * (i % 2 == 0 ? 1 : -1) + wiggle }
                return 1 + 0.7 * sigma * (i % 2 == 0 ? 1 : -1)
            }
        }
    }

    @Test(arguments: [false, true])
    func gradientAndHessianMatchFiniteDifferences(outside: Bool) throws {
        let model = try Self.model()
        // Data away from the expectation so that the Poisson terms are not at their minimum.
        var data = model.observed
        data.main = data.main.enumerated().map { $1 * (1 + 0.03 * Double($0 % 3 - 1)) }
        let x = Self.point(model, outside: outside)
        var gradient: [Double] = [], hessian: [Double] = []
        let value = model.nllWithDerivatives(x, data: data, gradient: &gradient, hessian: &hessian)
        #expect(abs(value - model.nll(x, data: data)) < 1e-9 * max(1, abs(value)))
        let n = x.count
        for i in 0..<n where !model.parameters[i].fixed {
            let h = 1e-5 * max(1, abs(x[i]))
            var up = x, down = x
            up[i] += h
            down[i] -= h
            let fd = (model.nll(up, data: data) - model.nll(down, data: data)) / (2 * h)
            #expect(
                abs(fd - gradient[i]) < 1e-5 * max(1, abs(fd)),
                "∂/∂\(model.parameters[i].name): \(gradient[i]) vs \(fd)")
            var gUp: [Double] = [], gDown: [Double] = [], scratch: [Double] = []
            _ = model.nllWithDerivatives(up, data: data, gradient: &gUp, hessian: &scratch)
            _ = model.nllWithDerivatives(down, data: data, gradient: &gDown, hessian: &scratch)
            for j in 0..<n where !model.parameters[j].fixed {
                let fdh = (gUp[j] - gDown[j]) / (2 * h)
                #expect(
                    abs(fdh - hessian[i * n + j]) < 1e-5 * max(1, abs(fdh)),
                    "∂²/∂\(model.parameters[i].name)∂\(model.parameters[j].name): \(hessian[i * n + j]) vs \(fdh)")
            }
        }
        for i in 0..<n {
            for j in 0..<i {
                #expect(abs(hessian[i * n + j] - hessian[j * n + i]) < 1e-9 * max(1, abs(hessian[i * n + j])))
            }
        }
    }

    @Test func code4IsSmoothAtPlusMinusOne() throws {
        let code = try Code4(lo: 0.85, hi: 1.12)
        #expect(code.evaluate(0).value == 1)
        #expect(abs(code.evaluate(1).value - 1.12) < 1e-14 && abs(code.evaluate(-1).value - 0.85) < 1e-14)
        for edge in [-1.0, 1.0] {
            let inside = code.evaluate(edge * (1 - 1e-9)), outside = code.evaluate(edge * (1 + 1e-9))
            #expect(abs(inside.value - outside.value) < 1e-8)
            #expect(abs(inside.first - outside.first) < 1e-7)
            #expect(abs(inside.second - outside.second) < 1e-6)
        }
    }

    @Test func code4pIsSmoothAtPlusMinusOne() {
        let code = Code4p(nominal: 10, up: 12.5, down: 8.9)
        #expect(code.evaluate(0).value == 0)
        #expect(abs(code.evaluate(1).value - 2.5) < 1e-13 && abs(code.evaluate(-1).value + 1.1) < 1e-13)
        for edge in [-1.0, 1.0] {
            let inside = code.evaluate(edge * (1 - 1e-9)), outside = code.evaluate(edge * (1 + 1e-9))
            #expect(abs(inside.value - outside.value) < 1e-8)
            #expect(abs(inside.first - outside.first) < 1e-7)
        }
    }
}
