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

        // SHA-256 for source checksums and stable task ids.
        .target(name: "Checksum"),

        // Master/worker processing of a stage's work units over MPI.
        .target(name: "Workers", dependencies: ["MPI"]),

        // Image data sets: tower images, shards, manifest (written by preprocess, read by train/evaluate).
        .target(name: "Datasets", dependencies: ["HDF5"]),

        // Grid runner: YAML spec → task graph → local, Slurm or pilot execution.
        .target(name: "Grid", dependencies: ["MPI", "Checksum", .product(name: "Yams", package: "Yams")]),

        // The command-line tool.
        .executableTarget(name: "vbfgrid", dependencies: [
            "MPI", "HDF5", "BLAS", "Workers", "Datasets",
            "Grid",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests: unit tests per module, plus end-to-end tests that run the built binary
        // (under mpirun where MPI is involved). TestSupport locates the binary and ../shared.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "MPITests", dependencies: ["TestSupport"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "TestSupport"], exclude: ["h5py_interop.py"]),
        .testTarget(name: "BLASTests", dependencies: ["BLAS", "TestSupport"]),
        .testTarget(name: "ChecksumTests", dependencies: ["Checksum", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "TestSupport"]),
        .testTarget(name: "CommandTests", dependencies: ["TestSupport"]),
        // Grid runner: spec, graph, Slurm text parsing (in-process); local, Slurm and pilot runs (built binary).
        .testTarget(name: "GridTests", dependencies: ["Grid", "TestSupport"]),
    ]
)
