/// Every random stream's stage number, in one place. A stream is fixed by its key alone —
/// (seed, stage, unit, index) for `Events.RandomStream`, (seed, stream) for
/// `SplitMix64(seed:stream:)` — so these numbers are part of the output: changing one changes
/// every event, data set or network drawn from it. Never renumber; add new stages at new values.
public enum RandomStage: UInt64, CaseIterable, Sendable {
    /// Network weights: layer i draws from `SplitMix64(seed:, stream: networkWeights + i)`.
    case networkWeights = 0
    /// fastsim event i of (seed, channel): `RandomStream(seed, fastsim, channel, i)`.
    case fastsim = 1
    /// Detector smearing and efficiencies of event i: `RandomStream(seed, detector, channel, i)`.
    case detector = 2
    /// Pileup overlay of hard event i: `RandomStream(overlay seed, pileup, channel, i)`.
    case pileup = 3
    /// Class mixing of a data set: `RandomStream(preprocess seed, classMixing, channel)`.
    case classMixing = 4
    /// Pythia's Random:seed of shard k: drawn from `RandomStream(seed, pythiaSeed, channel, k)`.
    case pythiaSeed = 5
    /// Training's epoch order of epoch e: `SplitMix64(seed:, stream: epochOrder + e)` ("epoch\0" in ASCII).
    case epochOrder = 0x6570_6f63_6800
}
