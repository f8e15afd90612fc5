import Foundation

/// The output folder of a stage run, claimed (`OutputFolder(claiming:producer:force:)`) before
/// anything is written. Claiming takes the folder's lock (one writer at a time), then compares
/// the folder's `producer.json` with this run's: the same producer continues (a rerun skips what
/// is complete), another is refused with the differences listed — or, with `force`, the folder
/// is emptied and started again. A folder with outputs but no producer.json is treated as
/// another producer. The new producer.json is written before any output.
public final class OutputFolder: @unchecked Sendable {
    public static let lockName = ".lock"

    public let path: String
    public let producer: Producer
    /// True when the folder already held this producer's outputs (a rerun or a resume).
    public let continues: Bool
    private let lock: FolderLock

    public init(claiming path: String, producer: Producer, force: Bool = false) throws {
        let files = FileManager.default
        self.path = path
        self.producer = producer
        try StorageError.mapping(path: path) {
            try files.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        lock = try FolderLock(
            path: URL(fileURLWithPath: path).appendingPathComponent(Self.lockName).path,
            purpose: producer.stage, busyHint: "two runs cannot write into one folder")
        let recorded = try Producer.read(folder: path)
        let contents = try files.contentsOfDirectory(atPath: path).filter { $0 != Self.lockName }
        // A run that failed before writing any output (a bad option found after the claim) leaves
        // only its producer.json: such a folder takes any configuration.
        let outputs = contents.filter { $0 != Producer.fileName && !Self.isTemporary($0) }
        let differences: [String]
        if let recorded {
            differences = outputs.isEmpty ? [] : producer.differences(from: recorded)
        } else {
            differences =
                contents.isEmpty
                ? [] : ["the folder holds files but no \(Producer.fileName) (it was written by something else)"]
        }
        if !differences.isEmpty {
            guard force else {
                lock.release()
                throw OutputFolderError(
                    "\(path) was written by another configuration:\n  "
                        + differences.joined(separator: "\n  ")
                        + "\nUse another output folder, or --force to delete it and start again.")
            }
            for name in contents {
                try StorageError.mapping(path: path) {
                    try files.removeItem(atPath: URL(fileURLWithPath: path).appendingPathComponent(name).path)
                }
            }
        }
        continues = recorded != nil && differences.isEmpty
        if !continues || recorded != producer { try producer.write(folder: path) }
        if continues { try Self.removeTemporaries(in: path) }
    }

    /// Whether `name` is a writer's temporary file: hidden, ending `.tmp`, `.tmp-PID` or `.partial`.
    public static func isTemporary(_ name: String) -> Bool {
        name.hasPrefix(".")
            && (name.hasSuffix(".tmp") || name.hasSuffix(".partial")
                || name.range(of: #"\.tmp-[0-9]+$"#, options: .regularExpression) != nil)
    }

    /// Removes the temporary files a killed writer left anywhere in the folder: with the lock held,
    /// nothing else is writing them.
    static func removeTemporaries(in path: String) throws {
        guard let walk = FileManager.default.enumerator(atPath: path) else { return }
        while let relative = walk.nextObject() as? String {
            guard isTemporary(URL(fileURLWithPath: relative).lastPathComponent) else { continue }
            let file = URL(fileURLWithPath: path).appendingPathComponent(relative).path
            try StorageError.mapping(path: file) { try FileManager.default.removeItem(atPath: file) }
        }
    }

    /// Releases the lock (also when the folder object is deallocated).
    public func release() { lock.release() }
}
