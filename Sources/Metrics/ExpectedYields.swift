/// Event weights for expected yields: every validation event of channel c gets w = N_c(L)/n_c,
/// with N_c(L) = σ_c·ε_c·L the expected number of events at luminosity L and n_c the number of
/// validation events of channel c, so that the weights of each channel sum to N_c(L).
public enum ExpectedYields {
    /// One weight per event from its channel id and the expected yield of each channel.
    public static func eventWeights(channels: [Int], expected: [Int: Double]) throws -> [Double] {
        var counts: [Int: Int] = [:]
        for c in channels { counts[c, default: 0] += 1 }
        for c in counts.keys where expected[c] == nil {
            throw MetricsError.invalidInput("no expected yield for channel \(c)")
        }
        if let bad = expected.first(where: { !($0.value.isFinite && $0.value >= 0) }) {
            throw MetricsError.invalidInput("expected yield of channel \(bad.key) is \(bad.value)")
        }
        return channels.map { expected[$0]! / Double(counts[$0]!) }
    }
}
