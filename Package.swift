// swift-tools-version:6.0
//
// vbfgrid: deep-learning search for invisible Higgs decays in VBF, as a grid of MPI jobs.
// The targets follow the data flow (see docs/architecture.md):
//   system libraries → MPI / HDF5 / BLAS layers → events → data sets → networks → limits → grid → report
import PackageDescription

/// Hot numerical modules are compiled with optimisation in debug builds too, so that the test
/// suite (a debug build) trains real networks and simulates real events in seconds.
let optimizedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"])]

let package = Package(
    name: "vbfgrid",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vbfgrid", targets: ["vbfgrid"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Grid runner: YAML grid specs.
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // C libraries, through static-inline shims for the macros Swift cannot import.
        .systemLibrary(name: "CMPI", pkgConfig: "ompi-c", providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-openmpi", providers: [.apt(["libhdf5-openmpi-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        // Thin Swift layers over them.
        .target(name: "MPI", dependencies: ["CMPI"]),
        .target(name: "HDF5", dependencies: ["CHDF5", "CMPI", "MPI"]),
        .target(name: "BLAS", dependencies: ["COpenBLAS"]),

        // SplitMix64, the random generator behind every seeded stream (events, weights, epoch orders).
        .target(name: "Random", swiftSettings: optimizedEvenInDebug),

        // SHA-256 for source checksums and stable task ids (CSHA256: the x86 SHA extensions).
        .target(name: "CSHA256"),
        .target(name: "Checksum", dependencies: ["CSHA256"], swiftSettings: optimizedEvenInDebug),

        // Master/worker processing of a stage's work units over MPI.
        .target(name: "Workers", dependencies: ["MPI"]),

        // Image data sets: tower images, shards, manifest (written by preprocess, read by train/evaluate).
        .target(name: "Datasets", dependencies: ["HDF5"]),

        // Grid runner: YAML spec → task graph → local, Slurm or pilot execution.
        .target(name: "Grid", dependencies: ["MPI", "Checksum", .product(name: "Yams", package: "Yams")]),

        // The command-line tool.
        .executableTarget(name: "vbfgrid", dependencies: [
            "MPI", "HDF5", "BLAS", "Workers", "Datasets", "Statistics", "Evaluation", "Grid",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests: unit tests per module, plus end-to-end tests that run the built binary
        // (under mpirun where MPI is involved). TestSupport locates the binary and ../shared.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MPITests", dependencies: ["TestSupport"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "TestSupport"], exclude: ["h5py_interop.py"]),
        .testTarget(name: "BLASTests", dependencies: ["BLAS", "TestSupport"]),
        .testTarget(name: "ChecksumTests", dependencies: ["Checksum", "TestSupport"]),
        .testTarget(name: "RandomTests", dependencies: ["Random"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"]),
        .testTarget(name: "CommandTests", dependencies: ["TestSupport"]),

        // Statistics (HistFactory likelihood, q̃_μ asymptotics, CLs limits, pyhf workspaces)
        // and evaluation (ROC/AUC, output binning, separation, correlations, histograms).
        .target(name: "Statistics"),
        .target(name: "Evaluation"),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "Random", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"]),
        // Grid runner: spec, graph, Slurm text parsing (in-process); local, Slurm and pilot runs (built binary).
        .testTarget(name: "GridTests", dependencies: ["Grid", "Training", "NeuralNet", "TestSupport"]),
    ]
)

// Neural-network engine (issue 5): layers, models, Nadam, the paper's networks.
package.targets += [
    .target(name: "NeuralNet", dependencies: ["BLAS", "HDF5", "Random"], swiftSettings: optimizedEvenInDebug),
    .testTarget(name: "NeuralNetTests", dependencies: ["NeuralNet", "Random", "TestSupport"]),
]
package.targets.first { $0.name == "vbfgrid" }!.dependencies.append("NeuralNet")

// Training: data-parallel trainer over image data sets, checkpoints, resume, preemption.
package.targets += [
    .target(name: "Training", dependencies: ["NeuralNet", "Datasets", "HDF5", "MPI", "Random"]),
    .testTarget(name: "TrainingTests", dependencies: ["Training", "Random", "TestSupport"]),
]
package.targets.first { $0.name == "vbfgrid" }!.dependencies.append("Training")

// Events (issue 3): event model and files, fastsim, detector (calorimeter, e/μ/γ, anti-kt), selection and features.
package.targets += [
    .target(name: "Events", dependencies: ["HDF5", "Random"], swiftSettings: optimizedEvenInDebug),
    .target(name: "FastSim", dependencies: ["Events"], swiftSettings: optimizedEvenInDebug),
    .target(name: "Detector", dependencies: ["Events"], swiftSettings: optimizedEvenInDebug),
    .target(name: "Selection", dependencies: ["Events"], swiftSettings: optimizedEvenInDebug),
    .testTarget(name: "EventsTests", dependencies: ["Events", "HDF5", "TestSupport"]),
    .testTarget(name: "DetectorTests", dependencies: ["Detector", "FastSim", "Events", "TestSupport"],
                exclude: ["fastjet_cluster.py"]),
    .testTarget(name: "FastSimTests", dependencies: ["FastSim", "Detector", "Selection", "Events", "TestSupport"]),
    .testTarget(name: "SelectionTests", dependencies: ["Selection", "Events", "TestSupport"], exclude: ["k_features.py"]),
]
package.targets.first { $0.name == "vbfgrid" }!.dependencies += ["Events", "FastSim", "Detector", "Selection"]

// Pileup overlay (issue 4): min-bias library, Poisson overlay, the overlay stage over MPI.
package.targets += [
    .target(name: "Pileup", dependencies: ["Events", "Detector", "Workers", "MPI", "Checksum"],
            swiftSettings: optimizedEvenInDebug),
]
package.targets.first { $0.name == "vbfgrid" }!.dependencies.append("Pileup")

// Preprocessing (issue 4): selection, class mixing, features and images into a sharded data set.
package.targets += [
    .target(name: "Preprocessing", dependencies: ["Events", "Selection", "Datasets", "Pileup", "Workers", "MPI", "HDF5",
                                                  "Checksum"],
            swiftSettings: optimizedEvenInDebug),
]
package.targets.first { $0.name == "vbfgrid" }!.dependencies.append("Preprocessing")
package.targets += [
    .testTarget(name: "DataStagesTests", dependencies: ["TestSupport"]),
]

// The report (issue 9): SVG plotting, the report model, its loaders and writers.
package.targets += [
    .target(name: "Plotting"),
    .target(name: "Report", dependencies: ["Plotting", "Datasets", "HDF5", "Evaluation", "Grid"]),
    .testTarget(name: "PlottingTests", dependencies: ["Plotting", "TestSupport"]),
    .testTarget(name: "ReportTests", dependencies: ["Report", "Plotting", "Datasets", "HDF5", "Grid", "Random", "TestSupport"]),
]
package.targets.first { $0.name == "vbfgrid" }!.dependencies.append("Report")

// Real generators (issue 10): the Pythia 8 adapter and the Delphes importer live in tools/pythia
// (Python); these tests drive them through `vbfgrid generate --generator pythia` and `import-delphes`.
package.targets += [
    .testTarget(name: "PythiaTests", dependencies: ["Events", "Selection", "TestSupport"]),
]

// Evaluation stage and limits stage (issue 7): scoring the validation split with a trained network
// (outputs.h5 written collectively, metrics.json), and the analyses' expected limits (network
// outputs and cut-based shapes, physics-table normalisation, pyhf workspaces).
package.targets += [
    .target(name: "Scoring", dependencies: ["NeuralNet", "Training", "Datasets", "Evaluation", "HDF5", "MPI"]),
    .target(name: "Limits", dependencies: ["Scoring", "Statistics", "Evaluation", "Datasets"]),
    .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Evaluation", "Training", "NeuralNet", "Datasets", "HDF5", "Random", "TestSupport"]),
    .testTarget(name: "LimitsTests", dependencies: ["Limits", "Scoring", "Statistics", "Evaluation", "TestSupport"]),
]
package.targets.first { $0.name == "vbfgrid" }!.dependencies += ["Scoring", "Limits"]

// The fidelity harness (issue 15): fastsim against a reference generator, per channel, through the
// baseline selection: observables, classifier two-sample tests (MLP, CNN), fidelity.json and a page.
package.targets += [
    .target(name: "Fidelity", dependencies: ["Events", "Selection", "Evaluation", "NeuralNet", "Random", "HDF5", "Datasets",
                                             "Preprocessing", "Plotting", "Report"],
            swiftSettings: optimizedEvenInDebug),
    .testTarget(name: "FidelityTests", dependencies: ["Fidelity", "FastSim", "Detector", "Events", "Selection", "Evaluation",
                                                      "TestSupport"]),
]
package.targets.first { $0.name == "vbfgrid" }!.dependencies.append("Fidelity")
