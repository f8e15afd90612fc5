/// One process in the plain model form (the reference cases' `simple` block): its expected
/// yields per bin and the systematics attached to it.
public struct Sample: Codable, Sendable, Equatable {
    public var name: String
    /// Expected yields per bin at the analysis luminosity.
    public var counts: [Double]
    /// Σw² per bin for the MC statistical term (staterror); nil means none.
    public var sumw2: [Double]?
    /// Signal samples are scaled by μ.
    public var isSignal: Bool
    /// Relative cross-section uncertainty u (normsys lo = 1 − u, hi = 1 + u); nil means none.
    public var xsecUncertainty: Double?
    /// Yields at the +1σ and −1σ shape variation (the shared JES histosys); nil means none.
    public var shapeUp: [Double]?
    public var shapeDown: [Double]?

    public init(
        name: String, counts: [Double], sumw2: [Double]? = nil, isSignal: Bool,
        xsecUncertainty: Double? = nil, shapeUp: [Double]? = nil, shapeDown: [Double]? = nil
    ) {
        self.name = name
        self.counts = counts
        self.sumw2 = sumw2
        self.isSignal = isSignal
        self.xsecUncertainty = xsecUncertainty
        self.shapeUp = shapeUp
        self.shapeDown = shapeDown
    }

    enum CodingKeys: String, CodingKey {
        case name, counts, sumw2
        case isSignal = "is_signal"
        case xsecUncertainty = "xsec_unc"
        case shapeUp = "shape_up"
        case shapeDown = "shape_down"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(counts, forKey: .counts)
        try c.encode(sumw2, forKey: .sumw2)
        try c.encode(isSignal, forKey: .isSignal)
        try c.encode(xsecUncertainty, forKey: .xsecUncertainty)
        try c.encode(shapeUp, forKey: .shapeUp)
        try c.encode(shapeDown, forKey: .shapeDown)
    }
}
