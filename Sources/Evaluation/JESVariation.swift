import Datasets
import Training

/// The jet-energy-scale variation of a network input (paper §6): every image pixel, or every
/// energy-like feature (m_jj, met and the sixteen HT_ηC; not angles or Δη), multiplied by
/// `factor` (1.1 up, 0.9 down) before the features are z-scored.
public struct JESVariation: Sendable, Equatable {
    /// The scale factor, e.g. 1.1 for +1σ.
    public let factor: Float

    /// The standard ±10% variations.
    public static let upFactor = 1.1, downFactor = 0.9
    public static let up = JESVariation(factor: Float(upFactor))
    public static let down = JESVariation(factor: Float(downFactor))

    public init(factor: Float) { self.factor = factor }

    /// Which columns of a feature input are energy-like: K indices 2 (m_jj) and 3 (met), every R.
    public static func energyLike(_ sets: [FeatureSet]) -> [Bool] {
        sets.flatMap { set -> [Bool] in
            switch set {
            case .K: return (0..<set.width).map { $0 == 2 || $0 == 3 }
            case .R: return [Bool](repeating: true, count: set.width)
            }
        }
    }

    /// Applies the variation in place to `n` network inputs that the split reader produced.
    /// Images are raw, so pixels are scaled. Features are already z-scored, z = (x − m)/s, so an
    /// energy-like column becomes z' = (k·x − m)/s = k·z + (k − 1)·m/s, with m and s those of
    /// the manifest (s = 1 where the manifest's standard deviation is 0, as the reader does).
    public func apply(to inputs: inout [Float], input: NetworkInput, manifest: DatasetManifest) {
        switch input {
        case .image:
            for i in inputs.indices { inputs[i] *= factor }
        case .features(let sets):
            let energy = Self.energyLike(sets)
            var offset: [Float] = []
            for set in sets {
                let stats = manifest.features[set.rawValue]!
                for (m, s) in zip(stats.mean, stats.std) {
                    offset.append((factor - 1) * Float(m) * (s > 0 ? Float(1 / s) : 1))
                }
            }
            let width = energy.count
            for e in 0..<(inputs.count / width) {
                for f in 0..<width where energy[f] {
                    inputs[e * width + f] = factor * inputs[e * width + f] + offset[f]
                }
            }
        }
    }
}
