/// How auxiliary data constrain a nuisance parameter θ.
public enum Constraint: Sendable, Equatable {
    /// Free (μ, other normfactors).
    case none
    /// Gaussian G(a | θ, σ) with auxiliary datum a (lumi, normsys, histosys, staterror).
    case gaussian(sigma: Double)
    /// Poisson Pois(a | τθ) with auxiliary count a, nominally τ (shapesys).
    case poisson(tau: Double)
}

/// One scalar parameter of the likelihood. Per-bin parameter sets (staterror, shapesys) have
/// one `Parameter` per bin named `name[i]`.
public struct Parameter: Sendable, Equatable {
    public var name: String
    public var initial: Double
    public var lower: Double
    public var upper: Double
    /// Fixed parameters keep their initial value in every fit.
    public var fixed: Bool
    public var constraint: Constraint
    /// The nominal auxiliary datum: the Gaussian centre, or the Poisson count τ.
    public var auxNominal: Double
    /// The parameter set it belongs to (equal to `name` for scalars).
    public var setName: String
    /// Component index in its set (0 for scalars).
    public var component: Int
}

/// Observed main-measurement counts (all channels' bins, concatenated) and the auxiliary
/// data of the constraint terms, one per parameter (ignored for unconstrained parameters).
public struct Dataset: Sendable, Equatable {
    public var main: [Double]
    public var aux: [Double]
    public init(main: [Double], aux: [Double]) {
        self.main = main
        self.aux = aux
    }
}
