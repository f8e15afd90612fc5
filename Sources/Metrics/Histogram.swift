/// A weighted histogram on fixed edges: Σw and Σw² per bin (entries outside the edges are
/// counted in `underflow`/`overflow`, not in the bins; the last bin includes its upper edge).
public struct WeightedHistogram: Codable, Sendable, Equatable {
    public let edges: [Double]
    public private(set) var sumw: [Double]
    public private(set) var sumw2: [Double]
    public private(set) var entries: [Int]
    public private(set) var underflow: Double = 0
    public private(set) var overflow: Double = 0

    /// `edges` must be strictly increasing with at least two entries.
    public init(edges: [Double]) throws {
        guard edges.count >= 2, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }), edges.allSatisfy(\.isFinite)
        else {
            throw MetricsError.invalidInput("histogram edges must be ≥ 2 finite, strictly increasing values")
        }
        self.edges = edges
        sumw = [Double](repeating: 0, count: edges.count - 1)
        sumw2 = sumw
        entries = [Int](repeating: 0, count: edges.count - 1)
    }

    /// The bin holding x, or nil outside [first edge, last edge].
    public func bin(of x: Double) -> Int? {
        guard x >= edges[0], x <= edges[edges.count - 1] else { return nil }
        var lo = 0, hi = edges.count - 1 // edges[lo] ≤ x < edges[hi]
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if x < edges[mid] { hi = mid } else { lo = mid }
        }
        return lo
    }

    public mutating func fill(_ x: Double, weight: Double = 1) {
        guard let b = bin(of: x) else {
            if x < edges[0] { underflow += weight } else { overflow += weight }
            return
        }
        sumw[b] += weight
        sumw2[b] += weight * weight
        entries[b] += 1
    }

    public mutating func fill(_ xs: [Double], weights: [Double]? = nil) throws {
        if let weights, weights.count != xs.count {
            throw MetricsError.invalidInput("\(xs.count) values but \(weights.count) weights")
        }
        for (i, x) in xs.enumerated() { fill(x, weight: weights?[i] ?? 1) }
    }

    /// Σw over the bins.
    public var total: Double { sumw.reduce(0, +) }
}
