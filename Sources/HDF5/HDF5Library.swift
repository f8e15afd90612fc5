import CHDF5
import Foundation

/// Process-wide HDF5 facts and the lock that confines every HDF5 call.
///
/// The Debian build of HDF5 is not thread-safe, so every call into the C library in this
/// module happens inside `HDF5Library.locked { … }`; a reader thread and a writer thread can
/// both use HDF5 safely, one call at a time.
public enum HDF5Library {
    private static let lock = NSRecursiveLock()
    private static let setUp: Void = {
        // No close-everything at exit: a file whose write failed (a full disk) cannot be closed by
        // HDF5 1.10 without a crash, and every file vbfgrid writes is closed (or abandoned as a
        // temporary) before exit anyway.
        H5dont_atexit()
        H5open()
        ch5_silence_errors()
        keepChunkBuffersInHeap()
    }()

    /// HDF5 allocates and frees a buffer per compressed chunk it reads or writes (1.5 MB for a
    /// chunk of 32 HR images). Above glibc's default 128 kB threshold each one is mapped from the
    /// kernel and unmapped again, zero-filled page by page (a tenth of preprocessing); with the
    /// threshold at 64 MB they are reused from the heap.
    private static func keepChunkBuffersInHeap() {
        ch5_keep_blocks_in_heap(64 << 20, 256 << 20)
    }

    /// Runs `body` with exclusive access to the HDF5 library.
    @inline(__always)
    public static func locked<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        _ = setUp
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The library version, e.g. "1.10.8".
    public static var version: String {
        locked {
            var major: UInt32 = 0, minor: UInt32 = 0, release: UInt32 = 0
            H5get_libversion(&major, &minor, &release)
            return "\(major).\(minor).\(release)"
        }
    }

    /// Whether this build has MPI-IO (parallel HDF5).
    public static var isParallel: Bool { H5_HAVE_PARALLEL == 1 }

    /// Whether the library can both encode and decode with the deflate (zlib) filter.
    public static var hasDeflate: Bool { filterCanEncodeAndDecode(H5Z_FILTER_DEFLATE) }

    /// Whether the library can both encode and decode with the shuffle filter.
    public static var hasShuffle: Bool { filterCanEncodeAndDecode(H5Z_FILTER_SHUFFLE) }

    private static func filterCanEncodeAndDecode(_ filter: H5Z_filter_t) -> Bool {
        locked {
            guard H5Zfilter_avail(filter) > 0 else { return false }
            var flags: UInt32 = 0
            guard H5Zget_filter_info(filter, &flags) >= 0 else { return false }
            let both = UInt32(H5Z_FILTER_CONFIG_ENCODE_ENABLED) | UInt32(H5Z_FILTER_CONFIG_DECODE_ENABLED)
            return flags & both == both
        }
    }

    /// The messages of HDF5's current error stack, outermost first (empty if none).
    static func errorStackMessages() -> [String] {
        final class Box { var messages: [String] = [] }
        let box = Box()
        let callback: H5E_walk2_t = { _, error, data in
            guard let error, let data else { return 0 }
            let box = Unmanaged<Box>.fromOpaque(data).takeUnretainedValue()
            if let desc = error.pointee.desc { box.messages.append(String(cString: desc)) }
            return 0
        }
        H5Ewalk2(hid_t(H5E_DEFAULT), H5E_WALK_DOWNWARD, callback, Unmanaged.passUnretained(box).toOpaque())
        H5Eclear2(hid_t(H5E_DEFAULT))
        return box.messages.filter { !$0.isEmpty }
    }
}

/// An HDF5 failure, naming the file, the object inside it and what went wrong.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    /// The file on disk.
    public var file: String
    /// The object path inside the file ("/" for the file itself).
    public var object: String
    /// What vbfgrid was doing or expected.
    public var message: String
    /// HDF5's own explanation from its error stack, when it gave one.
    public var detail: String?
    /// The errno of a failure of the storage (ENOSPC, EDQUOT, EROFS, EACCES, EIO, EFBIG), if it was one.
    public var storageCode: Int32?

    public init(file: String, object: String, message: String, detail: String? = nil, storageCode: Int32? = nil) {
        self.file = file
        self.object = object
        self.message = message
        self.detail = detail
        self.storageCode = storageCode
    }

    /// The errors that mean the storage refused a write.
    public static let storageCodes: Set<Int32> = [ENOSPC, EDQUOT, EROFS, EACCES, EPERM, EIO, EFBIG]

    public var description: String {
        if let storageCode {
            let reason =
                storageCode == ENOSPC || storageCode == EDQUOT
                ? "no space left on device"
                : String(cString: strerror(storageCode)).lowercased()
            return "\(reason) writing \(HDF5File.finalPath(of: file))"
        }
        var text = "\(file): \(object): \(message)"
        if let detail { text += " (HDF5: \(detail))" }
        return text
    }
}

/// Throws an `HDF5Error` carrying HDF5's error stack when `status` is negative.
@inline(__always)
func check(_ status: Int64, file: String, object: String, _ message: @autoclosure () -> String) throws(HDF5Error)
    -> Int64
{
    if status < 0 {
        let code = errno
        let stack = HDF5Library.errorStackMessages()
        let detail = stack.isEmpty ? nil : Array(Set([stack.first!, stack.last!])).sorted().joined(separator: "; ")
        throw HDF5Error(
            file: file, object: object, message: message(), detail: detail,
            storageCode: HDF5Error.storageCodes.contains(code) ? code : nil)
    }
    return status
}

@inline(__always)
func check(_ status: Int32, file: String, object: String, _ message: @autoclosure () -> String) throws(HDF5Error) {
    _ = try check(Int64(status), file: file, object: object, message())
}
