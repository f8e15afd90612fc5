import BLAS
import Foundation
import HDF5
import MPI
import NeuralNet
import Stages

/// The checks behind `vbfgrid doctor`. Every rank runs them in the same order (they contain
/// collectives); rank 0 collects the lines.
struct DoctorChecks {
    let world: Communicator
    let scratch: String?

    func run() -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        checks += mpiChecks()
        checks += hdf5Checks()
        if world.rank == 0 {
            checks += blasChecks()
            checks += convolutionChecks()
            checks += slurmChecks()
        }
        return checks
    }

    // MARK: MPI

    private func mpiChecks() -> [DoctorCheck] {
        let n = world.size
        var values = [Double](repeating: Double(world.rank + 1), count: 1000)
        world.allReduce(&values, .sum)
        let expected = Double(n * (n + 1) / 2)
        let sumOK = values.allSatisfy { $0 == expected }
        let hosts =
            world.gather(Array(MPIRuntime.processorName.utf8))?
            .map { String(decoding: $0, as: UTF8.self) } ?? []
        let launcher =
            MPIRuntime.isLaunched
            ? (ProcessInfo.processInfo.environment["SLURM_JOB_ID"] != nil ? "srun/Slurm" : "mpirun")
            : "alone (singleton)"
        let version = MPIRuntime.libraryVersion.split(separator: ",").first.map(String.init) ?? "?"
        let (major, minor) = MPIRuntime.standardVersion
        return [
            DoctorCheck(
                area: "MPI", item: "library", value: "\(version) (MPI \(major).\(minor))", status: .ok, required: true),
            DoctorCheck(area: "MPI", item: "ranks", value: "\(n), started \(launcher)", status: .info, required: false),
            DoctorCheck(
                area: "MPI", item: "thread level",
                value: MPIRuntime.threadLevel == 3 ? "MPI_THREAD_MULTIPLE" : "\(MPIRuntime.threadLevel)",
                status: MPIRuntime.threadLevel == 3 ? .ok : .warning, required: false),
            DoctorCheck(
                area: "MPI", item: "all-reduce sum over \(n) rank\(n == 1 ? "" : "s")",
                value: sumOK ? "\(values[0]) = \(expected)" : "got \(values[0]), expected \(expected)",
                status: sumOK ? .ok : .failed, required: true),
        ]
            + hosts.enumerated().map { rank, host in
                DoctorCheck(area: "MPI", item: "rank \(rank) host", value: host, status: .info, required: false)
            }
    }

    // MARK: HDF5

    private func hdf5Checks() -> [DoctorCheck] {
        var checks = [
            DoctorCheck(area: "HDF5", item: "library", value: HDF5Library.version, status: .ok, required: true),
            DoctorCheck(
                area: "HDF5", item: "parallel (MPI-IO)", value: HDF5Library.isParallel ? "yes" : "no",
                status: HDF5Library.isParallel ? .ok : .failed, required: true),
            DoctorCheck(
                area: "HDF5", item: "deflate + shuffle filters",
                value: HDF5Library.hasDeflate && HDF5Library.hasShuffle ? "encode and decode" : "missing",
                status: HDF5Library.hasDeflate && HDF5Library.hasShuffle ? .ok : .failed, required: true),
        ]
        let (value, ok) = roundTrip()
        checks.append(
            DoctorCheck(
                area: "HDF5", item: world.size > 1 ? "collective write + read" : "write + read",
                value: value, status: ok ? .ok : .failed, required: true))
        return checks
    }

    /// Every rank writes its rows of one chunked, deflated dataset (collectively when there
    /// are several ranks), then every rank reads the whole dataset back and compares.
    private func roundTrip() -> (String, Bool) {
        let folder = scratchFolder()
        let path = folder + "/doctor-roundtrip.h5"
        let rows = 8, cols = 45
        func expected(_ row: Int, _ col: Int) -> Float { Float(row * 1000 + col) + 0.25 }
        var message = ""
        do {
            let parallel = world.size > 1 ? world : nil
            let file = try HDF5File(creating: path, communicator: parallel)
            try file.setAttribute("writer", "vbfgrid doctor")
            let dataset = try file.createDataset(
                "slices", of: Float.self, shape: [rows * world.size, cols],
                chunk: [4, cols], deflate: 4)
            let mine = (0..<rows).flatMap { r in (0..<cols).map { expected(world.rank * rows + r, $0) } }
            try dataset.write(mine, start: [world.rank * rows, 0], count: [rows, cols])
            try file.close()
            world.barrier()
            let reread = try HDF5File(opening: path, communicator: parallel)
            let values = try reread.read("slices", as: Float.self)
            let attribute = try reread.stringAttribute("writer")
            let correct =
                values.count == rows * world.size * cols && attribute == "vbfgrid doctor"
                && values.enumerated().allSatisfy { $1 == expected($0 / cols, $0 % cols) }
            message =
                correct
                ? "\(values.count) values identical (\(world.size) writer\(world.size == 1 ? "" : "s"), in \(folder))"
                : "values read back differ"
        } catch {
            message = "\(error)"
        }
        let ok = world.allReduce(message.hasSuffix(")") && !message.contains("differ") ? 1 : 0, .min) == 1
        world.barrier()
        if world.rank == 0 { try? FileManager.default.removeItem(atPath: folder) }
        return (message, ok)
    }

    /// A folder every rank can see: /tmp when all ranks share a host, else the current folder.
    private func scratchFolder() -> String {
        var name = [UInt8]()
        if world.rank == 0 {
            let hosts = Set(world.gather(Array(MPIRuntime.processorName.utf8)) ?? [])
            let base = scratch ?? (hosts.count <= 1 ? NSTemporaryDirectory() : FileManager.default.currentDirectoryPath)
            let folder = URL(fileURLWithPath: base).appendingPathComponent(".vbfgrid-doctor-\(getpid())").path
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            name = Array(folder.utf8)
        } else {
            _ = world.gather(Array(MPIRuntime.processorName.utf8))
        }
        return String(decoding: world.broadcast(bytes: name), as: UTF8.self)
    }

    // MARK: BLAS

    private func blasChecks() -> [DoctorCheck] {
        let threads = BLAS.threads
        BLAS.threads = 1
        defer { BLAS.threads = threads }
        var c = [Float](repeating: 0, count: 4)
        let correct =
            (try? BLAS.sgemm(
                a: [1, 2, 3, 4, 5, 6], rows: 2, cols: 3, b: [7, 8, 9, 10, 11, 12], rows: 3, cols: 2,
                into: &c)) != nil && c == [58, 64, 139, 154]
        let gflops = BLAS.measureSgemmGFLOPS(m: 512, k: 512, n: 512, minimumSeconds: 0.5)
        return [
            DoctorCheck(area: "BLAS", item: "OpenBLAS", value: BLAS.config, status: .ok, required: true),
            DoctorCheck(
                area: "BLAS", item: "core / threads", value: "\(BLAS.coreName) / \(threads)", status: .info,
                required: false),
            DoctorCheck(
                area: "BLAS", item: "sgemm 2×3·3×2", value: correct ? "correct" : "wrong result \(c)",
                status: correct ? .ok : .failed, required: true),
            DoctorCheck(
                area: "BLAS", item: "sgemm 512³, 1 thread", value: String(format: "%.1f GFLOP/s", gflops),
                status: .info, required: false),
        ]
    }

    // MARK: Convolutions

    private func convolutionChecks() -> [DoctorCheck] {
        let threads = BLAS.threads
        BLAS.threads = 1
        defer { BLAS.threads = threads }
        let backend = ConvolutionBackend.standard
        let difference = backend.differenceFromIm2col()
        let exact = difference <= 1e-5
        let source =
            ProcessInfo.processInfo.environment["VBFGRID_CONV_BACKEND"] != nil ? "VBFGRID_CONV_BACKEND" : "default"
        return [
            DoctorCheck(
                area: "Conv", item: "backend", value: "\(backend.rawValue) (\(source)): \(backend.implementation)",
                status: .ok, required: true),
            DoctorCheck(
                area: "Conv", item: "64→64 4×4 vs im2col",
                value: String(format: "max relative difference %.1e", difference),
                status: exact ? .ok : .failed, required: true),
            DoctorCheck(
                area: "Conv", item: "64→64 4×4 train pass, 1 thread, per CPU-second",
                value: String(format: "%.1f GFLOP/s", backend.measureGFLOPS()), status: .info, required: false),
        ]
    }

    // MARK: Slurm

    private func slurmChecks() -> [DoctorCheck] {
        var checks = ["sbatch", "squeue", "srun", "sacct"].map { tool -> DoctorCheck in
            let path = ExecutableSearch.find(tool)
            return DoctorCheck(
                area: "Slurm", item: tool, value: path ?? "not found (needed only for --backend slurm)",
                status: path == nil ? .warning : .ok, required: false)
        }
        if let srun = ExecutableSearch.find("srun") {
            let output = ExecutableSearch.capture(srun, ["--mpi=list"], timeout: 10) ?? ""
            let plugins = output.split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.lowercased().contains("mpi plugin") }
                .map { $0.replacingOccurrences(of: "srun: ", with: "") }
            checks.append(
                DoctorCheck(
                    area: "Slurm", item: "srun --mpi plugins",
                    value: plugins.isEmpty ? "none listed" : plugins.joined(separator: ", "),
                    status: plugins.contains { $0.contains("pmix") } ? .ok : .warning, required: false))
        }
        return checks
    }
}
