/// Bounded minimisation of the NLL by projected Newton with a backtracking (Armijo) line search:
/// parameters at a bound whose gradient pushes outwards are held there, the Newton step is
/// taken in the others (Levenberg damping when the Hessian is not positive definite), and every
/// trial point is projected onto the box. Converges quadratically near the minimum; on a flat
/// likelihood (μ̂ at its bound 0) the bound stays active.
public struct Minimizer: Sendable {
    /// The outcome of a fit.
    public struct Result: Sendable {
        public var parameters: [Double]
        public var nll: Double
        public var iterations: Int
    }

    /// Stop when the Newton decrement gᵀH⁻¹g falls below this (an NLL change), or when a step
    /// no longer lowers the NLL (the rounding floor of the NLL).
    public var tolerance: Double = 1e-11
    public var maxIterations: Int = 200

    public init() {}

    /// Minimises `model.nll` on `data` from `start`; parameters in `fixed` (and the model's
    /// fixed ones) keep their values from `start`.
    public func minimize(_ model: StatisticalModel, data: Dataset, start: [Double], fixed: Set<Int> = []) throws
        -> Result
    {
        let n = model.parameters.count
        let lower = model.parameters.map(\.lower), upper = model.parameters.map(\.upper)
        let held = model.parameters.indices.map { model.parameters[$0].fixed || fixed.contains($0) }
        var x = start
        for i in 0..<n where !held[i] { x[i] = min(max(x[i], lower[i]), upper[i]) }
        var gradient: [Double] = [], hessian: [Double] = []
        var f = model.nllWithDerivatives(x, data: data, gradient: &gradient, hessian: &hessian)
        guard f.isFinite else {
            throw StatisticsError.fitFailed(
                "the likelihood is not finite at the starting point (an expected count is ≤ 0 where data are > 0)")
        }
        for iteration in 1...maxIterations {
            var free = (0..<n).filter { i in
                !(held[i] || (x[i] <= lower[i] && gradient[i] > 0) || (x[i] >= upper[i] && gradient[i] < 0))
            }
            if free.isEmpty { return Result(parameters: x, nll: f, iterations: iteration) }
            // Newton step on the free set; a parameter at a bound that the step would push out is
            // held too and the step recomputed. If that holds every parameter, steepest descent.
            var p = try Self.newtonStep(hessian: hessian, gradient: gradient, n: n, free: free)
            while true {
                let blocked = Set(
                    free.indices.filter { a in
                        (x[free[a]] <= lower[free[a]] && p[a] < 0) || (x[free[a]] >= upper[free[a]] && p[a] > 0)
                    }.map { free[$0] })
                if blocked.isEmpty { break }
                let rest = free.filter { !blocked.contains($0) }
                if rest.isEmpty {
                    p = free.map { -gradient[$0] }
                    break
                }
                free = rest
                p = try Self.newtonStep(hessian: hessian, gradient: gradient, n: n, free: free)
            }
            let g = free.map { -gradient[$0] }
            let decrement = zip(p, g).reduce(0) { $0 + $1.0 * $1.1 }
            // Backtracking along the projected path.
            var t = 1.0, accepted = false
            var trial = x, fTrial = f
            for _ in 0..<60 {
                trial = x
                for (a, i) in free.enumerated() { trial[i] = min(max(x[i] + t * p[a], lower[i]), upper[i]) }
                fTrial = model.nll(trial, data: data)
                var slope = 0.0
                for i in free { slope += gradient[i] * (trial[i] - x[i]) }
                if fTrial <= f + 1e-4 * slope || (fTrial <= f && decrement < 1e3 * tolerance) {
                    accepted = true
                    break
                }
                t *= 0.5
            }
            if !accepted {
                guard decrement < 1e-6 else {
                    throw StatisticsError.fitFailed("the line search found no decrease (Newton decrement \(decrement))")
                }
                return Result(parameters: x, nll: f, iterations: iteration)
            }
            if decrement < tolerance || fTrial >= f {
                x = trial
                f = model.nllWithDerivatives(x, data: data, gradient: &gradient, hessian: &hessian)
                return Result(parameters: x, nll: f, iterations: iteration)
            }
            x = trial
            f = model.nllWithDerivatives(x, data: data, gradient: &gradient, hessian: &hessian)
        }
        throw StatisticsError.fitFailed("no convergence in \(maxIterations) Newton iterations")
    }

    /// Solves H_FF p = −g_F on the free set F, with Levenberg damping until H_FF + λI is
    /// positive definite.
    static func newtonStep(hessian: [Double], gradient: [Double], n: Int, free: [Int]) throws -> [Double] {
        let m = free.count
        var h = [Double](repeating: 0, count: m * m)
        var g = [Double](repeating: 0, count: m)
        var scale = 0.0
        for (a, i) in free.enumerated() {
            g[a] = -gradient[i]
            for (b, j) in free.enumerated() { h[a * m + b] = hessian[i * n + j] }
            scale = max(scale, abs(hessian[i * n + i]))
        }
        if let step = DenseLinearAlgebra.choleskySolve(h, g, n: m) { return step }
        var damping = 1e-10 * max(scale, 1e-300)
        while damping < 1e30 {
            var damped = h
            for a in 0..<m { damped[a * m + a] += damping }
            if let step = DenseLinearAlgebra.choleskySolve(damped, g, n: m) { return step }
            damping *= 10
        }
        throw StatisticsError.fitFailed("no descent direction (Hessian not finite)")
    }
}
