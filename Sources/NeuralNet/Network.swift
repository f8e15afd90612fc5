/// The paper's seven networks (arXiv:2008.05434 §5) and the two tiny reference models.
public enum Network: String, Sendable, CaseIterable {
    case pjLRCNN = "PJ-LR-CNN"
    case pjHRCNN = "PJ-HR-CNN"
    case pmetLRCNN = "Pmet-LR-CNN"
    case pmetHRCNN = "Pmet-HR-CNN"
    case kANN = "K-ANN"
    case rANN = "R-ANN"
    case hANN = "H-ANN"
    /// Model A of the Keras reference vectors: input (10, 8, 1), 422 parameters.
    case cnnTiny = "cnn_tiny"
    /// Model B of the Keras reference vectors: 6 inputs, 125 parameters.
    case annTiny = "ann_tiny"

    /// The seven networks of the paper (without the reference models).
    public static let paperNetworks: [Network] = [.pjLRCNN, .pjHRCNN, .pmetLRCNN, .pmetHRCNN, .kANN, .rANN, .hANN]

    /// The network called `name` (exact, or ignoring case).
    public init?(named name: String) {
        guard let match = Network.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            return nil
        }
        self = match
    }

    /// Per-sample input shape: LR images 59 (η) × 45 (φ) × 1, HR 125 × 95 × 1; K 8, R 16, H 24 features.
    public var inputShape: [Int] {
        switch self {
        case .pjLRCNN, .pmetLRCNN: [59, 45, 1]
        case .pjHRCNN, .pmetHRCNN: [125, 95, 1]
        case .kANN: [8]
        case .rANN: [16]
        case .hANN: [24]
        case .cnnTiny: [10, 8, 1]
        case .annTiny: [6]
        }
    }

    /// The layers: CNN = 3 × [Conv2D(64, 4×4, relu) × 2 → AvgPool] → Flatten → Dense(300, relu) × 3
    /// → Dense(2, softmax); ANNs = Dense(h) per hidden width → Dense(2, softmax).
    public var specs: [LayerSpec] {
        switch self {
        case .pjLRCNN, .pjHRCNN, .pmetLRCNN, .pmetHRCNN:
            let module: [LayerSpec] = [
                .conv2D(filters: 64, activation: .relu), .conv2D(filters: 64, activation: .relu),
                .averagePooling2D,
            ]
            return module + module + module + [.flatten]
                + Array(repeating: .dense(units: 300, activation: .relu), count: 3)
                + [.dense(units: 2, activation: .softmax)]
        case .kANN: return Network.ann([8, 8, 4, 4], .relu)
        case .rANN: return Network.ann([16, 16, 11, 11, 6, 6], .sigmoid)
        case .hANN: return Network.ann([24, 24, 19, 19, 14, 14, 9, 9], .sigmoid)
        case .cnnTiny:
            return [
                .conv2D(filters: 3, activation: .relu), .conv2D(filters: 3, activation: .relu), .averagePooling2D,
                .conv2D(filters: 3, activation: .relu), .averagePooling2D, .flatten,
                .dense(units: 5, activation: .relu), .dense(units: 2, activation: .softmax),
            ]
        case .annTiny: return Network.ann([6, 6, 3, 3], .sigmoid)
        }
    }

    private static func ann(_ widths: [Int], _ activation: Activation) -> [LayerSpec] {
        widths.map { .dense(units: $0, activation: activation) } + [.dense(units: 2, activation: .softmax)]
    }

    /// A model of this network with buffers for batches of up to `maxBatch` samples (zero weights;
    /// call `initializeGlorot(seed:)` or load weights), its convolutions on `convolution`.
    public func build(maxBatch: Int, convolution: ConvolutionBackend = .standard) -> Model {
        Model(name: rawValue, inputShape: inputShape, specs: specs, maxBatch: maxBatch, convolution: convolution)
    }
}
