import Foundation

/// Expanding command-line inputs: a file stands for itself, a folder for its `*.h5` files in
/// name order (hidden temporary files excluded).
public enum EventPaths {
    public static func expand(_ paths: [String]) throws -> [String] {
        try paths.flatMap { path -> [String] in
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw EventFileError(file: path, path: "/", message: "no such file or folder")
            }
            guard isFolder.boolValue else { return [path] }
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.hasSuffix(".h5") && !$0.hasPrefix(".") }.sorted()
            guard !names.isEmpty else {
                throw EventFileError(file: path, path: "/", message: "folder holds no .h5 files")
            }
            return names.map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
        }
    }
}
