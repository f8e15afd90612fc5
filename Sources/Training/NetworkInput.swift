import Datasets
import NeuralNet

/// What a network reads from a data set: one image variant (CNNs) or z-scored features
/// (K-ANN: K, R-ANN: R, H-ANN: K then R), paper §3–§5.
public enum NetworkInput: Sendable, Equatable {
    case image(ImageVariant)
    case features([FeatureSet])

    /// The input of one of the paper's networks.
    public init(network: Network) throws {
        switch network {
        case .pjLRCNN: self = .image(.pjLR)
        case .pjHRCNN: self = .image(.pjHR)
        case .pmetLRCNN: self = .image(.pmetLR)
        case .pmetHRCNN: self = .image(.pmetHR)
        case .kANN: self = .features([.K])
        case .rANN: self = .features([.R])
        case .hANN: self = .features([.K, .R])
        case .cnnTiny, .annTiny:
            throw DatasetError.invalid("\(network.rawValue) is a reference model and has no data-set input")
        }
    }

    /// Values per event.
    public var width: Int {
        switch self {
        case .image(let v): return v.geometry.pixels
        case .features(let sets): return sets.reduce(0) { $0 + $1.width }
        }
    }
}
