import ArgumentParser
import Foundation
import MPI

/// `vbfgrid doctor`: checks MPI, HDF5, BLAS and Slurm on the machine a user is about to submit to.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check MPI, parallel HDF5, OpenBLAS and Slurm on this machine.",
        discussion: """
            Prints a table of what vbfgrid needs and whether it works here. Run it alone, or under
            `mpirun -n 2 vbfgrid doctor` / `srun -n 2 vbfgrid doctor` to also check that an all-reduce
            across the ranks gives the right sum and that the ranks can write one HDF5 file
            collectively (MPI-IO, chunked + deflate). Exits non-zero when a required part fails.
            """
    )

    @Flag(help: "Print the checks as JSON instead of a table.")
    var json = false

    @Option(
        help: ArgumentHelp(
            "Folder for the HDF5 round-trip file (default: /tmp on one host, the current folder across hosts).",
            valueName: "dir"))
    var scratch: String?

    func run() throws {
        let world = MPIRuntime.initialize()
        defer { MPIRuntime.finalize() }
        let checks = DoctorChecks(world: world, scratch: scratch).run()
        let failed = checks.contains { $0.status == .failed && $0.required }
        if world.rank == 0 {
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let report = DoctorReport(ok: !failed, checks: checks)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                print(DoctorReport.table(checks))
                print(
                    failed
                        ? "\nvbfgrid doctor: a required part FAILED (see above)."
                        : "\nvbfgrid doctor: all required parts work.")
            }
        }
        if failed { throw ExitCode(1) }
    }
}

/// One line of the doctor's table.
struct DoctorCheck: Codable {
    enum Status: String, Codable { case ok, warning, failed, info }
    var area: String
    var item: String
    var value: String
    var status: Status
    /// A failed required check makes the doctor exit non-zero.
    var required: Bool
}

/// The doctor's JSON output.
struct DoctorReport: Codable {
    var ok: Bool
    var checks: [DoctorCheck]

    static func table(_ checks: [DoctorCheck]) -> String {
        let header = ["area", "check", "result", "status"]
        let rows = checks.map { [$0.area, $0.item, $0.value, $0.status.rawValue] }
        let widths = (0..<4).map { c in ([header] + rows).map { $0[c].count }.max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n")
    }
}
