"""The parton-level veto of the Pythia adapter: judges an event early in the interleaved MPI + ISR
+ FSR evolution (Pythia's UserHooks::doVetoPT at the scale `scale` GeV), before the soft
evolution, the MPI below that scale, hadronization, particle extraction and the detector, and
drops events that cannot pass vbfgrid's baseline selection (pT(j1) > 80, pT(j2) > 40, η_j1·η_j2 < 0,
|Δη_jj| > 1, |Δφ_jj| < 1.5, m_jj > 200, met > 200, min Δφ(met, j≤4) > 0.5).

It sees the partons then present (the hard process and the emissions and MPI above `scale`) and
the invisible particles. Each part is looser than the cut it anticipates, with the margins of
fastsim's particle-level preselection (Sources/FastSim/ParticlePreselection.swift):

- MET floor: an upper bound of the met, max(|Σ p⃗_T(inv)|, |Σ p⃗_T(inv) + p⃗_T(τ, μ)|) (a τ or μ
  may be anything from visible to invisible; the met is convex in its invisible fraction), must
  reach `met_floor` (the margin covers the calorimeter's resolution and the soft recoil).
- jet topology (judged without and with the τ as a parton: its visible part may be a jet or
  nothing): parton jets (cones of R = 0.5 around the partons by decreasing p_T, p_T ≥
  `jet_pt_min`); some pair that can be the two leading jets (not two others above `dominance` ×
  its p_T + `dominance_offset`) has one jet at η < `hemisphere_margin`, the other at η >
  −`hemisphere_margin`, |Δη| > `min_delta_eta`, |Δφ| < `max_delta_phi`, the harder with p_T ≥
  `lead_pt_min` and the softer with p_T ≥ `second_pt_min` (25 and 20 GeV below the cuts: the
  soft radiation and MPI below the veto scale and pileup add to a jet, ≈ 15 GeV at ⟨N⟩ = 20).
- MET alignment (only when the invisible direction is known, no τ or μ): a parton jet of p_T ≥
  `aligned_jet_pt`, |η| < `aligned_jet_eta`, surely among the four leading ones, within Δφ <
  `max_alignment` of Σ p⃗_T(inv) vetoes.

A vetoed event is not written; Pythia counts it among the selected hard processes (nSelected)
but not the accepted ones, so the adapter's σ per attempt and n_generated stay right."""

import math
from dataclasses import asdict, dataclass

INVISIBLE = frozenset((12, 14, 16, 18, 25, 1000022))
PARTIAL = frozenset((13, 15))   # μ (no calorimeter signal) and τ (a ν always, the rest visible or not)
# Jet seeds: coloured partons, photons and electrons (a forward electron is a calorimeter jet).


@dataclass(frozen=True)
class PartonVeto:
    """The thresholds of the veto (GeV, radians); `decide` is the decision function."""
    scale: float = 10.0
    met_floor: float = 160.0
    radius: float = 0.5
    jet_pt_min: float = 15.0
    dominance: float = 1.5
    dominance_offset: float = 5.0
    hemisphere_margin: float = 0.1
    min_delta_eta: float = 0.9
    max_delta_phi: float = 1.6
    lead_pt_min: float = 55.0
    second_pt_min: float = 20.0
    aligned_jet_pt: float = 45.0
    aligned_jet_eta: float = 4.5
    max_alignment: float = 0.3

    def describe(self):
        """The thresholds as `name=value` words, for the file's generator attribute."""
        return " ".join(f"{k}={v:g}" for k, v in asdict(self).items())

    def decide(self, partons, invisible, partial):
        """The part that vetoes the event: "m" (MET floor), "j" (jet topology), "a" (MET
        alignment), or "" when the event may pass. `partons`: (pT, η, φ) of the coloured final
        partons, photons and electrons; `invisible`: (px, py) of the invisible particles;
        `partial`: (px, py) of the μ and (px, py, η) of the τ."""
        ix = sum(p[0] for p in invisible)
        iy = sum(p[1] for p in invisible)
        lx = ix + sum(p[0] for p in partial)
        ly = iy + sum(p[1] for p in partial)
        if max(math.hypot(ix, iy), math.hypot(lx, ly)) < self.met_floor:
            return "m"
        jets = self.jets(partons)
        taus = [(math.hypot(p[0], p[1]), p[2], math.atan2(p[1], p[0])) for p in partial if len(p) > 2]
        if not self.has_vbf_pair(jets) and not (taus and self.has_vbf_pair(self.jets(partons + taus))):
            return "j"
        if partial or not invisible:
            return ""
        met_phi = math.atan2(iy, ix)
        for k, (pt, eta, phi) in enumerate(jets):
            if pt < self.aligned_jet_pt:
                break
            if abs(eta) < self.aligned_jet_eta and self.dominating(jets, k) < 4 and delta_phi(phi, met_phi) < self.max_alignment:
                return "a"
        return ""

    def jets(self, partons):
        """Cones of R = `radius` around the partons by decreasing p_T (a parton within R of a harder
        axis joins it); p⃗_T summed, η the p_T-weighted mean; those above `jet_pt_min`, by p_T."""
        r2 = self.radius ** 2
        cones = []   # [axis η, axis φ, px, py, Σ pT·η, Σ pT]
        for pt, eta, phi in sorted(partons, reverse=True):
            for cone in cones:
                if (eta - cone[0]) ** 2 + delta_phi(phi, cone[1]) ** 2 < r2:
                    break
            else:
                cone = [eta, phi, 0.0, 0.0, 0.0, 0.0]
                cones.append(cone)
            cone[2] += pt * math.cos(phi); cone[3] += pt * math.sin(phi)
            cone[4] += pt * eta; cone[5] += pt
        jets = [(math.hypot(c[2], c[3]), c[4] / c[5], math.atan2(c[3], c[2])) for c in cones if c[5] > 0]
        return sorted((j for j in jets if j[0] >= self.jet_pt_min), reverse=True)

    def dominating(self, jets, k):
        """How many other jets have p_T > `dominance` × p_T(k) + `dominance_offset`."""
        bound = self.dominance * jets[k][0] + self.dominance_offset
        return sum(1 for i, j in enumerate(jets) if i != k and j[0] > bound)

    def has_vbf_pair(self, jets):
        candidates = [j for k, j in enumerate(jets) if self.dominating(jets, k) < 2]
        m = self.hemisphere_margin
        for a in range(len(candidates)):
            for b in range(a + 1, len(candidates)):
                (ta, ea, pa), (tb, eb, pb) = candidates[a], candidates[b]
                if not (min(ea, eb) < m and max(ea, eb) > -m):
                    continue
                if ta < self.lead_pt_min or tb < self.second_pt_min:   # sorted: ta ≥ tb
                    continue
                if abs(ea - eb) > self.min_delta_eta and delta_phi(pa, pb) < self.max_delta_phi:
                    return True
        return False


