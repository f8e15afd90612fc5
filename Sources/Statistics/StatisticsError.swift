import Foundation

/// Every failure of the statistics module: a malformed model, degenerate inputs, or a limit
/// that cannot be found. The description names the source (file) and the field when known.
public enum StatisticsError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// A field of a model description is missing, has the wrong type or an invalid value.
    case invalidModel(source: String, field: String, reason: String)
    /// The model is well formed but cannot give a likelihood (no samples, no signal, …).
    case degenerateModel(String)
    /// A fit did not converge or the likelihood is not finite at the starting point.
    case fitFailed(String)
    /// A root (an upper limit) could not be bracketed or found.
    case limitNotFound(String)

    public var description: String {
        switch self {
        case let .invalidModel(source, field, reason):
            return "\(source): field '\(field)': \(reason)"
        case let .degenerateModel(message): return "degenerate model: \(message)"
        case let .fitFailed(message): return "fit failed: \(message)"
        case let .limitNotFound(message): return "upper limit not found: \(message)"
        }
    }

    public var errorDescription: String? { description }
}
