/// The profile-likelihood test statistic q̃_μ (Cowan, Cranmer, Gross, Vitells 2011) on one
/// dataset, with μ bounded below by 0: q̃_μ = 2[NLL(μ, θ̂̂_μ) − NLL(μ̂, θ̂)] for μ̂ ≤ μ, 0 above.
/// The free fit is done once.
public struct TestStatistic: Sendable {
    public let model: StatisticalModel
    public let data: Dataset
    /// The unconditional fit (μ̂, θ̂).
    public let freeFit: Minimizer.Result
    private let minimizer = Minimizer()

    /// Fits `data` freely (from the model's initial values with μ = 0).
    public init(model: StatisticalModel, data: Dataset) throws {
        self.model = model
        self.data = data
        var start = model.initial
        start[model.poi] = 0
        freeFit = try minimizer.minimize(model, data: data, start: start)
    }

    /// σ_μ from the inverse Hessian at the free fit (μ treated as free even at its bound), or
    /// nil when the Hessian is not positive definite. Used to guess where the limits are.
    public func poiUncertainty() -> Double? {
        var gradient: [Double] = [], hessian: [Double] = []
        _ = model.nllWithDerivatives(freeFit.parameters, data: data, gradient: &gradient, hessian: &hessian)
        let n = model.parameters.count
        let free = (0..<n).filter { !model.parameters[$0].fixed }
        guard let row = free.firstIndex(of: model.poi) else { return nil }
        let m = free.count
        var h = [Double](repeating: 0, count: m * m)
        for (a, i) in free.enumerated() { for (b, j) in free.enumerated() { h[a * m + b] = hessian[i * n + j] } }
        var unit = [Double](repeating: 0, count: m)
        unit[row] = 1
        guard let column = DenseLinearAlgebra.choleskySolve(h, unit, n: m), column[row] > 0 else { return nil }
        return column[row].squareRoot()
    }

    /// The fit with μ fixed. The likelihood need not be convex in a histosys α (code 4p makes ν
    /// quartic in α, and two minima occur), so after the fit from the nominal start (pyhf's) it
    /// restarts from that minimum with each histosys α moved to ±1.5, and keeps the lowest
    /// minimum. The starts do not depend on earlier fits, so q̃_μ is a function of μ alone.
    public func conditionalFit(mu: Double) throws -> Minimizer.Result {
        var nominal = model.initial
        nominal[model.poi] = mu
        var best = try minimizer.minimize(model, data: data, start: nominal, fixed: [model.poi])
        let first = best.parameters
        for p in model.shapeParameters {
            for shift in [-1.5, 1.5] {
                var start = first
                start[p] = shift
                if let other = try? minimizer.minimize(model, data: data, start: start, fixed: [model.poi]),
                    other.nll < best.nll
                {
                    best = other
                }
            }
        }
        return best
    }

    /// q̃_μ and dq̃_μ/dμ (by the envelope theorem, 2 ∂NLL/∂μ at the conditional minimum).
    public func qTilde(mu: Double) throws -> (q: Double, derivative: Double) {
        if freeFit.parameters[model.poi] > mu { return (0, 0) }
        let fit = try conditionalFit(mu: mu)
        var gradient: [Double] = [], hessian: [Double] = []
        _ = model.nllWithDerivatives(fit.parameters, data: data, gradient: &gradient, hessian: &hessian)
        return (max(0, 2 * (fit.nll - freeFit.nll)), 2 * gradient[model.poi])
    }
}
