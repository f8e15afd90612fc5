#!/bin/sh
# Regenerates the committed fidelity reference, Tests/Fixtures/fidelity/pythia-observables.h5:
# the observables (not the particles) of the events that pass the baseline selection
# (met > 200 GeV) in the REPORT set of Pythia samples, seed 101, six channels.
#
#   tools/fidelity/make-reference.sh [WORK_DIR]      (from the repository root)
#
# Pythia 8.317 (PyPI pythia8mc 8.317.2; 13 TeV, Monash tune, NNPDF2.3 QED LO, MPI and
# hadronization on; processes and vetoes in docs/physics.md, "Pythia 8") through vbfgrid's own
# detector, via `vbfgrid generate --generator pythia`, in shards of 5,000 events (the events
# depend on the shard size). About 20 CPU minutes; the shards of one channel can run in
# parallel with --shard-index. WORK_DIR (default runs/fidelity-reference) keeps the events.
# VBFGRID names the executable (default .build/release/vbfgrid).
set -eu
vbfgrid=${VBFGRID:-.build/release/vbfgrid}
work=${1:-runs/fidelity-reference}
for spec in S_EW:10000 Z_EW:10000 S_QCD:15000 W_EW:10000 Z_QCD:20000 W_QCD:20000; do
    channel=${spec%%:*}
    events=${spec##*:}
    "$vbfgrid" generate --generator pythia --channel "$channel" --events "$events" --seed 101 \
        --shard-size 5000 --out "$work/$channel"
done
"$vbfgrid" fidelity --reference "$work" --export-observables Tests/Fixtures/fidelity/pythia-observables.h5
