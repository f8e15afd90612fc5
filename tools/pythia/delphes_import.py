"""Convert Delphes ROOT output (tree `Delphes`) into `vbfgrid.events` v1 files.

Mapping (docs/formats.md, "Delphes import"): Tower.ET/Eta/Phi → towers, Jet.PT/Eta/Phi/Mass →
jets (by decreasing p_T), Electron/Muon/Photon PT/Eta/Phi → leptons (pid 11/13/22),
MissingET.MET/Phi[0] → met, Event.Weight[0] → weight when present (else 1).
Branch names are looked up with or without their parent (`Tower/Tower.ET` or `Tower.ET`), so
files written by Delphes 3.x (split TClonesArray branches) and flat copies of them both read."""

import argparse
import math
import os
import sys

import numpy as np

from vbfgrid_files import CHANNEL_IDS, EventFileWriter, channel_name

TREE = "Delphes"


class DelphesTree:
    def __init__(self, path):
        import uproot
        self.path = path
        try:
            self.file = uproot.open(path)
        except Exception as error:
            raise SystemExit(f"{path}: cannot open as a ROOT file ({error})")
        if TREE not in self.file:
            raise SystemExit(f"{path}: no tree '{TREE}' (keys: {', '.join(self.file.keys())})")
        self.tree = self.file[TREE]
        self.names = {name.split("/")[-1]: name for name in self.tree.keys(recursive=True)}
        self.entries = self.tree.num_entries

    def has(self, branch):
        return branch in self.names

    def jagged(self, branch, required=True):
        if branch not in self.names:
            if required:
                raise SystemExit(f"{self.path}: tree {TREE}: missing branch '{branch}'")
            return None
        return self.tree[self.names[branch]].array(library="np")


def wrap_phi(phi):
    """φ in [−π, π) (Delphes gives [−π, π])."""
    phi = np.asarray(phi, np.float64)
    return np.where(phi >= math.pi, phi - 2 * math.pi, phi)


def convert(trees, out, channel, n_generated, cross_section_fb, generator):
    header = dict(generator=generator, seed=0, channel=channel, n_generated=n_generated,
                  cross_section_fb=cross_section_fb, first_event=0)
    writer = EventFileWriter(out, header)
    try:
        for t in trees:
            tower = [t.jagged(f"Tower.{f}") for f in ("ET", "Eta", "Phi")]
            jet = [t.jagged(f"Jet.{f}") for f in ("PT", "Eta", "Phi", "Mass")]
            objects = [(pid, [t.jagged(f"{name}.{f}") for f in ("PT", "Eta", "Phi")])
                       for pid, name in ((11, "Electron"), (13, "Muon"), (22, "Photon"))]
            met, met_phi = t.jagged("MissingET.MET"), t.jagged("MissingET.Phi")
            weight = t.jagged("Event.Weight", required=False)
            for i in range(t.entries):
                order = np.argsort(-np.asarray(jet[0][i]), kind="stable")
                jets = (jet[0][i][order], jet[1][i][order], wrap_phi(jet[2][i][order]), jet[3][i][order])
                lepton_parts = [(o[0][i], o[1][i], wrap_phi(o[2][i]), np.full(len(o[0][i]), pid, np.int32))
                                for pid, o in objects]
                leptons = tuple(np.concatenate([part[k] for part in lepton_parts]) for k in range(4))
                if len(met[i]) < 1:
                    raise SystemExit(f"{t.path}: event {i}: MissingET is empty")
                w = float(weight[i][0]) if weight is not None and len(weight[i]) > 0 else 1.0
                writer.append((tower[0][i], tower[1][i], wrap_phi(tower[2][i])), jets, leptons,
                              float(met[i][0]), float(wrap_phi([met_phi[i][0]])[0]), CHANNEL_IDS[channel], w)
        writer.finish()
    except BaseException:
        writer.abandon()
        raise
    return writer.count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", metavar="FILE.root")
    parser.add_argument("--channel", required=True)
    parser.add_argument("--out", required=True, help="events file, or a directory (one file per input)")
    parser.add_argument("--out-is-directory", action="store_true")
    parser.add_argument("--cross-section-fb", type=float, default=0.0,
                        help="σ per generated event (fb); default 0 (unknown)")
    parser.add_argument("--n-generated", type=int, default=None,
                        help="generated events behind all inputs (default: the number of events read)")
    args = parser.parse_args(argv)
    try:
        channel = channel_name(args.channel)
    except ValueError as error:
        parser.error(f"--channel: {error}")
    trees = [DelphesTree(path) for path in args.inputs]
    total = sum(t.entries for t in trees)
    n_generated = total if args.n_generated is None else args.n_generated
    if n_generated < total:
        parser.error(f"--n-generated {n_generated} is smaller than the {total} events of the inputs")
    generator = "delphes import (Delphes 3 ROOT tree)"
    if not args.out_is_directory:
        count = convert(trees, args.out, channel, n_generated, args.cross_section_fb, generator)
        print(f"{args.out}: {count} {channel} events", file=sys.stderr)
        return
    assigned = 0
    for k, t in enumerate(trees):
        share = n_generated - assigned if k == len(trees) - 1 else round(n_generated * t.entries / max(total, 1))
        assigned += share
        stem = os.path.splitext(os.path.basename(t.path))[0]
        out = os.path.join(args.out, f"{channel}-{stem}.h5")
        count = convert([t], out, channel, share, args.cross_section_fb, generator)
        print(f"{out}: {count} {channel} events", file=sys.stderr)


if __name__ == "__main__":
    main()
