/// An error in a grid spec, located as `FILE:LINE:COLUMN: key.path: what was expected`.
public struct SpecError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int
    /// Dotted key path of the offending value, e.g. `samples.events.S_EW` or `pileup.means[1]`.
    public var path: String
    public var message: String

    public init(file: String, line: Int, column: Int, path: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    public var description: String {
        "\(file):\(line):\(column): " + (path.isEmpty ? "" : "\(path): ") + message
    }
}
