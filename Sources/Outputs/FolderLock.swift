import Foundation

/// One writer per folder: a lock file created with O_EXCL holding "pid host time purpose". A lock
/// whose process is gone (same host, no such pid) is stale and taken over; a live one refuses,
/// naming its holder. Released by `release()` or when the lock is deallocated.
public final class FolderLock: @unchecked Sendable {
    public let path: String
    private var held = false

    /// Takes the lock at `path` for `purpose`, or throws naming the holder. `busyHint` ends the
    /// message when a live process holds it (what the user can do about it).
    public init(path: String, purpose: String, busyHint: String = "wait for it to finish") throws {
        self.path = path
        let line = "\(getpid()) \(ProcessInfo.processInfo.hostName) \(Int(Date().timeIntervalSince1970)) \(purpose)\n"
        for _ in 0..<3 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd >= 0 {
                let bytes = Array(line.utf8)
                let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
                guard written == bytes.count else {
                    unlink(path)
                    throw OutputFolderError("\(path): cannot write the lock (\(String(cString: strerror(errno))))")
                }
                held = true
                return
            }
            guard errno == EEXIST else {
                throw OutputFolderError("\(path): cannot create the lock (\(String(cString: strerror(errno))))")
            }
            if let holder = FolderLock.holder(path: path), holder.alive, !FolderLock.goesAway(holder) {
                throw OutputFolderError(
                    "\(path): busy — \(holder.purpose) by process \(holder.pid) on \(holder.host); \(busyHint)")
            }
            unlink(path) // stale: its process is gone
        }
        throw OutputFolderError("\(path): could not take the lock")
    }

    deinit { release() }

    /// Whether a live holder on this host ends within two seconds (a killed run's last rank still
    /// exiting when its rerun starts).
    private static func goesAway(_ holder: Holder) -> Bool {
        guard holder.host == ProcessInfo.processInfo.hostName else { return false }
        for _ in 0..<20 {
            usleep(100_000)
            if !ProcessLiveness.isAlive(holder.pid) { return true }
        }
        return false
    }

    public func release() {
        if held {
            unlink(path)
            held = false
        }
    }

    /// The process named in a lock file.
    public struct Holder: Sendable {
        public var pid: Int32
        public var host: String
        public var purpose: String
        /// False only when the holder is on this host and its process no longer exists.
        public var alive: Bool
    }

    /// Who holds the lock at `path`, if anyone.
    public static func holder(path: String) -> Holder? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 3).map(
            String.init)
        guard fields.count >= 2, let pid = Int32(fields[0]) else {
            return Holder(pid: 0, host: "?", purpose: "unknown", alive: false)
        }
        let sameHost = fields[1] == ProcessInfo.processInfo.hostName
        let alive = !sameHost || ProcessLiveness.isAlive(pid)
        return Holder(pid: pid, host: fields[1], purpose: fields.count > 3 ? fields[3] : "unknown", alive: alive)
    }
}

/// A refusal or failure of the provenance checks, with a message naming the folder or file.
public struct OutputFolderError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Whether a process exists and has not exited (a zombie waiting to be reaped counts as gone).
public enum ProcessLiveness {
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")"), stat.index(close, offsetBy: 2) < stat.endIndex
        else { return true }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }
}
