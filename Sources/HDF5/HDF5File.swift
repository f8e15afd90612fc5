import CHDF5
import CMPI
import Foundation
import MPI

/// An HDF5 file, serial or opened collectively by every rank of a communicator (MPI-IO).
///
/// The file object is its own root group. It stays open while any object inside it is alive;
/// `close()` flushes and releases it explicitly (call it before renaming a finished file).
public final class HDF5File: HDF5Group, @unchecked Sendable {
    /// How an existing file is opened.
    public enum Mode: Sendable { case readOnly, readWrite }

    /// The communicator the file was opened with, when it is a parallel (MPI-IO) file.
    public let communicator: Communicator?
    private var isOpen = true

    /// Creates (or truncates) a file. With a communicator every rank must call this: the file
    /// is opened with MPI-IO and dataset transfers are collective.
    public convenience init(creating path: String, communicator: Communicator? = nil) throws(HDF5Error) {
        let id = try HDF5File.withAccessList(communicator, path) { fapl throws(HDF5Error) in
            try check(
                H5Fcreate(path, ch5_acc_trunc(), ch5_p_default(), fapl), file: path, object: "/",
                "cannot create file (is the folder there and writable?)")
        }
        self.init(id: id, path: path, communicator: communicator)
    }

    /// Opens an existing file. With a communicator every rank must call this.
    public convenience init(
        opening path: String, mode: Mode = .readOnly,
        communicator: Communicator? = nil
    ) throws(HDF5Error) {
        guard FileManager.default.fileExists(atPath: path) else {
            throw HDF5Error(file: path, object: "/", message: "no such file")
        }
        let flags = mode == .readOnly ? ch5_acc_rdonly() : ch5_acc_rdwr()
        let id = try HDF5File.withAccessList(communicator, path) { fapl throws(HDF5Error) in
            try check(
                H5Fopen(path, flags, fapl), file: path, object: "/",
                "cannot open as HDF5 (truncated, corrupt or not an HDF5 file)")
        }
        self.init(id: id, path: path, communicator: communicator)
    }

    private init(id: hid_t, path: String, communicator: Communicator?) {
        self.communicator = communicator
        super.init(id: id, filePath: path, path: "/", owner: nil, close: H5Fclose)
    }

    /// Whether dataset transfers are collective MPI-IO.
    public var isParallel: Bool { communicator != nil }

    /// Flushes everything to disk. Objects still alive keep the file open until they go.
    public func close() throws(HDF5Error) {
        guard isOpen else { return }
        isOpen = false
        try HDF5Library.locked { () throws(HDF5Error) in
            try check(H5Fflush(id, H5F_SCOPE_GLOBAL), file: filePath, object: "/", "cannot flush file")
        }
    }

    /// Writes a file atomically: `body` fills a temporary file beside `path`, which is renamed
    /// to `path` only when `body` returns. On error the temporary file is removed and an
    /// existing `path` is left untouched. Serial files only.
    public static func writeAtomically(to path: String, _ body: (HDF5File) throws -> Void) throws {
        let temporary = temporaryPath(for: path)
        do {
            let file = try HDF5File(creating: temporary)
            try body(file)
            try file.close()
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        try replace(path, with: temporary)
    }

    /// The temporary name used while `path` is being written: hidden, in the same folder.
    public static func temporaryPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())").path
    }

    /// The file a temporary name stands for (`.NAME.tmp-PID` or `.NAME.partial` → `NAME`); any other
    /// path as it is.
    public static func finalPath(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        guard name.hasPrefix("."), let range = name.range(of: #"\.(tmp-[0-9]+|partial)$"#, options: .regularExpression)
        else { return path }
        return url.deletingLastPathComponent().appendingPathComponent(
            String(name[name.index(after: name.startIndex)..<range.lowerBound])
        ).path
    }

    /// Bytes kept free below every write: room for the metadata and cached chunks that closing the
    /// file still writes.
    public static let spareBytes = 1 << 20

    /// Throws "no space left on device writing FILE" before HDF5 is asked to write `bytes` more to
    /// `path` when the file system has less than that plus `spareBytes` free: HDF5 is never left
    /// with a failed write (after which it cannot even close the file).
    public static func ensureSpace(_ bytes: Int, writing path: String) throws(HDF5Error) {
        var info = statvfs()
        guard statvfs(URL(fileURLWithPath: path).deletingLastPathComponent().path, &info) == 0 else { return }
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        if free < bytes + spareBytes {
            throw HDF5Error(
                file: path, object: "/", message: "\(free) bytes free for a write of \(bytes)", storageCode: ENOSPC)
        }
    }

    /// `ensureSpace` for a write into this file; a parallel file's ranks decide together (every
    /// rank throws when one is short), so no rank enters a collective write the others skip.
    func ensureSpace(_ bytes: Int) throws(HDF5Error) {
        var failure: HDF5Error?
        do throws(HDF5Error) { try Self.ensureSpace(bytes, writing: filePath) } catch { failure = error }
        if let communicator, communicator.allReduce(failure == nil ? 0 : 1, .max) == 1 {
            throw failure
                ?? HDF5Error(file: filePath, object: "/", message: "another rank is out of space", storageCode: ENOSPC)
        }
        if let failure { throw failure }
    }

    /// Renames `temporary` onto `path` (atomic on one file system).
    public static func replace(_ path: String, with temporary: String) throws {
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw HDF5Error(file: path, object: "/", message: "cannot move the finished file into place: \(reason)")
        }
    }

    private static func withAccessList(
        _ communicator: Communicator?, _ path: String,
        _ body: (hid_t) throws(HDF5Error) -> hid_t
    ) throws(HDF5Error) -> hid_t {
        try HDF5Library.locked { () throws(HDF5Error) -> hid_t in
            let fapl = H5Pcreate(ch5_p_file_access())
            defer { H5Pclose(fapl) }
            // No advisory file locks: every vbfgrid output is written under a temporary name and
            // renamed, and a lock would outlive the file's closing in any child process that
            // inherited the descriptor (mpirun, srun), making the next open fail with EAGAIN.
            H5Pset_file_locking(fapl, false, true)
            if let communicator {
                try check(
                    H5Pset_fapl_mpio(fapl, communicator.handle, cmpi_info_null()), file: path, object: "/",
                    "cannot set up MPI-IO access")
            }
            return try body(fapl)
        }
    }
}
