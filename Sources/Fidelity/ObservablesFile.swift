import Events
import Foundation
import HDF5

/// A `vbfgrid.observables` file: the observables of selected events per channel, without the
/// particles or towers, small enough to commit as a reference (docs/physics.md, "fastsim fidelity").
///
/// Root attributes `format` = "vbfgrid.observables", `format_version` = 1, `generator` (who made
/// the events), `names` (the observable names, `Observables.names`). One group per channel
/// (`/S_EW`, …) with `observables` (float32, n × names.count, deflate), NaN where an observable
/// is undefined, and the attribute `n_offered` (events offered to the selection). Values are
/// stored with `significantBits` bits of mantissa (relative precision 2⁻¹²), which lets deflate
/// shrink the file by half and changes no median or KS distance beyond that precision.
public enum ObservablesFile {
    public static let format = "vbfgrid.observables"
    public static let version = 1
    /// Mantissa bits kept (of float32's 23).
    public static let significantBits = 11

    /// Writes the samples atomically.
    public static func write(_ samples: [FidelitySample], generator: String, to path: String) throws {
        try HDF5File.writeAtomically(to: path) { file in
            try file.setAttribute("format", format)
            try file.setAttribute("format_version", version)
            try file.setAttribute("generator", generator)
            try file.setAttribute("names", Observables.names)
            for sample in samples {
                let group = try file.createGroup(sample.channel.name)
                let values = sample.observables.flatMap { $0.map(rounded) }
                let rows = max(sample.count, 1)
                let dataset = try group.createDataset(
                    "observables", of: Float.self, shape: [sample.count, Observables.count],
                    chunk: [min(rows, 4096), Observables.count], deflate: 9)
                if !values.isEmpty { try dataset.write(values) }
                try group.setAttribute("n_offered", sample.offered)
            }
        }
    }

    /// Reads every channel's sample and the generator attribute; a malformed file is an error
    /// naming the file and the field.
    public static func read(_ path: String) throws -> (generator: String, samples: [FidelitySample]) {
        let file = try HDF5File(opening: path)
        func fail(_ field: String, _ message: String) -> FidelityError {
            FidelityError.invalidInput("\(path): \(field): \(message)")
        }
        guard file.hasAttribute("format"), try file.stringAttribute("format") == format else {
            throw fail("/@format", "not a \(format) file")
        }
        guard file.hasAttribute("format_version"), try file.attribute("format_version", as: Int.self) == version else {
            throw fail("/@format_version", "expected \(version)")
        }
        guard file.hasAttribute("names") else { throw fail("/@names", "missing") }
        let names = try file.stringArrayAttribute("names")
        guard names == Observables.names else {
            throw fail("/@names", "the observables \(names) are not this version's \(Observables.names)")
        }
        let generator = file.hasAttribute("generator") ? try file.stringAttribute("generator") : "unknown"
        var samples: [FidelitySample] = []
        for name in try file.childNames().sorted() {
            guard let channel = Channel(name: name) else { throw fail("/\(name)", "not a channel name") }
            let group = try file.group(name)
            guard group.contains("observables") else { throw fail("/\(name)/observables", "missing") }
            let dataset = try group.dataset("observables")
            guard dataset.shape.count == 2, dataset.shape[1] == Observables.count else {
                throw fail("/\(name)/observables", "shape \(dataset.shape), expected [n, \(Observables.count)]")
            }
            let flat = dataset.count > 0 ? try dataset.read(as: Float.self) : []
            let rows = stride(from: 0, to: flat.count, by: Observables.count).map {
                Array(flat[$0..<$0 + Observables.count])
            }
            guard group.hasAttribute("n_offered") else { throw fail("/\(name)/@n_offered", "missing") }
            let offered = try group.attribute("n_offered", as: Int.self)
            samples.append(FidelitySample(channel: channel, observables: rows, offered: offered))
        }
        try file.close()
        return (generator, samples.sorted { $0.channel.rawValue < $1.channel.rawValue })
    }

    /// `value` rounded to `significantBits` bits of mantissa (to nearest; NaN and ±∞ unchanged).
    static func rounded(_ value: Float) -> Float {
        guard value.isFinite else { return value }
        let drop = UInt32(23 - significantBits)
        let bits = value.bitPattern
        let half: UInt32 = 1 << (drop - 1)
        return Float(bitPattern: (bits &+ half) & ~((1 << drop) - 1))
    }
}

/// A harness failure: bad input (named file and field) or samples too small to compare.
public enum FidelityError: Error, CustomStringConvertible, Sendable {
    case invalidInput(String)

    public var description: String {
        switch self {
        case .invalidInput(let message): message
        }
    }
}
