"""K features of an events file computed with NumPy from the jets and MET read by h5py.

Usage: /usr/bin/python3 k_features.py EVENTS.h5 OUT.npy
Writes float64 [n, 9]: a has-two-jets flag, then the eight K features of DESIGN §3
(|Δη_jj|, |Δφ_jj|, m_jj, met, φ_met, |Δφ(j1,met)|, |Δφ(j2,met)|, |Δφ(j1+j2,met)|).
"""
import sys

import h5py
import numpy as np


def dphi(a, b):
    return np.abs((a - b + np.pi) % (2 * np.pi) - np.pi)


with h5py.File(sys.argv[1], "r") as f:
    fmt = f.attrs["format"]
    fmt = fmt.decode() if isinstance(fmt, bytes) else fmt
    assert fmt == "vbfgrid.events" and int(f.attrs["format_version"]) == 1, (fmt, f.attrs["format_version"])
    off = f["jets/offsets"][...]
    pt, eta, phi, mass = (f["jets/" + k][...].astype(np.float64) for k in ("pt", "eta", "phi", "mass"))
    met, met_phi = f["met/value"][...].astype(np.float64), f["met/phi"][...].astype(np.float64)

n = len(off) - 1
out = np.zeros((n, 9))
two = (off[1:] - off[:-1]) >= 2
i1, i2 = off[:-1][two], off[:-1][two] + 1


def four(i):
    px, py, pz = pt[i] * np.cos(phi[i]), pt[i] * np.sin(phi[i]), pt[i] * np.sinh(eta[i])
    return px, py, pz, np.sqrt(px**2 + py**2 + pz**2 + mass[i] ** 2)


a, b = four(i1), four(i2)
e, px, py, pz = a[3] + b[3], a[0] + b[0], a[1] + b[1], a[2] + b[2]
out[two, 0] = 1
out[two, 1] = np.abs(eta[i1] - eta[i2])
out[two, 2] = dphi(phi[i1], phi[i2])
out[two, 3] = np.sqrt(np.maximum(e**2 - px**2 - py**2 - pz**2, 0))
out[two, 4] = met[two]
out[two, 5] = met_phi[two]
out[two, 6] = dphi(phi[i1], met_phi[two])
out[two, 7] = dphi(phi[i2], met_phi[two])
out[two, 8] = dphi(np.arctan2(py, px), met_phi[two])
np.save(sys.argv[2], out)
