import Events
import Foundation
import HDF5
import Preprocessing

/// Reads the samples of the harness from disk: folders of `vbfgrid.events` files (searched
/// recursively; any generator: fastsim, Pythia through the detector, Delphes imports), such
/// files, or one `vbfgrid.observables` file.
public enum SampleLoader {
    /// The selected events per channel (only `channels`) of `paths` in their order, at most
    /// `maxSelected` per channel, and the distinct `generator` attributes of the files joined by "; ".
    public static func load(
        _ paths: [String], channels: [Channel], keepImages: Bool,
        maxSelected: Int? = nil
    ) throws -> (generator: String, samples: [Channel: FidelitySample]) {
        if paths.count == 1, let path = paths.first, try format(of: path) == ObservablesFile.format {
            let (generator, samples) = try ObservablesFile.read(path)
            var byChannel: [Channel: FidelitySample] = [:]
            for sample in samples where channels.contains(sample.channel) {
                byChannel[sample.channel] = maxSelected.map { sample.prefix($0) } ?? sample
            }
            return (generator, byChannel)
        }
        var samples = Dictionary(
            uniqueKeysWithValues: channels.map { ($0, FidelitySample(channel: $0, keepImages: keepImages)) })
        var generators: [String] = []
        var imager = EventImager()
        for file in try paths.flatMap(eventFiles) {
            let reader = try EventFileReader(path: file)
            if let channel = Channel(name: reader.header.channel), !channels.contains(channel) { continue }
            if !generators.contains(reader.header.generator) { generators.append(reader.header.generator) }
            try reader.forEachChunk(size: 1024, withTowers: true) { events in
                for event in events {
                    guard samples[event.channel] != nil else { continue }
                    if let maxSelected, samples[event.channel]!.count >= maxSelected { continue }
                    samples[event.channel]!.add(event, imager: &imager)
                }
            }
        }
        return (generators.joined(separator: "; "), samples.filter { $0.value.offered > 0 })
    }

    /// The samples of one file or folder (`load(_:channels:keepImages:maxSelected:)` of `[path]`).
    public static func load(
        _ path: String, channels: [Channel], keepImages: Bool, maxSelected: Int? = nil
    ) throws -> (generator: String, samples: [Channel: FidelitySample]) {
        try load([path], channels: channels, keepImages: keepImages, maxSelected: maxSelected)
    }

    /// The root `format` attribute of an HDF5 file, or nil for a folder.
    public static func format(of path: String) throws -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FidelityError.invalidInput("\(path): no such file or folder")
        }
        if isDirectory.boolValue { return nil }
        let file = try HDF5File(opening: path)
        defer { try? file.close() }
        guard file.hasAttribute("format") else {
            throw FidelityError.invalidInput(
                "\(path): /@format: missing; expected a vbfgrid.events or \(ObservablesFile.format) file")
        }
        return try file.stringAttribute("format")
    }

    /// `path` itself, or every `.h5` file below the folder `path` except particle files, sorted.
    static func eventFiles(_ path: String) throws -> [String] {
        if let format = try format(of: path) {
            guard format != ObservablesFile.format else {
                throw FidelityError.invalidInput("\(path): a \(format) file is a sample of its own; give it alone")
            }
            return [path]
        }
        let folder = URL(fileURLWithPath: path).resolvingSymlinksInPath()
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else {
            throw FidelityError.invalidInput("\(path): cannot list the folder")
        }
        let files = walker.compactMap { $0 as? String }
            .filter {
                $0.hasSuffix(".h5") && !$0.hasSuffix(".particles.h5")
                    && !URL(fileURLWithPath: $0).lastPathComponent.hasPrefix(".")
            }
            .sorted()
            .map { folder.appendingPathComponent($0).path }
        guard !files.isEmpty else { throw FidelityError.invalidInput("\(path): no events files (*.h5) in the folder") }
        return files
    }
}
