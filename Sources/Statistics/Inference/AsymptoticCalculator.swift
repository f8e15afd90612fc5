/// CLs in the asymptotic approximation for q̃_μ, as pyhf's `AsymptoticCalculator`:
/// the Asimov data are the expectation (main and auxiliary) at the μ = 0 fit to the data;
/// with √q = √q̃_μ(data) and √q_A = √q̃_μ(Asimov), the statistic is t = √q − √q_A if
/// √q < √q_A, else (q − q_A)/(2√q_A); CL_s+b = Φ(−(t + √q_A)), CL_b = Φ(−t), CLs = CL_s+b/CL_b.
/// Expected CLs for band N (N = −2 … +2): Φ(N − √q_A)/Φ(N).
public struct AsymptoticCalculator: Sendable {
    public let model: StatisticalModel
    /// q̃_μ on the data.
    public let observed: TestStatistic
    /// q̃_μ on the background-only Asimov data.
    public let asimov: TestStatistic

    /// Prepares the fits on `data` (default: the workspace's observations).
    public init(model: StatisticalModel, data: Dataset? = nil) throws {
        self.model = model
        let data = data ?? model.observed
        observed = try TestStatistic(model: model, data: data)
        let background = try observed.conditionalFit(mu: 0)
        asimov = try TestStatistic(model: model, data: model.asimov(background.parameters))
    }

    /// The observed CLs at μ.
    public func observedCLs(mu: Double) throws -> Double {
        let q = try observed.qTilde(mu: mu).q
        let qA = try asimov.qTilde(mu: mu).q
        return Self.cls(sqrtQ: q.squareRoot(), sqrtQA: qA.squareRoot())
    }

    /// The expected CLs at μ for N = −2, −1, 0, +1, +2.
    public func expectedCLs(mu: Double) throws -> [Double] {
        let sqrtQA = try asimov.qTilde(mu: mu).q.squareRoot()
        return (-2...2).map { n in Normal.cdf(Double(n) - sqrtQA) / Normal.cdf(Double(n)) }
    }

    /// CLs from √q and √q_A (q̃_μ branch structure).
    public static func cls(sqrtQ: Double, sqrtQA: Double) -> Double {
        guard sqrtQA > 0 else { return 1 }
        let t = sqrtQ < sqrtQA ? sqrtQ - sqrtQA : (sqrtQ * sqrtQ - sqrtQA * sqrtQA) / (2 * sqrtQA)
        let clsb = Normal.cdf(-(t + sqrtQA)), clb = Normal.cdf(-t)
        return clsb / clb
    }
}
