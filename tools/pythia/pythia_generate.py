"""Generate one shard of one vbfgrid channel with Pythia 8 and write a `vbfgrid.particles` v1
file: the visible final-state particles (no ν, no undecayed H, no neutralino) with |η| < 5.

Called by `vbfgrid generate --generator pythia`, which derives --pythia-seed from
(seed, channel, shard) and then runs vbfgrid's detector on the file. Same arguments → same file.

n_generated counts every event Pythia selected, including those removed by the process-level
and parton-level vetoes (channels.py, parton_veto.py; `--veto off` runs without the latter); cross_section_fb is Pythia's σ estimate per such attempt, so that
cross_section_fb · n_events / n_generated = σ of the written events (Pythia's sigmaGen)."""

import argparse
import math
import os
import sys
import time

import numpy as np

from channels import COMMON, SETUPS
from parton_veto import event_content
from vbfgrid_files import CHANNEL_IDS, ParticleFileWriter, channel_name

ETA_MAX = 5.0
MB_TO_FB = 1e12
PYTHIA_SEED_MAX = 900_000_000


class Hooks:
    """The UserHooks of one run: the channel's process-level veto, and the parton-level veto
    (parton_veto.py) in mode "on" (applied), "record" (judged, never applied: `verdict` holds the
    decision for the event being generated, the vetoing part or "") or "off" (not installed)."""

    def __init__(self, process_veto, parton_veto, mode):
        self.process_veto, self.parton_veto, self.mode = process_veto, parton_veto, mode
        self.verdict, self.vetoed = "", 0
        self.process = None   # Pythia's hard-process record, set by make_pythia

    def pythia_hooks(self):
        import pythia8mc
        outer = self

        class UserHooks(pythia8mc.UserHooks):
            def canVetoProcessLevel(self):
                return outer.process_veto is not None

            def doVetoProcessLevel(self, process):
                return outer.process_veto.vetoes(process)

            def canVetoPT(self):
                return outer.mode != "off"

            def scaleVetoPT(self):
                return outer.parton_veto.scale

            def doVetoPT(self, iPos, event):
                return outer.judge(iPos, event)

        return UserHooks()

    def judge(self, position, event):
        if position > 3:   # resonance decays: the interleaved evolution was judged already
            return False
        self.verdict = self.parton_veto.decide(*event_content(event, self.process))
        if self.verdict and self.mode == "on":
            self.vetoed += 1
            return True
        return False


def make_pythia(setup, pythia_seed, veto_mode):
    import pythia8mc
    pythia = pythia8mc.Pythia("", False)
    for line in COMMON + ["Random:setSeed = on", f"Random:seed = {pythia_seed}"] + setup.settings:
        if not pythia.readString(line):
            raise RuntimeError(f"Pythia rejected the setting '{line}'")
    hooks = Hooks(setup.veto, setup.parton_veto, veto_mode if setup.parton_veto else "off")
    hooks.process = pythia.process
    user_hooks = None
    if setup.veto is not None or hooks.mode != "off":
        user_hooks = hooks.pythia_hooks()
        pythia.setUserHooksPtr(user_hooks)
    if not pythia.init():
        raise RuntimeError("Pythia init() failed")
    return pythia, hooks, user_hooks   # the hooks must stay referenced while Pythia runs


