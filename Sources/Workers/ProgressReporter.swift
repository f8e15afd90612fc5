import Foundation

/// One progress line per update on standard error — units done / total, events/s and ETA —
/// readable in a terminal and in a log file alike. Updates are throttled to one every
/// `interval` seconds, plus the first and the last.
public final class ProgressReporter: @unchecked Sendable {
    private let stage: String
    private let interval: TimeInterval
    private var total = 0
    private var startDone = 0
    private var started = Date()
    private var lastPrinted = Date.distantPast
    private let lock = NSLock()

    public init(stage: String, interval: TimeInterval = 5) {
        self.stage = stage
        self.interval = interval
    }

    /// Starts the clock; `alreadyDone` units were complete before this run (a resumed stage).
    public func start(total: Int, alreadyDone: Int) {
        lock.lock()
        defer { lock.unlock() }
        self.total = total
        startDone = alreadyDone
        started = Date()
        let resumed = alreadyDone > 0 ? " (\(alreadyDone) already complete)" : ""
        emit("\(stage): \(total) unit\(total == 1 ? "" : "s")\(resumed)")
    }

    /// Reports `done` units complete and `events` processed so far in this run.
    public func update(done: Int, events: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard Date().timeIntervalSince(lastPrinted) >= interval || done == total else { return }
        lastPrinted = Date()
        let elapsed = max(Date().timeIntervalSince(started), 1e-6)
        let rate = Double(events) / elapsed
        let unitsThisRun = done - startDone
        let remaining = unitsThisRun > 0 ? elapsed / Double(unitsThisRun) * Double(total - done) : .nan
        emit(
            String(
                format: "%@: %d/%d units, %.0f events/s, ETA %@", stage, done, total, rate,
                ProgressReporter.duration(remaining)))
    }

    /// The closing line.
    public func finish(events: Int) {
        lock.lock()
        defer { lock.unlock() }
        let elapsed = Date().timeIntervalSince(started)
        emit(
            String(
                format: "%@: done, %d events in %@ (%.0f events/s)", stage, events,
                ProgressReporter.duration(elapsed), Double(events) / max(elapsed, 1e-6)))
    }

    /// "1:02:03", "4:05" or "?" for an unknown duration.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
            : String(format: "%d:%02d", s / 60, s % 60)
    }

    private func emit(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
