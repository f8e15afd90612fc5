#!/usr/bin/env bash
# Installs the Debian packages vbfgrid needs, skipping the install when all are present.
# Usage: scripts/install-deps.sh [extra-package ...]
set -euo pipefail

packages=(
    libopenmpi-dev openmpi-bin          # Open MPI 4.1
    libhdf5-openmpi-dev hdf5-tools      # parallel HDF5 1.10 + h5dump/h5ls
    libopenblas-dev pkg-config          # OpenBLAS; pkg-config lets SwiftPM find all three
    python3-h5py python3-numpy python3-venv   # h5py interop tests and Python oracles
    "$@"
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "vbfgrid: missing Debian packages: ${missing[*]}" >&2
    echo "         run as root, or: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi
echo "vbfgrid: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
