/// Failures of the evaluation functions (mismatched lengths, empty classes, bad edges…).
public enum MetricsError: Error, Equatable, CustomStringConvertible {
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .invalidInput(message): "invalid input: \(message)"
        }
    }
}
