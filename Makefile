# vbfgrid — the two commands of the README, and their parts.
#   make demo    install what is missing, build (release), run the demo
#   make test    install what is missing, build, run every test
#   make test-unit  the fast tests only: no Slurm, pip or network (under 3 minutes)
#   make pythia  create the Python venv of the Pythia 8 adapter and the Delphes importer
#   make pythia-demo  the demo grid on Pythia 8 events (jobs/pythia-demo.yaml)
SHELL := /bin/bash

# Open MPI refuses to run as root and to oversubscribe cores unless told; clusters never need these.
export OMPI_ALLOW_RUN_AS_ROOT := 1
export OMPI_ALLOW_RUN_AS_ROOT_CONFIRM := 1
export OMPI_MCA_rmaps_base_oversubscribe := 1
# One BLAS thread per MPI rank.
export OPENBLAS_NUM_THREADS := 1

SWIFT ?= swift
RANKS ?= 2
RELEASE_BIN := .build/release/vbfgrid

.PHONY: demo pythia-demo test test-unit deps build release check-swift clean

# The demo grid (jobs/demo.yaml) on the local backend: fastsim events of the six channels and a
# min-bias library, pileup ⟨N⟩ = 0 and 20, PJ-LR/Pmet-LR data sets, K/R/H-ANN and PJ-LR-CNN with
# 2 seeds, the cut-based analyses, limits at 36/140/300 fb⁻¹, fastsim's fidelity against the committed
# Pythia reference, the report. A rerun skips what is done.
DEMO_RUN ?= runs/demo
demo: deps release
	$(RELEASE_BIN) doctor
	$(RELEASE_BIN) grid submit jobs/demo.yaml --backend local --run-dir $(DEMO_RUN)
	$(RELEASE_BIN) report $(DEMO_RUN) --strict
	@echo; echo "vbfgrid demo: open $(DEMO_RUN)/report/index.html"

# The same stages on Pythia 8 events (jobs/pythia-demo.yaml; run time in docs/physics.md).
PYTHIA_DEMO_RUN ?= runs/pythia-demo
pythia-demo: deps release pythia
	$(RELEASE_BIN) grid submit jobs/pythia-demo.yaml --backend local --run-dir $(PYTHIA_DEMO_RUN)
	$(RELEASE_BIN) report $(PYTHIA_DEMO_RUN) --strict
	@echo; echo "vbfgrid pythia-demo: open $(PYTHIA_DEMO_RUN)/report/index.html"

# The memory-bound tests measure the test process's resident memory, so each runs in a process
# of its own, after the rest (which runs suites in parallel).
MEMORY_TESTS := millionEventsWithBoundedMemory anEpochOfImagesStreamsWithBoundedMemory
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip BoundedMemory
	for t in $(MEMORY_TESTS); do $(SWIFT) test --filter $$t || exit 1; done

# House style (.swift-format: 4 spaces, 120 columns, no semicolons, ordered imports) and the
# module map of docs/architecture.md drawn from Package.swift. `make lint` is part of CI.
SWIFT_FORMAT_PATHS := Package.swift Sources Tests
.PHONY: format lint docs
format:
	$(SWIFT) format format --in-place --recursive --parallel $(SWIFT_FORMAT_PATHS)
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(SWIFT_FORMAT_PATHS)
	python3 tools/docs/architecture.py check
docs:
	python3 tools/docs/architecture.py write

# The fast layer (make test-unit): every module's unit tests, in-process ranks included
# (ThreadGroup), the Keras and pyhf reference checks against Tests/Fixtures, and the quick mpirun
# tests (2–5 ranks). Needs no Slurm, no pip/venv and no network. Left to `make test`: the Slurm
# cluster (SlurmClusterTests); pip venvs (AntiKtFastJetTests: FastJet; PyhfOracleTests and
# LimitsStageTests: pyhf; PythiaTests: Pythia 8); the end-to-end stage runs (OverlayStageTests,
# PreprocessStageTests, EvaluateStageTests, LocalRunTests, DataParallelTrainingTests); the fastsim
# calibration against Pythia (CalibrationTests, PreselectionTests); the bounded-memory tests.
UNIT_SKIP := SlurmClusterTests|AntiKtFastJetTests|PyhfOracleTests|PythiaTests|LimitsStageTests|OverlayStageTests|$\
             PreprocessStageTests|EvaluateStageTests|LocalRunTests|DataParallelTrainingTests|CalibrationTests|$\
             FastSimTests.PreselectionTests|BoundedMemory
