import Foundation

/// Slurm's view of jobs, read from text outputs (stable across Slurm versions, unlike --json):
/// `squeue -h -r -t all -j IDS -o '%i|%A|%F|%K|%T|%r'` first, then `sacct -X -n -P` when the
/// cluster has accounting ("accounting storage is disabled" means it has not).
public struct SlurmQueue: Sendable {
    /// One job or array element.
    public struct Entry: Sendable, Equatable {
        /// `A_T` for array elements, else the job id.
        public var display: String
        public var jobId: String
        public var arrayJobId: String
        /// The array index, nil for a plain job.
        public var arrayTaskId: Int?
        public var state: String
        public var reason: String
        /// `code:signal` when known (sacct).
        public var exitCode: String?
    }

    public static let squeueFormat = "%i|%A|%F|%K|%T|%r"

    /// Parses `squeue -o '%i|%A|%F|%K|%T|%r'` lines; malformed lines are skipped.
    public static func parseSqueue(_ text: String) -> [Entry] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard f.count >= 6, !f[1].isEmpty else { return nil }
            return Entry(
                display: f[0], jobId: f[1], arrayJobId: f[2], arrayTaskId: Int(f[3]), state: f[4], reason: f[5])
        }
    }

    /// Parses `sacct -X -n -P -o JobID,State,ExitCode` lines (`A_T|COMPLETED|0:0`,
    /// `42|CANCELLED by 0|0:15`). Returns nil when the text says accounting is disabled.
    public static func parseSacct(_ text: String) -> [Entry]? {
        if text.localizedCaseInsensitiveContains("accounting storage is disabled") { return nil }
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let f = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 3, !f[0].isEmpty else { return nil }
            let state = f[1].split(separator: " ").first.map(String.init) ?? f[1]
            let parts = f[0].split(separator: "_", maxSplits: 1).map(String.init)
            if parts.count == 2, let index = Int(parts[1]) {
                return Entry(
                    display: f[0], jobId: f[0], arrayJobId: parts[0], arrayTaskId: index, state: state, reason: "",
                    exitCode: f[2])
            }
            return Entry(
                display: f[0], jobId: f[0], arrayJobId: f[0], arrayTaskId: nil, state: state, reason: "", exitCode: f[2]
            )
        }
    }

    /// States in which a job still holds or waits for resources.
    public static let activeStates: Set<String> = [
        "PENDING", "RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED",
        "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESIZING", "SIGNALING",
        "STAGE_OUT", "STOPPED", "RESV_DEL_HOLD",
    ]
    /// Pending reasons that mean the job will never start.
    public static let hopelessReasons: Set<String> = ["DependencyNeverSatisfied", "PartitionConfig", "BadConstraints"]

    // MARK: Running the commands

    /// squeue for `jobIds` (array job ids); nil when squeue itself failed.
    public static func poll(_ jobIds: [String]) -> [Entry]? {
        guard !jobIds.isEmpty else { return [] }
        let result = Shell.run(
            "squeue", ["-h", "-r", "-t", "all", "-j", jobIds.joined(separator: ","), "-o", squeueFormat])
        // A single purged id makes squeue exit 1 with "Invalid job id specified": that means "forgotten".
        if result.status != 0 {
            return result.stderr.contains("Invalid job id") ? [] : nil
        }
        return parseSqueue(result.stdout)
    }

    /// sacct for `jobIds`; nil when accounting is not available.
    public static func accounting(_ jobIds: [String]) -> [Entry]? {
        guard !jobIds.isEmpty else { return [] }
        let result = Shell.run(
            "sacct", ["-X", "-n", "-P", "-j", jobIds.joined(separator: ","), "-o", "JobID,State,ExitCode"])
        guard result.status == 0 else { return nil }
        return parseSacct(result.stdout + result.stderr)
    }
}

/// Runs a command found on PATH and captures its output.
public enum Shell {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static func run(_ tool: String, _ arguments: [String]) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            return Result(status: 127, stdout: "", stderr: "\(tool): \(error)")
        }
        // Read both pipes fully before waiting (outputs here are small, stderr read after stdout).
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
