"""FastJet's own anti-kt time on the towers of `vbfgrid bench fastsim --pileup N --fastjet-python PY`.

Input (written by the bench): TOWERS, raw float64 rows (et, eta, phi), and OFFSETS, raw int64
[n + 1]. Clusters every event with anti-kt R = 0.5 (E-scheme, towers as massless four-vectors)
and prints one line: "<ms CPU per event> <jets above 20 GeV per event> <strategy>". Only the
ClusterSequence and inclusive_jets calls are timed, not building the PseudoJets.
"""
import sys
import time

import fastjet
import numpy as np


def main(towers_path, offsets_path):
    towers = np.fromfile(towers_path, dtype=np.float64).reshape(-1, 3)
    offsets = np.fromfile(offsets_path, dtype=np.int64)
    definition = fastjet.JetDefinition(fastjet.antikt_algorithm, 0.5)
    seconds, jets, strategy = 0.0, 0, ""
    for start, end in zip(offsets[:-1], offsets[1:]):
        et, eta, phi = towers[start:end].T
        momenta = zip((et * np.cos(phi)).tolist(), (et * np.sin(phi)).tolist(),
                      (et * np.sinh(eta)).tolist(), (et * np.cosh(eta)).tolist())
        particles = [fastjet.PseudoJet(*p) for p in momenta]
        begin = time.process_time()
        sequence = fastjet.ClusterSequence(particles, definition)
        jets += len(sequence.inclusive_jets(20.0))
        seconds += time.process_time() - begin
        strategy = sequence.strategy_string()
    events = len(offsets) - 1
    print(f"{seconds / events * 1e3:.4f} {jets / events:.3f} {strategy}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
