/// The physics channels of the analysis (paper §2) and the min-bias sample used for pileup.
/// The raw values are the `channel` ids stored in event files.
public enum Channel: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case sEW = 0
    case sQCD = 1
    case zQCD = 2
    case wQCD = 3
    case zEW = 4
    case wEW = 5
    case minBias = 6

    /// The name used on the command line and in reports, as in the paper (`S_EW`, …, `MINBIAS`).
    public var name: String {
        switch self {
        case .sEW: "S_EW"
        case .sQCD: "S_QCD"
        case .zQCD: "Z_QCD"
        case .wQCD: "W_QCD"
        case .zEW: "Z_EW"
        case .wEW: "W_EW"
        case .minBias: "MINBIAS"
        }
    }

    public var description: String { name }

    /// Parses a channel name, case-insensitively, with or without the underscore (`s_ew`, `SEW`).
    public init?(name: String) {
        let key = name.uppercased().replacingOccurrences(of: "_", with: "")
        guard let match = Channel.allCases.first(where: { $0.name.replacingOccurrences(of: "_", with: "") == key })
        else { return nil }
        self = match
    }

    /// True for the two signal channels.
    public var isSignal: Bool { self == .sEW || self == .sQCD }

    /// True for the electroweak (colour-singlet exchange) channels.
    public var isElectroweak: Bool { self == .sEW || self == .zEW || self == .wEW }

    /// The six channels of the classifier (everything but min-bias).
    public static let physics: [Channel] = [.sEW, .sQCD, .zQCD, .wQCD, .zEW, .wEW]
}

/// The paper's class mixture (§2.3): the fraction of each channel in its class, in the training
/// and validation sets and wherever events of both classes are pooled (separation, limits).
public enum ClassMixture {
    public static let paper: [Channel: Double] = [
        .sEW: 0.448, .sQCD: 0.552, .zQCD: 0.51221, .wQCD: 0.44896, .zEW: 0.02295, .wEW: 0.01587,
    ]
}
