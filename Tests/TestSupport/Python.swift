import Foundation

/// Python oracles: Debian's python3 (numpy, h5py), a pyhf venv under .build/ and the venv of tools/pythia.
public enum Python {
    /// Runs a Python snippet with Debian's python3 and returns its standard output; throws
    /// `ProcessFailure` (with the output) when it fails.
    public static func run(_ code: String, _ arguments: [String] = []) throws -> String {
        try Launcher.run("/usr/bin/python3", ["-c", code] + arguments, timeout: 300).succeeded().stdout
    }

    /// The python of the pyhf 0.7.6 venv (.build/pyhf-venv), created with pip when missing.
    public static func pyhf() throws -> String {
        let venv = TestPaths.repositoryRoot.appendingPathComponent(".build/pyhf-venv")
        let python = venv.appendingPathComponent("bin/python").path
        let check = try? Launcher.run(
            python, ["-c", "import pyhf, scipy; assert pyhf.__version__ == '0.7.6'"], timeout: 120)
        if check?.status != 0 {
            try Launcher.run("/usr/bin/python3", ["-m", "venv", venv.path], timeout: 300).succeeded()
            try Launcher.run(
                venv.appendingPathComponent("bin/pip").path, ["install", "-q", "pyhf==0.7.6", "scipy"],
                timeout: 900
            ).succeeded()
        }
        return python
    }
}

extension Python {
    /// The venv of tools/pythia (`$VBFGRID_PYTHIA_VENV` or `.build/pythia-venv`), as vbfgrid finds it.
    public static let toolsVenv: URL =
        ProcessInfo.processInfo.environment["VBFGRID_PYTHIA_VENV"].map { URL(fileURLWithPath: $0) }
        ?? TestPaths.repositoryRoot.appendingPathComponent(".build/pythia-venv")

    /// Runs a Python program with the venv of tools/pythia (created by the same script vbfgrid
    /// uses) and returns its standard output; throws `ProcessFailure` when it fails.
    public static func runInToolsVenv(_ program: String, _ arguments: [String]) throws -> String {
        try Launcher.run(
            "/bin/sh",
            [TestPaths.repositoryRoot.appendingPathComponent("tools/pythia/setup-venv.sh").path, toolsVenv.path],
            timeout: 600
        ).succeeded()
        let script = TestPaths.temporaryDirectory("python").appendingPathComponent("program.py")
        try program.write(to: script, atomically: true, encoding: .utf8)
        return try Launcher.run(
            toolsVenv.appendingPathComponent("bin/python").path, [script.path] + arguments, timeout: 300
        ).succeeded().stdout
    }
}

/// A child process that failed where a test needed it to succeed.
public struct ProcessFailure: Error, CustomStringConvertible {
    public var output: ProcessOutput
    public var description: String {
        "process failed (status \(output.status)\(output.timedOut ? ", timed out" : "")): \(output.combined)"
    }
}

extension ProcessOutput {
    /// Self if the process exited with status 0 in time; `ProcessFailure` otherwise.
    @discardableResult
    public func succeeded() throws -> ProcessOutput {
        guard status == 0 && !timedOut else { throw ProcessFailure(output: self) }
        return self
    }
}