def delta_phi(a, b):
    d = abs(a - b) % (2 * math.pi)
    return 2 * math.pi - d if d > math.pi else d


def event_content(event, process):
    """(partons, invisible, partial) of a Pythia event record, as `PartonVeto.decide` takes them.
    At the veto scale the W, Z and decaying scalars are not decayed yet in `event`: their decay
    products are taken from the hard-process record `process`, boosted from the boson's
    hard-process momentum to its current one (what Pythia does when it decays them later)."""
    partons, invisible, partial = [], [], []

    def add(a, px, py, pz, e):
        if a in INVISIBLE:
            invisible.append((px, py))
        elif a == 15:
            partial.append((px, py, math.asinh(pz / math.hypot(px, py))))
        elif a in PARTIAL:
            partial.append((px, py))
        elif px or py:
            pt = math.hypot(px, py)
            partons.append((pt, math.asinh(pz / pt), math.atan2(py, px)))

    for i in range(event.size()):
        p = event[i]
        if not p.isFinal():
            continue
        a = p.idAbs()
        products = decay_products(process, a) if p.isResonance() else []
        if products:
            new = (p.px(), p.py(), p.pz(), p.e())
            for d_id, d in products:
                add(d_id, *boost(boost(d, products.rest), new))
        elif a in INVISIBLE or a in PARTIAL or p.colType() != 0 or a in (11, 22):
            add(a, p.px(), p.py(), p.pz(), p.e())
    return partons, invisible, partial


class Products(list):
    """[(|id|, (px, py, pz, e))] of a decay, with `rest`: the boost into the parent's rest frame."""
    rest = None


def decay_products(process, a):
    """The final decay products of the decayed resonance of |id| `a` in the hard-process record."""
    for i in range(process.size()):
        r = process[i]
        if r.idAbs() != a or r.isFinal():
            continue
        products = Products()
        stack = list(r.daughterList())
        while stack:
            d = process[stack.pop()]
            if d.isFinal():
                products.append((d.idAbs(), (d.px(), d.py(), d.pz(), d.e())))
            else:
                stack.extend(d.daughterList())
        products.rest = (-r.px(), -r.py(), -r.pz(), r.e())
        return products
    return []


def boost(p, frame):
    """p = (px, py, pz, e) boosted by the velocity of the four-momentum `frame` (which may carry a
    negative 3-momentum: the inverse boost)."""
    bx, by, bz = frame[0] / frame[3], frame[1] / frame[3], frame[2] / frame[3]
    b2 = bx * bx + by * by + bz * bz
    if b2 <= 0:
        return p
    gamma = 1.0 / math.sqrt(1.0 - b2)
    bp = bx * p[0] + by * p[1] + bz * p[2]
    k = (gamma - 1.0) * bp / b2 + gamma * p[3]
    return (p[0] + k * bx, p[1] + k * by, p[2] + k * bz, gamma * (p[3] + bp))
