/// A data set that cannot be written or read as asked; the message names the file and field.
public enum DatasetError: Error, CustomStringConvertible, Sendable {
    case invalid(String)
    public var description: String {
        switch self {
        case .invalid(let message): return message
        }
    }
}
