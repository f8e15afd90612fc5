import Foundation
import TestSupport
import Testing

/// `vbfgrid doctor` end to end, alone and under mpirun.
struct DoctorTests {
    @Test func doctorUnderMpirunReportsTwoRanks() throws {
        let run = try Launcher.mpirun(ranks: 2, ["doctor", "--json"], timeout: 120)
        #expect(run.status == 0, "\(run.combined)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(report["ok"] as? Bool == true)
        let checks = try #require(report["checks"] as? [[String: Any]])
        func value(_ item: String) -> String? { checks.first { $0["item"] as? String == item }?["value"] as? String }
        #expect(value("ranks")?.hasPrefix("2,") == true, "ranks: \(value("ranks") ?? "missing")")
        #expect(value("all-reduce sum over 2 ranks") == "3.0 = 3.0")
        #expect(value("collective write + read")?.contains("2 writers") == true)
        #expect(checks.contains { $0["item"] as? String == "rank 1 host" })
        let gflops = value("sgemm 512³, 1 thread").flatMap { Double($0.split(separator: " ")[0]) } ?? 0
        #expect(gflops > 1, "sgemm throughput measured: \(gflops)")
    }

    @Test func doctorAloneprintsTheTable() throws {
        let run = try Launcher.vbfgrid(["doctor"], timeout: 120)
        #expect(run.status == 0, "\(run.combined)")
        for area in ["MPI", "HDF5", "BLAS", "Slurm"] { #expect(run.stdout.contains(area)) }
        #expect(run.stdout.contains("all required parts work"))
    }
}
