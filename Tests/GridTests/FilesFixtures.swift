import Events
import FastSim
import Foundation
import Generation
import TestSupport

/// Input files of `generator: files` grids, written in-process with fastsim (events and particles
/// files as `vbfgrid generate` writes them) and, for the end-to-end runs, a Delphes ROOT file
/// written with uproot (`DelphesFiles`).
enum FilesFixtures {
    /// Writes events `first ..< first + count` of fastsim's (seed, channel) sample at `path`: an
    /// events file, or with `particles` the particle-level file of the same events.
    static func write(
        _ channel: Channel, count: Int, first: Int = 0, seed: Int, particles: Bool = false, to path: String
    )
        throws
    {
        let pipeline = FastSimPipeline(channel: channel, seed: UInt64(seed))
        let header = FileHeader(
            format: particles ? FileHeader.particlesFormat : FileHeader.eventsFormat, generator: "vbfgrid fastsim",
            seed: seed, channel: channel.name, nGenerated: 0, crossSectionFb: pipeline.simulation.crossSectionFb,
            firstEvent: first)
        try FileManager.default.createDirectory(
            atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
        var attempts = 0
        if particles {
            let writer = try ParticleFileWriter(path: path, header: header)
            for i in first..<(first + count) {
                let result = pipeline.event(i)
                attempts += result.attempts
                try writer.append(result.particles)
            }
            try writer.finish(nGenerated: attempts)
        } else {
            let writer = try EventFileWriter(path: path, header: header)
            for i in first..<(first + count) {
                let result = pipeline.event(i)
                attempts += result.attempts
                try writer.append(result.event)
            }
            try writer.finish(nGenerated: attempts)
        }
    }

    /// The `samples.files` of `spec(folder:)`: every way of naming inputs, relative to the spec's folder.
    static let files = """
        {S_EW: S_EW, S_QCD: S_QCD.particles.h5, Z_QCD: "qcd/Z_QCD-*.h5", W_QCD: W_QCD, Z_EW: "ew/Z_EW-*.h5",
            W_EW: W_EW.root, minbias: minbias.h5}
        """

    /// Writes the inputs into `folder`: S_EW a folder of one events file, S_QCD a particles file
    /// (detector task), Z_QCD and Z_EW globs, W_QCD a folder of two events files (two tasks), W_EW
    /// a Delphes ROOT file (import task; with `realDelphes` false only its magic, enough for
    /// planning; W_EW takes the fewest events, and the random towers of the Delphes-like file
    /// rarely pass the selection once the overlay reclusters them), min-bias an events file. Sizes: at least 20% more selected events per channel than
    /// the 100 + 500 data-set events take (500 validation events: the limits stage's binning wants
    /// edge bins with both classes below 15% relative error).
    static func writeInputs(in folder: URL, realDelphes: Bool) throws {
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try write(.sEW, count: 400, seed: 1, to: path("S_EW/S_EW-a.h5"))
        try write(.sQCD, count: 500, seed: 2, particles: true, to: path("S_QCD.particles.h5"))
        try write(.wQCD, count: 500, seed: 4, to: path("W_QCD/W_QCD-a.h5"))
        try write(.wQCD, count: 500, first: 500, seed: 4, to: path("W_QCD/W_QCD-b.h5"))
        try write(.zEW, count: 100, seed: 5, to: path("ew/Z_EW-a.h5"))
        try write(.zQCD, count: 700, seed: 3, to: path("qcd/Z_QCD-a.h5"))
        try write(.minBias, count: 200, seed: 7, to: path("minbias.h5"))
        let root = folder.appendingPathComponent("W_EW.root")
        if realDelphes {
            _ = try DelphesFiles.write(root, events: 200, seed: 6, selectable: true)
        } else {
            try Data("root\0\0\0\0 (magic only)".utf8).write(to: root)
        }
    }

    /// A small files grid over `writeInputs`: ⟨N⟩ = 0 and 20, K-ANN (50 epochs of 100 events), the
    /// mjj cut-based row, one luminosity.
    static func spec(name: String) -> String {
        """
        name: \(name)
        seed: 5
        samples:
          generator: files
          files: \(files)
          train: 100
          validation: 500
        pileup: {means: [0, 20]}
        networks: [K-ANN]
        epochs: {relu_ann: 50}
        limits:
          luminosities: [36]
          cut_based:
            - {observable: mjj, met_cut: 250}
        resources:
          default: {memory: 1G, time: "00:10:00"}
        """
    }

    /// A fresh folder with the inputs (planning only: the ROOT file is its magic) and the spec
    /// file beside them; returns (folder, spec path).
    static func planningFolder(label: String, name: String = "files") throws -> (URL, String) {
        let (folder, spec) = try Fixtures.write(spec(name: name), label: label)
        try writeInputs(in: folder, realDelphes: false)
        return (folder, spec)
    }
}