test-unit: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip "$(UNIT_SKIP)"

# Debian packages: Open MPI 4.1, parallel HDF5 1.10 (+ h5dump), OpenBLAS, oneDNN 2.6 (the CNN convolutions),
# Slurm + munge (the grid tests start a one-node cluster on localhost), pkg-config (lets SwiftPM
# find MPI, HDF5 and OpenBLAS), and h5py/numpy/venv for the tests' Python oracles. Installed only when missing.
PACKAGES := libopenmpi-dev openmpi-bin libhdf5-openmpi-dev hdf5-tools libopenblas-dev libdnnl-dev pkg-config slurm-wlm munge \
            python3-h5py python3-numpy python3-venv

deps: check-swift
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" -ne 0 ]; then echo "vbfgrid: missing Debian packages:" $$missing "(install them as root)" >&2; exit 1; fi; \
	    echo "vbfgrid: installing" $$missing; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

check-swift:
	@command -v $(SWIFT) >/dev/null || { echo "vbfgrid: Swift 6 is needed (swift not on PATH); see https://www.swift.org/install/linux/" >&2; exit 1; }

clean:
	rm -rf .build

# Keras interoperability (not part of CI: it installs TensorFlow into a venv under .build/).
# KerasExportTests writes a vbfgrid weight file, inputs and outputs for every network; Keras 3
# then loads each file with load_weights (tools/keras/keras_roundtrip.py) and must predict the
# same outputs (≤ 1e-5).
KERAS_VENV ?= .build/keras-venv
KERAS_OUT := .build/keras-roundtrip
KERAS_NETWORKS := cnn_tiny ann_tiny K-ANN R-ANN H-ANN PJ-LR-CNN PJ-HR-CNN Pmet-LR-CNN Pmet-HR-CNN

.PHONY: test-keras bench-venv
# The Keras venv, also the anchor of `vbfgrid bench train --compare-keras`.
bench-venv:
	@test -x $(KERAS_VENV)/bin/python || { /usr/bin/python3 -m venv $(KERAS_VENV) && \
	    $(KERAS_VENV)/bin/pip install -q tensorflow-cpu==2.21.0 keras==3.15.1 h5py numpy; }

test-keras: deps bench-venv
	rm -rf $(KERAS_OUT) && mkdir -p $(KERAS_OUT)
	VBFGRID_KERAS_OUT=$(abspath $(KERAS_OUT)) $(SWIFT) test --filter KerasExportTests
	@set -o pipefail; for n in $(KERAS_NETWORKS); do \
	    echo "== $$n"; \
	    TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=0 $(KERAS_VENV)/bin/python tools/keras/keras_roundtrip.py --model $$n --weights $(KERAS_OUT)/$$n.h5 \
	        --input $(KERAS_OUT)/$$n-input.json --expected $(KERAS_OUT)/$$n-expected.json --tol 1e-5 --threads 1 \
	        | grep -E "max abs diff|RESULT" || exit 1; \
	done

# The report in a real browser (not part of CI: it installs Debian's chromium, ~300 MB).
# Writes RUN's report, loads index.html in headless Chromium over the DevTools protocol, fails on
# any console message, exception or failed load, and leaves RUN/report/screenshot.png.
RUN ?= runs/demo
.PHONY: report-browser-check
report-browser-check: build
	@missing=$$(for p in chromium python3-websocket; do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" -ne 0 ]; then echo "vbfgrid: missing Debian packages:" $$missing "(install them as root)" >&2; exit 1; fi; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	.build/debug/vbfgrid report $(RUN) --quiet
	/usr/bin/python3 tools/report_browser_check.py $(RUN)/report/index.html $(RUN)/report/screenshot.png

# Pythia 8 adapter and Delphes importer (tools/pythia): their venv, which vbfgrid also creates on
# first use of `generate --generator pythia` or `import-delphes`.
PYTHIA_VENV ?= $(or $(VBFGRID_PYTHIA_VENV),.build/pythia-venv)

.PHONY: pythia
pythia: deps
	sh tools/pythia/setup-venv.sh $(PYTHIA_VENV)
