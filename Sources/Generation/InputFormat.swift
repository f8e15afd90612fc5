import Events
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The kinds of existing files vbfgrid turns into events, told apart by their content: an HDF5
/// file (magic `\x89HDF\r\n\x1a\n`) whose root attribute `format` is `vbfgrid.events` (used as it
/// is) or `vbfgrid.particles` (put through the `detector` stage), or a ROOT file (magic `root`),
/// read as a Delphes tree by `import-delphes`.
public enum InputFormat: String, Sendable, Codable, CaseIterable {
    case events = "vbfgrid.events"
    case particles = "vbfgrid.particles"
    case delphes = "Delphes ROOT"

    static let hdf5Magic: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]
    static let rootMagic: [UInt8] = Array("root".utf8)

    /// What the file at `path` holds: its format, and for vbfgrid files the header's channel and
    /// the number of events. Throws `InputFileError` naming the file for anything else.
    public static func inspect(_ path: String) throws -> (format: InputFormat, channel: String?, events: Int?) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputFileError(file: path, message: "cannot be opened for reading")
        }
        let head = [UInt8]((try? handle.read(upToCount: 8)) ?? Data())
        try? handle.close()
        if head.starts(with: rootMagic) { return (.delphes, nil, nil) }
        guard head == hdf5Magic else {
            throw InputFileError(
                file: path,
                message: "is not an input vbfgrid reads (expected a vbfgrid.events or vbfgrid.particles HDF5 file, "
                    + "or a Delphes ROOT file)")
        }
        let format: String?
        do { format = try FileHeader.format(ofFileAt: path) } catch {
            throw InputFileError(file: path, message: "cannot be read as HDF5 (\(error))")
        }
        switch format {
        case FileHeader.eventsFormat?:
            let reader = try EventFileReader(path: path)
            return (.events, reader.header.channel, reader.count)
        case FileHeader.particlesFormat?:
            let reader = try ParticleFileReader(path: path)
            return (.particles, reader.header.channel, reader.count)
        default:
            throw InputFileError(
                file: path,
                message: "is an HDF5 file whose format attribute is "
                    + (format.map { "'\($0)'" } ?? "missing")
                    + "; expected vbfgrid.events or vbfgrid.particles")
        }
    }

    /// The files named by `pattern`: one file, every non-hidden file of a folder, or the files a
    /// glob (`*`, `?`, `[…]`) matches, sorted by path; in a folder or a glob, `producer.json` (the
    /// record a vbfgrid stage leaves in its output folder) is passed over. A relative pattern is
    /// taken relative to `base`. Throws `InputFileError` when nothing is there or a file cannot be read.
    public static func expand(_ pattern: String, base: String) throws -> [String] {
        let absolute =
            pattern.hasPrefix("/") ? pattern : URL(fileURLWithPath: base).appendingPathComponent(pattern).path
        let fm = FileManager.default
        var paths: [String]
        if absolute.contains(where: { "*?[".contains($0) }) {
            paths = glob(absolute).filter { !isFolder($0) && !isProducerRecord($0) }
            guard !paths.isEmpty else { throw InputFileError(file: absolute, message: "matches no file") }
        } else if isFolder(absolute) {
            let names = try fm.contentsOfDirectory(atPath: absolute).filter { !$0.hasPrefix(".") }
            paths = names.map { URL(fileURLWithPath: absolute).appendingPathComponent($0).path }
                .filter { !isFolder($0) && !isProducerRecord($0) }
            guard !paths.isEmpty else { throw InputFileError(file: absolute, message: "folder holds no files") }
        } else {
            guard fm.fileExists(atPath: absolute) else {
                throw InputFileError(file: absolute, message: "no such file or folder")
            }
            paths = [absolute]
        }
        for path in paths where !fm.isReadableFile(atPath: path) {
            throw InputFileError(file: path, message: "is not readable")
        }
        return paths.sorted()
    }

    private static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    private static func isProducerRecord(_ path: String) -> Bool {
        URL(fileURLWithPath: path).lastPathComponent == "producer.json"
    }

    private static func glob(_ pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard Glibc.glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { matches.gl_pathv[$0].map { String(cString: $0) } }
    }
}

/// An input file vbfgrid cannot use, reported as `FILE: what is wrong`.
public struct InputFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var message: String
    public init(file: String, message: String) {
        self.file = file
        self.message = message
    }
    public var description: String { "\(file): \(message)" }
}
