import ArgumentParser

/// The `vbfgrid` command: every stage of the invisible-Higgs VBF analysis as a subcommand,
/// and the grid runner that chains them. One subcommand per file in `Commands/`.
@main
struct VBFGrid: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vbfgrid",
        abstract: "Deep-learning search for invisible Higgs decays in VBF, as a grid of MPI jobs.",
        discussion: """
            Stages: generate → detector → overlay → preprocess → train → evaluate → limits → report.
            Each runs alone, under mpirun, or under srun; `vbfgrid grid` chains them on a laptop or a Slurm cluster.
            Start with `vbfgrid doctor` to check MPI, HDF5, BLAS and Slurm on this machine.
            """,
        subcommands: [
            DoctorCommand.self,
            GenerateCommand.self,
            DetectorCommand.self,
            ImportDelphesCommand.self,
            InspectCommand.self,
            VerifyCommand.self,
            OverlayCommand.self,
            PreprocessCommand.self,
            TrainCommand.self,
            EvaluateCommand.self,
            LimitsCommand.self,
            ReportCommand.self,
            FidelityCommand.self,
            GridCommand.self,
            TaskCommand.self,
            BenchCommand.self,
            SelfTestCommand.self,
        ]
    )
}
