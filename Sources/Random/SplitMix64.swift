/// SplitMix64 (Steele, Lea, Flood 2014): the deterministic random generator of every vbfgrid
/// stream (network weights, epoch orders, and under `Events.RandomStream` the simulation).
///
/// Output k of a generator started at state s is `mix(s + k·γ)`: a counter-based stream, so a
/// stream is fixed by its start alone. Streams are derived from explicit seeds:
/// `SplitMix64(seed:stream:)` mixes a stream number (e.g. a layer index) into the seed with the
/// SplitMix64 finaliser, so that every stream depends on (seed, stream) only. The state is one
/// UInt64 and can be saved for a resume.
public struct SplitMix64: RandomNumberGenerator, Sendable, Equatable {
    /// The generator state; assign a saved value to resume a stream.
    public var state: UInt64

    @inlinable
    public init(state: UInt64) { self.state = state }

    /// The stream `stream` of the run seed `seed`.
    public init(seed: UInt64, stream: UInt64 = 0) {
        state = SplitMix64.mix(seed &+ SplitMix64.mix(stream &+ 0x632B_E59B_D9B4_E019))
    }

    /// γ, the increment of the state per output (2⁶⁴ divided by the golden ratio, made odd).
    @inlinable
    public static var gamma: UInt64 { 0x9E37_79B9_7F4A_7C15 }

    /// The SplitMix64 finaliser (a bijective 64-bit mix).
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= SplitMix64.gamma
        return SplitMix64.mix(state)
    }

    /// A Float uniform in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A Double uniform in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