def visible(event, invisible):
    pt, eta, phi, pid = [], [], [], []
    for i in range(event.size()):
        p = event[i]
        if not p.isFinal() or p.idAbs() in invisible:
            continue
        e = p.eta()
        if abs(e) >= ETA_MAX or p.pT() <= 0:
            continue
        pt.append(p.pT()); eta.append(e); phi.append(p.phi()); pid.append(p.id())
    return (np.asarray(pt, np.float32), np.asarray(eta, np.float32), np.asarray(phi, np.float32),
            np.asarray(pid, np.int32))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channel", required=True, help="S_EW, S_QCD, Z_QCD, W_QCD, Z_EW, W_EW (proxies) or MINBIAS")
    parser.add_argument("--events", type=int, required=True, help="events to write")
    parser.add_argument("--seed", type=int, required=True, help="vbfgrid seed of the (seed, channel) sample (file attribute)")
    parser.add_argument("--pythia-seed", type=int, required=True, help=f"Pythia Random:seed, 1…{PYTHIA_SEED_MAX}")
    parser.add_argument("--first-event", type=int, default=0, help="index of the shard's first event in the sample")
    parser.add_argument("--out", required=True, help="output vbfgrid.particles file")
    parser.add_argument("--veto", choices=("on", "off", "record"), default="on",
                        help="the parton-level veto (parton_veto.py): applied, not used, or judged only (--verdicts)")
    parser.add_argument("--verdicts", help="with --veto record: write one character per written event, "
                        "0 where the veto lets it pass, else the vetoing part: m (MET), j (jets), a (alignment)")
    args = parser.parse_args(argv)
    try:
        channel = channel_name(args.channel)
    except ValueError as error:
        parser.error(f"--channel: {error}")
    if args.events <= 0:
        parser.error(f"--events must be positive, got {args.events}")
    if not 1 <= args.pythia_seed <= PYTHIA_SEED_MAX:
        parser.error(f"--pythia-seed must be in 1…{PYTHIA_SEED_MAX}, got {args.pythia_seed}")
    if (args.verdicts is not None) != (args.veto == "record"):
        parser.error("--verdicts goes with --veto record, and --veto record needs --verdicts")

    setup = SETUPS[channel]
    pythia, hooks, _user_hooks = make_pythia(setup, args.pythia_seed, args.veto)
    invisible = set(setup.invisible_ids)
    generator = f"pythia8 8.317 (pythia8mc 8.317.2) {channel}: {setup.label}; "
    if setup.parton_veto is not None:
        generator += f"parton-level veto {hooks.mode} ({setup.parton_veto.describe()}); "
    generator += f"Random:seed {args.pythia_seed}"
    verdicts = []
    header = dict(generator=generator, seed=args.seed, channel=channel, n_generated=0,
                  cross_section_fb=0.0, first_event=args.first_event)
    writer = ParticleFileWriter(args.out, header)
    try:
        started, failures, written = time.process_time(), 0, 0
        while written < args.events:
            hooks.verdict = ""
            if not pythia.next():
                failures += 1
                if failures > 100 + args.events:
                    raise RuntimeError(f"Pythia failed {failures} times")
                continue
            writer.append(*visible(pythia.event, invisible), channel=CHANNEL_IDS[channel])
            verdicts.append(hooks.verdict or "0")
            written += 1
        info = pythia.infoPython()
        attempts, accepted = info.nSelected(), info.nAccepted()
        sigma_fb = info.sigmaGen() * MB_TO_FB * attempts / max(accepted, 1)
        if not math.isfinite(sigma_fb):
            raise RuntimeError(f"Pythia's cross section is {sigma_fb}")
        if args.verdicts is not None:
            write_atomically(args.verdicts, "".join(verdicts) + "\n")
        writer.finish(n_generated=int(attempts), cross_section_fb=sigma_fb)
    except BaseException:
        writer.abandon()
        raise
    seconds = time.process_time() - started
    print(f"{args.out}: {written} {channel} events, n_generated {attempts}, sigma_gen {info.sigmaGen() * MB_TO_FB:.6g} fb, "
          f"{written / max(seconds, 1e-9):.1f} events/s (CPU), parton-level veto {hooks.mode}"
          + (f" ({hooks.vetoed} vetoed)" if hooks.mode == "on" else ""), file=sys.stderr)


def write_atomically(path, text):
    partial = os.path.join(os.path.dirname(os.path.abspath(path)), f".{os.path.basename(path)}.partial")
    with open(partial, "w") as f:
        f.write(text)
    os.replace(partial, path)


if __name__ == "__main__":
    main()
