import CHDF5

/// Something opened inside an HDF5 file (the file's root, a group, a dataset): it owns an
/// HDF5 identifier, closed when the object goes away, and knows where it is for error messages.
public class HDF5Object: @unchecked Sendable {
    let id: hid_t
    /// The file on disk.
    public let filePath: String
    /// The object's absolute path inside the file ("/" for the root).
    public let path: String
    /// Keeps the file open for as long as objects inside it are alive.
    let owner: HDF5File?
    private let closeFunction: (hid_t) -> herr_t

    init(id: hid_t, filePath: String, path: String, owner: HDF5File?, close: @escaping (hid_t) -> herr_t) {
        self.id = id
        self.filePath = filePath
        self.path = path
        self.owner = owner
        self.closeFunction = close
    }

    deinit {
        HDF5Library.locked { _ = closeFunction(id) }
    }

    /// The file this object belongs to.
    var file: HDF5File { owner ?? (self as! HDF5File) }

    func error(_ message: String, at object: String? = nil, detail: String? = nil) -> HDF5Error {
        HDF5Error(file: filePath, object: object ?? path, message: message, detail: detail)
    }

    func childPath(_ name: String) -> String {
        name.hasPrefix("/") ? name : (path == "/" ? "/" + name : path + "/" + name)
    }
}
