import Foundation

/// Helpers shared by the test targets: where the repository and the built `vbfgrid`
/// executable are (the reference files are in `Fixtures`), running child processes (mpirun among them) with a timeout,
/// and scratch directories. Tests never call MPI_Init in their own process: MPI runs in
/// children started through `Launcher`.
public enum TestPaths {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("TestSupport: no Package.swift above \(#filePath)")
    }()

    /// The folder of the test bundle's build products (`.build/<triple>/debug`).
    public static let productsDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("vbfgrid").path) { return url }
            url.deleteLastPathComponent()
        }
        fatalError("TestSupport: no vbfgrid executable above \(CommandLine.arguments[0]); run `swift build` first")
    }()

    /// The `vbfgrid` executable built with the tests.
    public static var vbfgrid: URL { productsDirectory.appendingPathComponent("vbfgrid") }

    /// A fresh scratch directory, removed by the caller when it wants (tests usually leave it to /tmp).
    public static func temporaryDirectory(_ label: String = "vbfgrid-test") -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The outcome of a child process.
public struct ProcessOutput: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// True when the process ended because it exceeded its timeout.
    public var timedOut: Bool
    public var combined: String { stdout + stderr }
}

/// Starts child processes with a timeout, capturing their output.
public enum Launcher {
    /// Environment that lets Open MPI run as root and oversubscribe the cores of a small machine.
    public static let mpiEnvironment: [String: String] = [
        "OMPI_ALLOW_RUN_AS_ROOT": "1",
        "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1",
        "OMPI_MCA_rmaps_base_oversubscribe": "1",
        "OPENBLAS_NUM_THREADS": "1",
    ]

    /// Runs `executable` with `arguments`; kills it (and its process group) after `timeout` seconds.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        directory: URL? = nil, timeout: TimeInterval = 300
    ) throws -> ProcessOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let outData = DataCollector(out.fileHandleForReading)
        let errData = DataCollector(err.fileHandleForReading)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                Thread.sleep(forTimeInterval: 2)
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        return ProcessOutput(
            status: process.terminationStatus, stdout: outData.text(), stderr: errData.text(),
            timedOut: timedOut)
    }

    /// Runs the built `vbfgrid` with `arguments`.
    @discardableResult
    public static func vbfgrid(
        _ arguments: [String], environment: [String: String] = [:],
        directory: URL? = nil, timeout: TimeInterval = 300
    ) throws -> ProcessOutput {
        try run(
            TestPaths.vbfgrid.path, arguments, environment: mpiEnvironment.merging(environment) { $1 },
            directory: directory, timeout: timeout)
    }

    /// Runs the built `vbfgrid` under `mpirun -n ranks`.
    @discardableResult
    public static func mpirun(
        ranks: Int, _ arguments: [String], environment: [String: String] = [:],
        directory: URL? = nil, timeout: TimeInterval = 300
    ) throws -> ProcessOutput {
        try run(
            "mpirun", ["-n", String(ranks), "--bind-to", "none", TestPaths.vbfgrid.path] + arguments,
            environment: mpiEnvironment.merging(environment) { $1 }, directory: directory, timeout: timeout)
    }
}

/// Drains a pipe on a background thread so a chatty child never blocks on a full pipe.
private final class DataCollector: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        let fd = handle.fileDescriptor
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue } // a signal (e.g. SIGCHLD) interrupted the read
                if n <= 0 { break }
                lock.lock()
                data.append(contentsOf: buffer[0..<n])
                lock.unlock()
            }
            done.signal()
        }
    }

    func text() -> String {
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A child process running in the background with its output going to a log file, for tests
/// that act on a run while it is under way (kill a rank, send a signal).
public final class BackgroundProcess: @unchecked Sendable {
    public let process = Process()
    public let log: URL

    /// Starts `vbfgrid` under `mpirun -n ranks` (or alone when ranks is nil), output to `log`.
    public init(ranks: Int?, _ arguments: [String], log: URL) throws {
        self.log = log
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        if let ranks {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments =
                ["mpirun", "-n", String(ranks), "--bind-to", "none", TestPaths.vbfgrid.path] + arguments
        } else {
            process.executableURL = TestPaths.vbfgrid
            process.arguments = arguments
        }
        process.environment = ProcessInfo.processInfo.environment.merging(Launcher.mpiEnvironment) { $1 }
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The log so far.
    public var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Waits until the log contains `text`; false if the process ended or `timeout` passed first.
    public func waitFor(_ text: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    /// Waits for the end (killing it after `timeout`); returns the exit status and whether it timed out.
    public func waitForExit(timeout: TimeInterval) -> (status: Int32, timedOut: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            process.terminate()
            Thread.sleep(forTimeInterval: 2)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return (process.terminationStatus, true)
        }
        process.waitUntilExit()
        return (process.terminationStatus, false)
    }

    /// The PIDs of this process's direct children (the MPI ranks under mpirun).
    public var children: [Int32] {
        let text =
            (try? String(
                contentsOfFile: "/proc/\(process.processIdentifier)/task/\(process.processIdentifier)/children",
                encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int32($0) }
    }
}
