import Foundation

/// The lock of a run folder: `lock` created with O_EXCL, holding "pid host time what". A lock
/// whose process is gone (same host, no such pid) is stale and taken over; a live one refuses.
public final class RunLock: @unchecked Sendable {
    public let path: String
    private var held = false

    /// Takes the lock or throws naming the holder.
    public init(run: RunDirectory, purpose: String) throws {
        path = run.lockPath
        let host = ProcessInfo.processInfo.hostName
        let line = "\(getpid()) \(host) \(Int(Date().timeIntervalSince1970)) \(purpose)\n"
        for _ in 0..<3 {
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd >= 0 {
                let bytes = Array(line.utf8)
                _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
                held = true
                return
            }
            guard errno == EEXIST else { throw GridError("\(path): cannot create the lock (\(String(cString: strerror(errno))))") }
            if let holder = RunLock.holder(path: path), holder.alive {
                throw GridError("\(path): the run is busy — \(holder.purpose) by process \(holder.pid) on \(holder.host); "
                                + "wait for it, or `vbfgrid grid cancel \(run.path)`")
            }
            unlink(path)   // stale: its process is gone
        }
        throw GridError("\(path): could not take the lock")
    }

    deinit { release() }

    public func release() {
        if held { unlink(path); held = false }
    }

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
        let fields = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 3).map(String.init)
        guard fields.count >= 2, let pid = Int32(fields[0]) else { return Holder(pid: 0, host: "?", purpose: "unknown", alive: false) }
        let sameHost = fields[1] == ProcessInfo.processInfo.hostName
        let alive = !sameHost || kill(pid, 0) == 0 || errno == EPERM
        return Holder(pid: pid, host: fields[1], purpose: fields.count > 3 ? fields[3] : "unknown", alive: alive)
    }
}
