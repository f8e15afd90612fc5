import Datasets
import Evaluation
import NeuralNet
import Random
import Testing
import Training

/// The JES variation scales exactly the energy-like inputs, and moves a network's output in
/// the direction its weights give it.
struct JESVariationTests {
    static func manifest(kMean: [Double], kStd: [Double]) -> DatasetManifest {
        DatasetManifest(
            variants: [], metCut: 200, pileupMean: nil, splits: [:], channels: [],
            features: [
                "K": .init(names: [], mean: kMean, std: kStd),
                "R": .init(
                    names: [], mean: [Double](repeating: 300, count: 16), std: [Double](repeating: 50, count: 16)),
            ],
            seeds: [:], sources: [], averageImages: nil)
    }

    @Test func energyLikeColumns() {
        let k = JESVariation.energyLike([.K])
        #expect(k == [false, false, true, true, false, false, false, false])
        let h = JESVariation.energyLike([.K, .R])
        #expect(h.count == 24 && h[8...].allSatisfy { $0 } && h.filter { $0 }.count == 18)
    }

    /// z-scored features varied in place equal z-scoring the scaled raw features.
    @Test func featuresScaleBeforeZScoring() {
        let mean: [Double] = [3, 1, 900, 300, 0, 2, 2, 2], std: [Double] = [1.2, 0.6, 400, 80, 1.8, 0.9, 0, 0.7]
        let manifest = Self.manifest(kMean: mean, kStd: std)
        let raw: [[Float]] = [[4.1, 0.3, 1250, 260, -1.2, 2.9, 1.1, 3.0], [2.2, 1.4, 430, 510, 2.5, 0.4, 2.6, 1.3]]
        func z(_ x: [Float], _ k: Float) -> [Float] {
            x.enumerated().map { f, v in
                let scaled = (f == 2 || f == 3) ? v * k : v
                return (scaled - Float(mean[f])) * (std[f] > 0 ? Float(1 / std[f]) : 1)
            }
        }
        for variation in [JESVariation.up, .down] {
            var inputs = raw.flatMap { z($0, 1) }
            variation.apply(to: &inputs, input: .features([.K]), manifest: manifest)
            let expected = raw.flatMap { z($0, variation.factor) }
            for (a, b) in zip(inputs, expected) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b)), "\(a) vs \(b)") }
        }
    }

    @Test func imagePixelsScale() {
        var pixels: [Float] = [0, 1.5, 20, 300]
        JESVariation.up.apply(to: &pixels, input: .image(.pjLR), manifest: Self.manifest(kMean: [], kStd: []))
        #expect(pixels == [0, 1.5 * 1.1, 20 * 1.1, 300 * Float(1.1)])
    }

    /// A K-ANN whose output increases with m_jj and met only: up ≥ nominal ≥ down for every
    /// event, strictly where the ReLUs are active.
    @Test func scoreMovesWithTheEnergyScale() {
        let model = Network.kANN.build(maxBatch: 64)
        for layer in 0..<5 {
            let shapes = model.weights(ofLayer: layer).map(\.count)
            var kernel = [Float](repeating: 0, count: shapes[0]), bias = [Float](repeating: 0, count: shapes[1])
            let outputs = shapes[1], inputs = shapes[0] / outputs
            for i in 0..<inputs {
                for o in 0..<outputs {
                    if layer == 0 {
                        kernel[i * outputs + o] = (i == 2 || i == 3) ? 0.5 : 0
                    } else if layer < 4 {
                        kernel[i * outputs + o] = 0.3
                    } else {
                        kernel[i * outputs + o] = o == 1 ? 0.01 : -0.01
                    } // no saturation
                }
            }
            if layer == 0 { bias = [Float](repeating: 2, count: outputs) }
            model.setWeights(ofLayer: layer, [kernel, bias])
        }
        let manifest = Self.manifest(kMean: [3, 1, 900, 300, 0, 2, 2, 2], kStd: [1, 1, 400, 80, 1, 1, 1, 1])
        var rng = SplitMix64(seed: 5)
        let n = 50
        let inputs = (0..<(n * 8)).map { _ in Float(rng.nextUnitFloat() * 4 - 2) }
        func scores(_ variation: JESVariation?) -> [Float] {
            var x = inputs
            variation?.apply(to: &x, input: .features([.K]), manifest: manifest)
            let p = x.withUnsafeBufferPointer { model.forward($0, batch: n) }
            return (0..<n).map { p[2 * $0 + 1] }
        }
        let nominal = scores(nil), up = scores(.up), down = scores(.down)
        for e in 0..<n {
            #expect(up[e] >= nominal[e] && nominal[e] >= down[e], "event \(e): \(down[e]) \(nominal[e]) \(up[e])")
        }
        #expect(zip(up, nominal).filter { $0 > $1 }.count > n / 2)
    }
}
