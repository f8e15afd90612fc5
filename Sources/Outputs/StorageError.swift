import Foundation

/// A write that failed because of the storage (full, read-only, not permitted), with one message
/// naming the file: "no space left on device writing FILE". `mapping` turns Foundation's and
/// POSIX's errors into it, so a full disk never shows as a raw NSCocoaErrorDomain code.
public struct StorageError: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var code: Int32
    public var description: String { "\(Self.reason(code)) writing \(path)" }

    public init(path: String, code: Int32) {
        self.path = path
        self.code = code
    }

    /// Runs `body`, rethrowing a storage failure of it as a `StorageError` naming `path`.
    public static func mapping<T>(path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            if let code = posixCode(of: error) { throw StorageError(path: path, code: code) }
            throw error
        }
    }

    /// `error` as a `StorageError` when it is a storage failure of Foundation that names its file
    /// (NSFilePathErrorKey or NSURLErrorKey), so a full disk shows as "no space left on device writing
    /// FILE" rather than a raw NSCocoaErrorDomain code; any other error unchanged.
    public static func mapped(_ error: Error) -> Error {
        guard !(error is StorageError), let code = posixCode(of: error) else { return error }
        let info = (error as NSError).userInfo
        guard let path = info[NSFilePathErrorKey] as? String ?? (info[NSURLErrorKey] as? URL)?.path else {
            return error
        }
        return StorageError(path: path, code: code)
    }

    /// The errno behind an error from Foundation or POSIX, when it is one of the storage errors.
    public static func posixCode(of error: Error) -> Int32? {
        let storage: Set<Int32> = [ENOSPC, EDQUOT, EROFS, EACCES, EPERM, EIO, EFBIG]
        if let posix = error as? POSIXError { return storage.contains(posix.code.rawValue) ? posix.code.rawValue : nil }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain {
            return storage.contains(Int32(nsError.code)) ? Int32(nsError.code) : nil
        }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? Error { return posixCode(of: underlying) }
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case CocoaError.fileWriteOutOfSpace.rawValue: return ENOSPC
            case CocoaError.fileWriteVolumeReadOnly.rawValue: return EROFS
            case CocoaError.fileWriteNoPermission.rawValue: return EACCES
            default: return nil
            }
        }
        return nil
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOSPC, EDQUOT: "no space left on device"
        case EROFS: "read-only file system"
        case EACCES, EPERM: "permission denied"
        default: String(cString: strerror(code)).lowercased()
        }
    }
}
