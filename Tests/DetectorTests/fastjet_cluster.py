"""Cluster tower lists with FastJet (anti-kt, R = 0.5, E-scheme, pT > 20 GeV).

FastJet's N2Plain strategy is used: towers sit on a regular grid, so exactly equal pair
distances occur, and the strategies of FastJet break such ties in different orders (Best, i.e.
tiled, and N2Plain disagree on a few percent of events with pileup). N2Plain breaks them like
vbfgrid's AntiKt (lowest index first). The four-vectors are built with the C library's
cos/sin/sinh/cosh (the `math` module), bit for bit as in the Swift code.

Input (binary, little endian): repeated events of int32 n, then n × (et, eta, phi) float32.
Output (binary): per event int32 m, then m × (pt, eta, phi, mass) float64, jets by decreasing pT.
Usage: python fastjet_cluster.py TOWERS JETS
"""
import math
import struct
import sys

import fastjet
import numpy as np

raw = open(sys.argv[1], "rb").read()
out = open(sys.argv[2], "wb")
# (algorithm, R, strategy, scheme): the argument order the SWIG binding resolves correctly.
definition = fastjet.JetDefinition(fastjet.antikt_algorithm, 0.5, fastjet.N2Plain, fastjet.E_scheme)
offset = 0
while offset < len(raw):
    (n,) = struct.unpack_from("<i", raw, offset)
    offset += 4
    towers = np.frombuffer(raw, dtype="<f4", count=3 * n, offset=offset).reshape(n, 3).astype(np.float64).tolist()
    offset += 12 * n
    particles = []
    for et, eta, phi in towers:
        if et > 0:
            particles.append(fastjet.PseudoJet(et * math.cos(phi), et * math.sin(phi), et * math.sinh(eta), et * math.cosh(eta)))
    sequence = fastjet.ClusterSequence(particles, definition)
    jets = fastjet.sorted_by_pt(sequence.inclusive_jets(20.0))
    out.write(struct.pack("<i", len(jets)))
    for j in jets:
        phi = j.phi_std()
        out.write(struct.pack("<4d", j.pt(), j.eta(), phi, max(j.m2(), 0.0) ** 0.5))
out.close()
