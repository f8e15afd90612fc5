import Foundation
import TestSupport

@testable import Grid

/// Specs and dev grids shared by the grid tests.
enum Fixtures {
    /// A small physics spec: two ⟨N⟩ values, two networks, two seeds, one cut-based analysis.
    static let physics = """
        name: tiny
        seed: 42
        samples:
          events: 1000
          shard_size: 500
          train: 600
          validation: 200
        minbias:
          events: 300
        pileup:
          means: [0, 20]
        networks: [K-ANN, PJ-LR-CNN]
        seeds: 2
        epochs: {cnn: 2, relu_ann: 5, sigmoid_ann: 5}
        limits:
          luminosities: [36, 140]
          cut_based:
            - {observable: mjj, met_cut: 250}
        resources:
          default: {memory: 1G, time: "00:10:00"}
          train: {ranks: 2}
        slurm:
          account: phys
          qos: short
          extra: ["--constraint=avx2"]
        """

    static func spec(_ text: String = physics, file: String = "tiny.yaml") throws -> GridSpec {
        try GridSpec.parse(text, file: file)
    }

    /// Replaces the first occurrence of `old` in the physics spec.
    static func variant(_ old: String, _ new: String) throws -> GridSpec {
        precondition(physics.contains(old))
        return try spec(physics.replacingOccurrences(of: old, with: new))
    }

    /// A dev grid of real subcommands: a → (b on 2 ranks, c requeues once) → d.
    static func devGrid(name: String, slowSeconds: Double = 0, failing: Bool = false) -> String {
        """
        name: \(name)
        seed: 7
        resources:
          default: {memory: 200M, time: "00:05:00"}
        local:
          concurrency: 2
        dev_tasks:
          - name: a
            command: [selftest, workpool, --dir, "{task}", --units, "4"]
          - name: b
            command: [selftest, workpool, --dir, "{task}", --units, "6"]
            ranks: 2
            after: [a]
          - name: c
            command: [selftest, \(failing ? "abort" : "requeue"), --dir, "{task}", --seconds, "\(slowSeconds)"]
            preemptible: true
            after: [a]
          - name: d
            command: [selftest, workpool, --dir, "{task}", --units, "3"]
            after: [b, c]
        """
    }

    /// A tiny physics grid whose one training task runs under a one-minute Slurm limit with the
    /// warning asked for 20 s before it: fastsim events of the six channels (sized by fastsim's selection
    /// efficiencies for a 600 + 100 event data set, as in jobs/demo.yaml), ⟨N⟩ = 0, one
    /// PJ-LR-CNN seed of `epochs` epochs of two batches each, then evaluate, limits and report.
    static func trainingGrid(name: String, epochs: Int) -> String {
        """
        name: \(name)
        seed: 11
        samples:
          events: {S_EW: 875, S_QCD: 2500, Z_QCD: 2500, W_QCD: 9000, Z_EW: 250, W_EW: 250}
          shard_size: 5000
          train: 600
          validation: 100
        pileup: {means: [0]}
        networks: [PJ-LR-CNN]
        epochs: {cnn: \(epochs)}
        limits: {luminosities: [36]}
        resources:
          default: {memory: 1G, time: "00:05:00"}
          train: {time: "1"}
        slurm:
          signal_seconds: 20
        """
    }

    /// Writes `text` as a spec file in a fresh folder; returns (folder, spec path).
    static func write(_ text: String, label: String) throws -> (URL, String) {
        let folder = TestPaths.temporaryDirectory(label)
        let path = folder.appendingPathComponent("spec.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return (folder, path)
    }

    /// The workpool manifests and requeue markers of a run, by task name: what "results" means for dev grids.
    static func results(run: String) throws -> [String: String] {
        let graph = try RunDirectory(path: run).loadGraph()
        var results: [String: String] = [:]
        for task in graph.tasks {
            let folder = "\(run)/\(task.relativePath)"
            for file in ["manifest.json", "requeue.marker"] {
                if let text = try? String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8) {
                    results["\(task.label)/\(file)"] = text
                }
            }
        }
        return results
    }
}
