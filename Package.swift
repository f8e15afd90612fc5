// swift-tools-version:6.0
//
// vbfgrid: deep-learning search for invisible Higgs decays in VBF, as a grid of MPI jobs.
// The targets follow the data flow (see docs/architecture.md):
//   system libraries → MPI / HDF5 / BLAS layers → events → data sets → networks → limits → grid → report
import PackageDescription

let package = Package(
    name: "vbfgrid",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vbfgrid", targets: ["vbfgrid"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
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

        // The command-line tool.
        .executableTarget(name: "vbfgrid", dependencies: [
            "MPI", "HDF5", "BLAS",
            "Statistics", "Evaluation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests: unit tests per module, plus end-to-end tests that run the built binary
        // (under mpirun where MPI is involved). TestSupport locates the binary and ../shared.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "BLASTests", dependencies: ["BLAS", "TestSupport"]),

        // Statistics (HistFactory likelihood, q̃_μ asymptotics, CLs limits, pyhf workspaces)
        // and evaluation (ROC/AUC, output binning, separation, correlations, histograms).
        .target(name: "Statistics"),
        .target(name: "Evaluation"),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"]),
    ]
)
