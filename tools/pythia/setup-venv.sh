#!/bin/sh
# Creates (once) the Python environment of the Pythia adapter and the Delphes importer:
#   tools/pythia/setup-venv.sh VENV
# A venv made by Debian's python3 (VBFGRID_PYTHON overrides) with the pinned wheels of
# requirements.txt. Concurrent callers (array tasks) wait on a lock; a venv whose recorded
# requirements equal the current ones is left as it is.
set -eu
venv=$1
here=$(cd "$(dirname "$0")" && pwd)
requirements=$here/requirements.txt
python=${VBFGRID_PYTHON:-/usr/bin/python3}
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if cmp -s "$requirements" "$venv/vbfgrid-requirements.txt"; then exit 0; fi
echo "vbfgrid: installing Pythia 8.317 (pythia8mc 8.317.2), numpy, h5py and uproot into $venv (once, about 30 s)…" >&2
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: -r "$requirements" >&2
cp "$requirements" "$venv/vbfgrid-requirements.txt"
echo "vbfgrid: Python environment ready in $venv" >&2
