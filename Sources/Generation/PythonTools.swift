import Foundation
import Stages

/// The Python side of vbfgrid (`tools/pythia/`: the Pythia 8 adapter and the Delphes importer)
/// and the venv it runs in, created on first use by `tools/pythia/setup-venv.sh` (also run by
/// `make pythia`).
///
/// Locations: the tools folder is `$VBFGRID_TOOLS/pythia`, or `tools/pythia` in the first folder
/// above the executable that has one (the repository of a `.build/…/vbfgrid`); the venv is
/// `$VBFGRID_PYTHIA_VENV`, or `.build/pythia-venv` in that repository.
public struct PythonTools: Sendable {
    public let folder: URL
    public let venv: URL

    /// The tools folder and the venv, from the environment or above the executable.
    public static func locate() throws -> PythonTools {
        let folder = try toolsFile("pythia/setup-venv.sh").deletingLastPathComponent()
        let repository = folder.deletingLastPathComponent().deletingLastPathComponent()
        let venv =
            ProcessInfo.processInfo.environment["VBFGRID_PYTHIA_VENV"].map { URL(fileURLWithPath: $0) }
            ?? repository.appendingPathComponent(".build/pythia-venv")
        return PythonTools(folder: folder, venv: venv)
    }

    /// A file of the tools folder: `$VBFGRID_TOOLS/<file>`, or `tools/<file>` in the first folder
    /// above the executable that has it (the repository of a `.build/…/vbfgrid`).
    public static func toolsFile(_ file: String) throws -> URL {
        if let tools = ProcessInfo.processInfo.environment["VBFGRID_TOOLS"] {
            let url = URL(fileURLWithPath: tools).appendingPathComponent(file)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ToolFailure("VBFGRID_TOOLS is set, but \(url.path) does not exist")
            }
            return url
        }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if !CommandLine.arguments[0].contains("/"), let found = ExecutableSearch.find(CommandLine.arguments[0]) {
            url = URL(fileURLWithPath: found).resolvingSymlinksInPath().deletingLastPathComponent()
        }
        while url.path != "/" {
            let candidate = url.appendingPathComponent("tools").appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        throw ToolFailure(
            "cannot find tools/\(file) above the vbfgrid executable; set VBFGRID_TOOLS to the repository's tools folder"
        )
    }

    /// Creates the venv if it is missing or out of date (the script prints what it does).
    public func prepare() throws {
        try Self.execute(
            "/bin/sh", [folder.appendingPathComponent("setup-venv.sh").path, venv.path],
            what: "setting up the Python environment \(venv.path)")
    }

    /// Runs `script` (a file of the tools folder) with the venv's Python; its output goes to ours.
    public func run(_ script: String, _ arguments: [String]) throws {
        try prepare()
        try Self.execute(
            venv.appendingPathComponent("bin/python").path,
            [folder.appendingPathComponent(script).path] + arguments, what: script)
    }

    private static func execute(_ executable: String, _ arguments: [String], what: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ToolFailure("\(what): cannot start \(executable) (\(error.localizedDescription))")
        }
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            throw ToolFailure("\(what) failed (exit status \(process.terminationStatus)); its messages are above")
        }
    }
}

/// A failed external tool, reported as one line.
public struct ToolFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = message }
}
