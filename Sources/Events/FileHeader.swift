import HDF5

/// The root attributes shared by `vbfgrid.events` and `vbfgrid.particles` files.
public struct FileHeader: Sendable, Equatable {
    /// `vbfgrid.events` or `vbfgrid.particles`.
    public var format: String
    public var formatVersion: Int
    /// Who made the events, e.g. `vbfgrid fastsim`.
    public var generator: String
    public var seed: Int
    /// Channel name (`S_EW`, …), or `mixed` for a file of several channels.
    public var channel: String
    /// Generation attempts behind the events of the file, including generator-level vetoes.
    public var nGenerated: Int
    /// Generator-level cross section of what was generated (fb, per attempt): the file's
    /// events represent σ = cross_section_fb · n_events / n_generated.
    public var crossSectionFb: Double
    /// Index of the file's first event in its (seed, channel) stream (`first_event`; 0 if absent):
    /// the shard's place in a sharded request, from which per-event random streams are derived.
    public var firstEvent: Int

    public static let eventsFormat = "vbfgrid.events"
    public static let particlesFormat = "vbfgrid.particles"
    public static let currentVersion = 1

    public init(
        format: String, formatVersion: Int = FileHeader.currentVersion, generator: String, seed: Int,
        channel: String, nGenerated: Int, crossSectionFb: Double, firstEvent: Int = 0
    ) {
        self.format = format
        self.formatVersion = formatVersion
        self.generator = generator
        self.seed = seed
        self.channel = channel
        self.nGenerated = nGenerated
        self.crossSectionFb = crossSectionFb
        self.firstEvent = firstEvent
    }

    public func write(to file: HDF5File) throws {
        try file.setAttribute("format", format)
        try file.setAttribute("format_version", formatVersion)
        try file.setAttribute("generator", generator)
        try file.setAttribute("seed", seed)
        try file.setAttribute("channel", channel)
        try file.setAttribute("n_generated", nGenerated)
        try file.setAttribute("cross_section_fb", crossSectionFb)
        try file.setAttribute("first_event", firstEvent)
    }

    /// The `format` root attribute of the HDF5 file at `path` (nil when it has none), without
    /// checking anything else: what kind of vbfgrid file it is.
    public static func format(ofFileAt path: String) throws -> String? {
        let file = try HDF5File(opening: path, mode: .readOnly)
        return file.hasAttribute("format") ? try file.stringAttribute("format") : nil
    }

    /// Reads and checks the header: the format must be `expectedFormat`, version 1.
    public static func read(from file: HDF5File, expectedFormat: String) throws -> FileHeader {
        func require(_ name: String) throws {
            guard file.hasAttribute(name) else {
                throw EventFileError(
                    file: file.filePath, path: "/@\(name)",
                    message: "missing root attribute; a \(expectedFormat) file needs it")
            }
        }
        try require("format")
        let format = try file.stringAttribute("format")
        guard format == expectedFormat else {
            throw EventFileError(
                file: file.filePath, path: "/@format", message: "is '\(format)', expected '\(expectedFormat)'")
        }
        try require("format_version")
        let version = try file.attribute("format_version", as: Int.self)
        guard version == currentVersion else {
            throw EventFileError(
                file: file.filePath, path: "/@format_version",
                message: "is \(version), this vbfgrid reads version \(currentVersion)")
        }
        for name in ["generator", "seed", "channel", "n_generated", "cross_section_fb"] { try require(name) }
        return FileHeader(
            format: format, formatVersion: version, generator: try file.stringAttribute("generator"),
            seed: try file.attribute("seed", as: Int.self), channel: try file.stringAttribute("channel"),
            nGenerated: try file.attribute("n_generated", as: Int.self),
            crossSectionFb: try file.attribute("cross_section_fb", as: Double.self),
            firstEvent: file.hasAttribute("first_event") ? try file.attribute("first_event", as: Int.self) : 0)
    }
}

/// A malformed events or particles file: which file, which object, what was expected.
public struct EventFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var path: String
    public var message: String
    public init(file: String, path: String, message: String) {
        self.file = file
        self.path = path
        self.message = message
    }
    public var description: String { "\(file): \(path): \(message)" }
}
