/// Settings of the upper-limit searches.
public struct LimitOptions: Sendable {
    /// Confidence level (CLs < 1 − cl is excluded).
    public var confidenceLevel: Double = 0.95
    /// Relative tolerance on each limit.
    public var relativeTolerance: Double = 1e-10
    /// How many times the μ search range may be doubled beyond the POI's upper bound.
    public var maxDoublings: Int = 40

    public init(confidenceLevel: Double = 0.95, relativeTolerance: Double = 1e-10, maxDoublings: Int = 40) {
        self.confidenceLevel = confidenceLevel
        self.relativeTolerance = relativeTolerance
        self.maxDoublings = maxDoublings
    }
}

/// Expected CLs upper limits on μ: μ_N solves √q_μ,A(μ_N) = N + Φ⁻¹(1 − α·Φ(N)), α = 1 − CL,
/// with q_μ,A = q̃_μ on the background-only Asimov data (equivalently CLs_exp,N(μ_N) = α).
/// Roots by Newton's method safeguarded by bisection, with dq/dμ from the fit.
public enum ExpectedLimits {
    /// The band of a plain-form model.
    public static func compute(_ model: HistFactoryModel, options: LimitOptions = .init()) throws -> Band {
        try compute(AsymptoticCalculator(model: StatisticalModel(model)), options: options)
    }

    /// The band of a compiled model on `data` (default: its observations).
    public static func compute(_ model: StatisticalModel, data: Dataset? = nil, options: LimitOptions = .init()) throws
        -> Band
    {
        try compute(AsymptoticCalculator(model: model, data: data), options: options)
    }

    /// The right-hand side N + Φ⁻¹(1 − α·Φ(N)) = N − Φ⁻¹(α·Φ(N)).
    public static func threshold(n: Int, confidenceLevel: Double = 0.95) -> Double {
        Double(n) - Normal.quantile((1 - confidenceLevel) * Normal.cdf(Double(n)))
    }

    /// The band from a prepared calculator.
    public static func compute(_ calculator: AsymptoticCalculator, options: LimitOptions = .init()) throws -> Band {
        let statistic = calculator.asimov
        let model = calculator.model
        func f(_ mu: Double, _ target: Double) throws -> (value: Double, derivative: Double) {
            let (q, dq) = try statistic.qTilde(mu: mu)
            let root = q.squareRoot()
            return (root - target, root > 0 ? dq / (2 * root) : .infinity)
        }
        // Bracket the largest limit, widening beyond the POI's upper bound if needed.
        let top = threshold(n: 2, confidenceLevel: options.confidenceLevel)
        var hi = model.parameters[model.poi].upper > 0 ? model.parameters[model.poi].upper : 1
        // The Gaussian approximation μ_N ≈ z_N·σ_μ usually gives a much tighter bracket.
        let sigma = statistic.poiUncertainty()
        if let sigma, 1.5 * top * sigma < hi, try f(1.5 * top * sigma, top).value > 0 {
            hi = 1.5 * top * sigma
        }
        var fHi = try f(hi, top).value
        var doublings = 0
        while fHi <= 0 {
            guard doublings < options.maxDoublings else {
                throw StatisticsError.limitNotFound(
                    "√q_μ,A = \(fHi + top) at μ = \(hi) is still below \(top): the signal gives no sensitivity within μ ≤ \(hi)"
                )
            }
            hi *= 2
            doublings += 1
            fHi = try f(hi, top).value
        }
        // √q_μ,A is close to proportional to μ: each root starts from the nearest known point
        // scaled by the ratio of the thresholds.
        var known = (mu: hi, sqrtQ: fHi + top)
        if let sigma, sigma * top < hi { known = (sigma * top, top) }
        func solve(_ n: Int, lo: Double, hi: Double) throws -> Double {
            let target = threshold(n: n, confidenceLevel: options.confidenceLevel)
            let root = try RootFinding.safeguardedNewton(
                negativeAt: lo, positiveAt: hi, start: known.mu * target / known.sqrtQ,
                relativeTolerance: options.relativeTolerance
            ) { try f($0, target) }
            known = (root, target)
            return root
        }
        let median = try solve(0, lo: 0, hi: hi)
        let minus1 = try solve(-1, lo: 0, hi: median)
        let minus2 = try solve(-2, lo: 0, hi: minus1)
        known = (median, threshold(n: 0, confidenceLevel: options.confidenceLevel))
        let plus1 = try solve(1, lo: median, hi: hi)
        let plus2 = try solve(2, lo: plus1, hi: hi)
        let band = Band(minus2: minus2, minus1: minus1, median: median, plus1: plus1, plus2: plus2)
        guard band.values.allSatisfy(\.isFinite) else {
            throw StatisticsError.limitNotFound("a band edge is not finite")
        }
        return band
    }
}

/// The observed CLs upper limit: the μ where CLs_obs(μ) = 1 − CL (Brent's method).
public enum ObservedLimit {
    public static func compute(_ calculator: AsymptoticCalculator, options: LimitOptions = .init()) throws -> Double {
        let alpha = 1 - options.confidenceLevel
        let model = calculator.model
        func g(_ mu: Double) throws -> Double { try calculator.observedCLs(mu: mu) - alpha }
        var hi = model.parameters[model.poi].upper > 0 ? model.parameters[model.poi].upper : 1
        var doublings = 0
        while try g(hi) >= 0 {
            guard doublings < options.maxDoublings else {
                throw StatisticsError.limitNotFound("CLs_obs(μ = \(hi)) is still above \(alpha)")
            }
            hi *= 2
            doublings += 1
        }
        var lo = hi * 1e-3
        while try g(lo) <= 0 {
            guard lo > hi * 1e-15 else {
                throw StatisticsError.limitNotFound("CLs_obs is below \(alpha) down to μ = \(lo)")
            }
            lo *= 1e-3
        }
        return try RootFinding.brent(in: lo...hi, relativeTolerance: options.relativeTolerance, g)
    }
}
