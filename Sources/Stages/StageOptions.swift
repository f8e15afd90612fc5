import ArgumentParser
import Foundation

/// The typed options of a stage, declared once. The stage's subcommand parses them
/// (`@OptionGroup`); the grid builds them and writes them as a task's argument vector with
/// `arguments`, the encoder declared next to the options, so what the grid writes is what the
/// command reads: `Options.parse(options.arguments)` gives back the same options.
public protocol StageOptions: ParsableArguments {
    /// The subcommand: `vbfgrid <command>`.
    static var command: String { get }
    /// The argument vector (without the subcommand) that parses back into these options.
    var arguments: [String] { get }
}

extension StageOptions {
    /// `[command] + arguments`: a whole `vbfgrid` invocation.
    public var commandLine: [String] { [Self.command] + arguments }
}

/// A typed option value with its command-line spelling both ways (`@Option(transform:
/// T.init(parsing:))`): channel, image-variant and network names, comma lists.
public protocol ArgumentValue {
    /// The value written `text` on the command line; throws naming the values expected.
    init(parsing text: String) throws
    /// The command-line text: `Self(parsing: value.argument)` is `value`.
    var argument: String { get }
}

extension Double: ArgumentValue {
    public init(parsing text: String) throws {
        guard let value = Double(text), value.isFinite else { throw ValidationError("'\(text)' is not a number") }
        self = value
    }

    /// Numbers as the command line wants them: `20`, not `20.0`; `2.5` stays.
    public var argument: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

extension Float {
    /// `200`, not `200.0`; `0.5` stays.
    public var argument: String { self == rounded() && abs(self) < 1e7 ? String(Int(self)) : String(self) }
}

/// A comma-separated list option: `--images PJ-LR,Pmet-LR`, `--luminosities 36,140,300`.
public struct CommaList<Element: ArgumentValue & Equatable>: ArgumentValue, Equatable, CustomStringConvertible {
    public var values: [Element]

    public init(_ values: [Element]) { self.values = values }

    public init(parsing text: String) throws {
        values = try text.split(separator: ",").map { try Element(parsing: $0.trimmingCharacters(in: .whitespaces)) }
    }

    public var argument: String { values.map(\.argument).joined(separator: ",") }
    public var description: String { argument }
}

extension ArgumentHelp {
    /// The help of every stage's `--force`: what happens to an --out folder of another configuration.
    public static let forceOutput: ArgumentHelp =
        "Start again in an --out folder written by another configuration (deleting its files) instead of refusing."
}
