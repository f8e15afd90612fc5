// swift-tools-version:6.0
//
// vbfgrid: deep-learning search for invisible Higgs decays in VBF, as a grid of MPI jobs.
//
// The targets are listed in data-flow order, each library beside its test target
// (docs/architecture.md draws the same map):
//   C libraries → MPI / HDF5 / BLAS layers → events → pileup → data sets → networks → training
//   → evaluation → statistics and limits → grid → report → the command-line tool.
import PackageDescription

/// Hot numerical modules are compiled with optimisation in debug builds too, so that the test
/// suite (a debug build) trains real networks and simulates real events in seconds.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"])]
let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

let package = Package(
    name: "vbfgrid",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vbfgrid", targets: ["vbfgrid"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // MARK: C libraries, through static-inline shims for the macros Swift cannot import.
        // Open MPI.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        // Parallel HDF5 (the Open MPI build).
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-openmpi", providers: [.apt(["libhdf5-openmpi-dev"])]),
        // OpenBLAS (CBLAS interface).
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // oneDNN, the CNN convolutions (Debian ships no pkg-config file: the module map links dnnl and gomp).
        .systemLibrary(name: "CDNNL", path: "Sources/CDNNL", providers: [.apt(["libdnnl-dev"])]),
        // SHA-256 rounds with the x86 SHA extensions.
        .target(name: "CSHA256"),
        // Winograd F(2×2, 4×4) tile transforms, vectorised for AVX-512 / AVX2 / SSE (chosen at load time).
        .target(name: "CWinograd", cSettings: [.unsafeFlags(["-O2"])]),

        // MARK: Foundation layers.
        // MPI: runtime, communicators, collectives.
        .target(name: "MPI", dependencies: ["CMPI"]),
        .testTarget(name: "MPITests", dependencies: ["MPI", "TestSupport"]),
        // HDF5: serial and MPI-IO files, datasets, attributes, atomic writes.
        .target(name: "HDF5", dependencies: ["CHDF5", "CMPI", "MPI"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "TestSupport"], exclude: ["h5py_interop.py"]),
        // BLAS: checked sgemm/sgemv over OpenBLAS.
        .target(name: "BLAS", dependencies: ["COpenBLAS"]),
        .testTarget(name: "BLASTests", dependencies: ["BLAS", "TestSupport"]),
        // Random: SplitMix64, the generator behind every seeded stream.
        .target(name: "Random", swiftSettings: optimized),
        .testTarget(name: "RandomTests", dependencies: ["Random"]),
        // Checksum: SHA-256 of inputs and stable task ids.
        .target(name: "Checksum", dependencies: ["CSHA256"], swiftSettings: optimized),
        .testTarget(name: "ChecksumTests", dependencies: ["Checksum", "TestSupport"]),
        // Outputs: what every stage needs of its output folder: one writer (FolderLock), what made it
        // (producer.json, input identities), clear storage errors.
        .target(name: "Outputs", dependencies: ["Checksum"]),
        .testTarget(name: "OutputsTests", dependencies: ["Outputs", "TestSupport"]),
        // Workers: master/worker processing of a stage's work units over any Collective (MPI or in-process ranks).
        .target(name: "Workers", dependencies: ["MPI"]),
        .testTarget(name: "WorkersTests", dependencies: ["Workers", "MPI", "TestSupport"]),
        // Stages: what every stage shares — the Stage protocol, typed options written back as
        // arguments, the MPI job wrapper.
        .target(name: "Stages", dependencies: ["MPI", "Outputs", argumentParser]),
        .testTarget(name: "StagesTests", dependencies: ["Stages", argumentParser]),

        // MARK: Physics vocabulary: the channels, the paper's class mixture, the feature names.
        // Physics: `Channel`, `ClassMixture`, `FeatureNames` — one definition each.
        .target(name: "Physics"),
        .testTarget(name: "PhysicsTests", dependencies: ["Physics"]),

        // MARK: Events: the event model and files, fastsim, the detector, the selection.
        // Events: particles and reconstructed events, vbfgrid.events/.particles files, random streams.
        .target(name: "Events", dependencies: ["Physics", "HDF5", "Random"], swiftSettings: optimized),
        .testTarget(name: "EventsTests", dependencies: ["Events", "HDF5", "TestSupport"]),
        // FastSim: the built-in generator of the six channels and min-bias, with its preselection.
        .target(name: "FastSim", dependencies: ["Events"], swiftSettings: optimized),
        .testTarget(name: "FastSimTests", dependencies: ["FastSim", "Detector", "Selection", "Events", "TestSupport"]),
        // Detector: calorimeter towers, e/μ/γ, anti-kt jets, calorimeter MET.
        .target(name: "Detector", dependencies: ["Events"], swiftSettings: optimized),
        .testTarget(
            name: "DetectorTests", dependencies: ["Detector", "FastSim", "Events", "TestSupport"],
            exclude: ["fastjet_cluster.py"]),
        // Selection: the baseline cuts and cutflow, the K/R features, sample summaries (inspect).
        .target(name: "Selection", dependencies: ["Events", "Metrics"], swiftSettings: optimized),
        .testTarget(
            name: "SelectionTests", dependencies: ["Selection", "Events", "TestSupport"], exclude: ["k_features.py"]),
        // The Pythia 8 adapter and the Delphes importer (tools/pythia), driven through the CLI.
        .testTarget(name: "PythiaTests", dependencies: ["Events", "Selection", "TestSupport"]),

        // MARK: Pileup: min-bias library, Poisson overlay, the overlay stage.
        // Pileup: the min-bias library, the Poisson overlay and the overlay stage.
        .target(
            name: "Pileup",
            dependencies: ["Events", "Detector", "Workers", "MPI", "Checksum", "Stages", argumentParser],
            swiftSettings: optimized),
        .testTarget(name: "PileupTests", dependencies: ["Pileup", "Events", "TestSupport"]),

        // MARK: Generation: the generate, detector and import-delphes stages.
        // Generation: fastsim and Pythia pipelines, the Python tool runner, shard planning.
        .target(
            name: "Generation",
            dependencies: ["Stages", "Outputs", "Events", "FastSim", "Detector", "Pileup", argumentParser]),
        // generate and detector through the built binary: seeds, shards, files, the particles path.
        .testTarget(name: "GenerationTests", dependencies: ["Generation", "Events", "TestSupport"]),

        // MARK: Data sets: image geometry, shards, manifest; the preprocess stage that writes them.
        // Datasets: image geometry, shards and their image encoder, the manifest.
        .target(name: "Datasets", dependencies: ["HDF5", "Checksum"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"]),
        // Preprocessing: the preprocess stage (selection, class mixing, features, images).
        .target(
            name: "Preprocessing",
            dependencies: [
                "Events", "Selection", "Datasets", "Workers", "MPI", "HDF5",
                "Checksum", "Stages", argumentParser,
            ],
            swiftSettings: optimized),
        .testTarget(name: "PreprocessingTests", dependencies: ["Preprocessing", "Events", "Datasets", "TestSupport"]),

        // MARK: Networks: layers, models, Nadam, Keras weight files; the data-parallel trainer.
        // NeuralNet: layers (forward and backward), the paper's networks, Nadam, Keras weight files.
        .target(
            name: "NeuralNet", dependencies: ["BLAS", "CDNNL", "CWinograd", "HDF5", "Random"], swiftSettings: optimized),
        .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Random", "TestSupport"]),
        // Training: the data-parallel trainer, batches from shards, checkpoints, resume, preemption.
        .target(
            name: "Training",
            dependencies: ["NeuralNet", "Datasets", "HDF5", "MPI", "Random", "Stages", "Outputs", argumentParser]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "NeuralNet", "MPI", "Random", "TestSupport"]),

        // MARK: Metrics (ROC/AUC, binning, separation, correlations); the evaluate stage (Evaluation).
        // Metrics: ROC/AUC, output binning, separation, correlations, histograms.
        .target(name: "Metrics"),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics", "TestSupport"]),
        // Evaluation: the evaluate stage (outputs.h5 written collectively, metrics.json, JES scores).
        .target(
            name: "Evaluation",
            dependencies: [
                "Physics", "NeuralNet", "Training", "Datasets", "Metrics", "HDF5", "MPI",
                "Stages", argumentParser,
            ]),
        .testTarget(
            name: "EvaluationTests",
            dependencies: [
                "Evaluation", "Metrics", "Training", "NeuralNet", "Datasets", "HDF5",
                "Random", "TestSupport",
            ]),

        // MARK: Statistics (HistFactory likelihood, CLs limits, pyhf workspaces); the limits stage.
        // Statistics: HistFactory models, the q̃_μ asymptotics, CLs limits, pyhf workspaces.
        .target(name: "Statistics"),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Random", "TestSupport"]),
        // Limits: the limits stage (network and cut-based shapes, physics table, limits.json).
        .target(
            name: "Limits",
            dependencies: [
                "Physics", "Evaluation", "Statistics", "Metrics", "Datasets", "Stages", "Outputs",
                argumentParser,
            ]),
        .testTarget(
            name: "LimitsTests",
            dependencies: ["Limits", "Evaluation", "Statistics", "Metrics", "Random", "TestSupport"]),

        // MARK: Fidelity: fastsim against a reference generator.
        // Fidelity: per channel, through the baseline selection: observables, classifier two-sample
        // tests (MLP, CNN), medians and KS distances, fidelity.json and a page.
        .target(
            name: "Fidelity",
            dependencies: [
                "Events", "Selection", "Metrics", "NeuralNet", "Random", "HDF5", "Datasets",
                "Preprocessing", "Plotting", "Stages", "Outputs", "Generation", "FastSim", argumentParser,
            ],
            swiftSettings: optimized),
        .testTarget(
            name: "FidelityTests",
            dependencies: [
                "Fidelity", "Generation", "Events", "Selection", "Metrics",
                "TestSupport",
            ]),

        // MARK: Grid: YAML spec → task graph → local, Slurm or pilot execution.
        // Grid: specs, the task graph, the local, Slurm and pilot backends, run folders, status.
        .target(
            name: "Grid",
            dependencies: [
                "Physics", "Outputs", "Checksum", "MPI", "Stages", "Events", "Datasets", "NeuralNet",
                "Generation", "Pileup", "Preprocessing", "Training", "Evaluation", "Limits", "Fidelity",
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "GridTests",
            dependencies: [
                "Grid", "Outputs", "Training", "NeuralNet", "Stages", "Generation", "Pileup",
                "Preprocessing", "Evaluation", "Limits", "Fidelity", "TestSupport",
            ]),

        // MARK: Report: SVG plotting; the Table 1 analogue, figures and index.html of a grid run.
        // Plotting: SVG charts (lines, bands, histograms, heat maps) with CSV/JSON beside them.
        .target(name: "Plotting"),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "TestSupport"]),
        // Report: the run loader, the Table 1 analogue, the figures, index.html and summary.md.
        .target(
            name: "Report",
            dependencies: [
                "Plotting", "Datasets", "HDF5", "Metrics", "Grid", "Evaluation", "Limits",
                "Statistics", "Training", "Fidelity",
            ]),
        .testTarget(
            name: "ReportTests",
            dependencies: [
                "Report", "Plotting", "Datasets", "HDF5", "Grid", "Physics", "Metrics", "Evaluation", "Limits",
                "Statistics", "Training", "Random", "Fidelity", "TestSupport",
            ]),

        // MARK: The command-line tool: one subcommand per stage; it parses arguments and calls the stages.
        // vbfgrid: the command-line tool, one file per subcommand in Sources/vbfgrid/Commands.
        .executableTarget(
            name: "vbfgrid",
            dependencies: [
                "MPI", "HDF5", "BLAS", "Workers", "Events", "FastSim", "Detector", "Selection", "Pileup", "Datasets",
                "Preprocessing", "NeuralNet", "Training", "Metrics", "Evaluation", "Statistics", "Limits", "Outputs",
                "Grid", "Report",
                "Stages", "Generation", "Fidelity", argumentParser,
            ]),
        // The built binary's commands end to end. TestSupport locates the binary, mpirun and the
        // reference files of Tests/Fixtures; ThreadGroup (in MPI) runs distributed code on in-process ranks.
        .testTarget(name: "CommandTests", dependencies: ["TestSupport"]),
        // Fault injection through the built binary: full disks (tmpfs), bit flips in shards, kill -9
        // at random points of each stage, refused reuse of output folders, orphaned grid tasks.
        .testTarget(name: "FaultInjectionTests", dependencies: ["Grid", "Outputs", "TestSupport"]),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
    ]
)
