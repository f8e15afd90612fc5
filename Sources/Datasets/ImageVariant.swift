/// The four low-level feature spaces of the paper (§3, §4): tower images rotated so that
/// φ0 = φ_j1 (PJ) or φ0 = φ_met (Pmet), at low (0.17) or high (0.08) resolution.
public enum ImageVariant: String, CaseIterable, Codable, Sendable {
    case pjLR = "PJ-LR"
    case pjHR = "PJ-HR"
    case pmetLR = "Pmet-LR"
    case pmetHR = "Pmet-HR"

    /// What the image is rotated to: the leading jet or the missing transverse momentum.
    public enum Orientation: String, Codable, Sendable {
        case leadingJet = "PJ"
        case met = "Pmet"
    }

    public var orientation: Orientation { self == .pjLR || self == .pjHR ? .leadingJet : .met }
    public var geometry: ImageGeometry { self == .pjLR || self == .pmetLR ? .lowResolution : .highResolution }

    /// Parses a comma-separated list such as "PJ-LR,Pmet-LR"; throws naming the bad entry.
    public static func parseList(_ text: String) throws -> [ImageVariant] {
        try text.split(separator: ",").map { item in
            let name = item.trimmingCharacters(in: .whitespaces)
            guard let variant = ImageVariant(rawValue: name) else {
                throw DatasetError.invalid(
                    "unknown image variant '\(name)'; expected one of "
                        + allCases.map(\.rawValue).joined(separator: ", "))
            }
            return variant
        }
    }
}

/// The binning of a tower image: η ∈ [−5, 5) and φ ∈ [−π, π) in square bins, then φ padded
/// periodically by `padding` rows on each side (paper §3). LR: 59 × 37 bins + 2·4 → 59 × 45;
/// HR: 125 × 79 bins + 2·8 → 125 × 95.
public struct ImageGeometry: Codable, Equatable, Sendable {
    public var binSize: Float
    public var etaBins: Int
    public var phiBins: Int
    public var padding: Int
    public var etaMax: Float

    public static let lowResolution = ImageGeometry(binSize: 0.17, padding: 4)
    public static let highResolution = ImageGeometry(binSize: 0.08, padding: 8)

    public init(binSize: Float, padding: Int, etaMax: Float = 5) {
        self.binSize = binSize
        self.padding = padding
        self.etaMax = etaMax
        etaBins = Int((2 * Double(etaMax) / Double(binSize) - 1e-4).rounded(.up))
        phiBins = Int((2 * Double.pi / Double(binSize) - 1e-4).rounded(.up))
    }

    /// Image height (η bins).
    public var height: Int { etaBins }
    /// Image width (φ bins plus padding on both sides).
    public var width: Int { phiBins + 2 * padding }
    /// Pixels per image.
    public var pixels: Int { height * width }

    /// The unpadded (η, φ) bin of a point, or nil outside |η| < etaMax. φ must be in [−π, π).
    @inline(__always)
    public func bin(eta: Float, phi: Float) -> (eta: Int, phi: Int)? {
        guard eta >= -etaMax, eta < etaMax else { return nil }
        let i = min(Int((eta + etaMax) / binSize), etaBins - 1)
        let j = min(max(Int((phi + Float.pi) / binSize), 0), phiBins - 1)
        return (i, j)
    }
}
