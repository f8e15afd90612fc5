import Foundation
import Outputs
import TestSupport
import Testing

@testable import Grid

@Suite("Slurm text and scripts")
struct SlurmTextTests {
    @Test("squeue lines: array elements, plain jobs, pending reasons")
    func squeue() {
        let text = """
            17_0|18|17|0|COMPLETED|None
            17_1|19|17|1|RUNNING|None
            20_[0-2]|20|20|N/A|PENDING|Dependency
            21_3|25|21|3|PENDING|DependencyNeverSatisfied
            22|22|22|N/A|CANCELLED|None
            garbage line
            """
        let entries = SlurmQueue.parseSqueue(text)
        #expect(entries.count == 5)
        #expect(
            entries[1]
                == SlurmQueue.Entry(
                    display: "17_1", jobId: "19", arrayJobId: "17", arrayTaskId: 1, state: "RUNNING",
                    reason: "None", exitCode: nil))
        #expect(entries[2].arrayTaskId == nil && entries[4].arrayTaskId == nil)
        #expect(GridStatus.state(slurm: entries[0], requeues: 0) == .failed) // COMPLETED but no done marker
        #expect(GridStatus.state(slurm: entries[1], requeues: 0) == .running)
        #expect(GridStatus.state(slurm: entries[2], requeues: 0) == .pending)
        #expect(GridStatus.state(slurm: entries[2], requeues: 1) == .requeued)
        #expect(GridStatus.state(slurm: entries[3], requeues: 0) == .blocked)
        #expect(GridStatus.state(slurm: entries[4], requeues: 0) == .failed)
    }

    @Test("sacct lines, and accounting that is disabled")
    func sacct() {
        let entries = SlurmQueue.parseSacct("30_2|COMPLETED|0:0\n31|CANCELLED by 0|0:15\n32_0|TIMEOUT|0:0\n")!
        #expect(entries.map(\.arrayJobId) == ["30", "31", "32"])
        #expect(entries.map(\.arrayTaskId) == [2, nil, 0])
        #expect(entries.map(\.state) == ["COMPLETED", "CANCELLED", "TIMEOUT"])
        #expect(entries[1].exitCode == "0:15")
        #expect(SlurmQueue.parseSacct("sacct: error: Slurm accounting storage is disabled\n") == nil)
    }

    func backend(_ spec: GridSpec, run: String = "/scratch/runs/tiny") -> SlurmBackend {
        let directory = RunDirectory(path: run)
        let templates = TestPaths.repositoryRoot.appendingPathComponent("slurm/templates").path
        return SlurmBackend(
            run: directory, graph: TaskGraph(spec: spec),
            scripts: SlurmScripts(
                templates: templates, spec: spec, run: directory, executable: "/opt/vbfgrid/bin/vbfgrid"))
    }

    @Test("scripts: one array per stage and shape, #SBATCH lines from resources and the slurm section")
    func scripts() throws {
        let spec = try Fixtures.spec(Fixtures.physics + "\nfidelity: {reference: \(FidelitySpecTests.reference)}")
        let slurm = backend(spec)
        let planned = try slurm.plan(tasks: slurm.graph.tasks, queued: [:], prefix: "")
        #expect(planned.map(\.job.stage) == TaskGraph.stages) // one array per stage here, in pipeline order
        #expect(planned.reduce(0) { $0 + $1.job.taskIds.count } == slurm.graph.tasks.count)
        let train = planned.first { $0.job.stage == "train" }!
        #expect(train.job.taskIds.count == 8)
        for line in [
            "#SBATCH --array=0-7%50", "#SBATCH --ntasks=2", "#SBATCH --cpus-per-task=1", "#SBATCH --mem=1G",
            "#SBATCH --time=00:10:00", "#SBATCH --open-mode=append", "#SBATCH --requeue",
            "#SBATCH --signal=B:USR1@300", "#SBATCH --account=phys", "#SBATCH --qos=short",
            "#SBATCH --constraint=avx2",
            "srun --mpi=pmix -n 2 \"$VBFGRID\" task run \"$RUN\" \"$TASK\" >> \"$LOG\" 2>&1 &",
            "VBFGRID=/opt/vbfgrid/bin/vbfgrid", "RUN=/scratch/runs/tiny", "scontrol requeue \"$SLURM_JOB_ID\"",
        ] {
            #expect(train.script.contains(line + "\n"), "\(line)")
        }
        #expect(!train.script.contains("{{"))
        let generate = planned.first { $0.job.stage == "generate" }!
        #expect(
            generate.after.isEmpty && !generate.script.contains("#SBATCH --signal")
                && generate.script.contains("#SBATCH --ntasks=1\n"))
        // Dependencies: train waits for the preprocess array, limits for evaluate and preprocess.
        #expect(train.after == [planned.first { $0.job.stage == "preprocess" }!.job.name])
        let args = slurm.sbatchArguments(train, resolved: [train.after[0]: "123"])
        #expect(args == ["--parsable", "--dependency=afterok:123", train.job.scriptPath])
        let fidelity = planned.first { $0.job.stage == "fidelity" }!
        #expect(fidelity.after == [generate.job.name] && fidelity.job.taskIds.count == 1)
        let limits = planned.first { $0.job.stage == "limits" }!
        #expect(
            Set(limits.after)
                == Set(planned.filter { ["evaluate", "preprocess"].contains($0.job.stage) }.map(\.job.name)))
    }

    @Test("mpirun launcher and queued inputs from an earlier submission")
    func mpirunAndQueued() throws {
        let spec = try Fixtures.variant("qos: short", "qos: short\n  launcher: mpirun")
        let slurm = backend(spec)
        let trains = slurm.graph.tasks.filter { $0.stage == "train" }
        let queued = Dictionary(uniqueKeysWithValues: trains.enumerated().map { ($1.id, "77_\($0)") })
        let evaluates = slurm.graph.tasks.filter { $0.stage == "evaluate" }
        let planned = try slurm.plan(tasks: evaluates, queued: queued, prefix: "s1-")
        #expect(planned.count == 1)
        #expect(planned[0].after == trains.indices.map { "77_\($0)" })
        #expect(planned[0].job.name.hasPrefix("tiny-evaluate-s1-"))
        let trainPlan = try slurm.plan(tasks: trains, queued: [:], prefix: "")
        #expect(trainPlan[0].script.contains("mpirun -n 2 --bind-to none \"$VBFGRID\" task run"))
    }

    @Test("the run lock refuses a second holder and takes over a stale one")
    func lock() throws {
        let folder = TestPaths.temporaryDirectory("grid-lock")
        let run = RunDirectory(path: folder.path)
        let first = try RunLock.take(run: run, purpose: "grid slurm")
        #expect(throws: OutputFolderError.self) { try RunLock.take(run: run, purpose: "grid local") }
        do { _ = try RunLock.take(run: run, purpose: "grid local") } catch {
            #expect("\(error)".contains("busy — grid slurm by process \(getpid())"))
        }
        first.release()
        // A lock left by a process that is gone is stale.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        try "\(finished.processIdentifier) \(ProcessInfo.processInfo.hostName) 0 grid local\n".write(
            toFile: run.lockPath, atomically: true, encoding: .utf8)
        let taken = try RunLock.take(run: run, purpose: "grid resume")
        #expect(RunLock.holder(of: run)?.pid == getpid())
        taken.release()
        #expect(!FileManager.default.fileExists(atPath: run.lockPath))
    }
}
