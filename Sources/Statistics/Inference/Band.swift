/// An expected-limit band: the median and the ±1σ, ±2σ edges (N = −2 is the lowest limit).
/// Encodes as `{"-2": …, "-1": …, "0": …, "1": …, "2": …}`.
public struct Band: Codable, Sendable, Equatable {
    public var minus2: Double
    public var minus1: Double
    public var median: Double
    public var plus1: Double
    public var plus2: Double

    public init(minus2: Double, minus1: Double, median: Double, plus1: Double, plus2: Double) {
        self.minus2 = minus2
        self.minus1 = minus1
        self.median = median
        self.plus1 = plus1
        self.plus2 = plus2
    }

    /// The limits for N = −2 … +2, in that order.
    public var values: [Double] { [minus2, minus1, median, plus1, plus2] }

    /// The limit for N ∈ −2 … +2.
    public subscript(n: Int) -> Double { values[n + 2] }

    enum CodingKeys: String, CodingKey {
        case minus2 = "-2"
        case minus1 = "-1"
        case median = "0"
        case plus1 = "1"
        case plus2 = "2"
    }
}
