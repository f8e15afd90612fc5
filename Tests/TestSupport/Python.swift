import Foundation

/// Python oracles: Debian's python3 (numpy, h5py) and a pyhf venv under .build/.
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
