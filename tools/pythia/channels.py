"""Pythia 8.317 settings per vbfgrid channel (13 TeV pp, Monash tune, NNPDF2.3 QED LO, MPI and
hadronization on) and their process-level vetoes. The settings are the tested ones of the
project's Pythia notes; docs/physics.md ("Pythia 8") lists them with their rates."""

from dataclasses import dataclass, field

from parton_veto import PartonVeto

COMMON = [
    "Beams:idA = 2212", "Beams:idB = 2212", "Beams:eCM = 13000.",
    "PartonLevel:MPI = on", "HadronLevel:all = on",
    "Next:numberCount = 0", "Next:numberShowEvent = 0", "Next:numberShowProcess = 0", "Next:numberShowInfo = 0",
    "Init:showChangedSettings = off", "Init:showProcesses = off", "Init:showChangedParticleData = off",
    "Print:quiet = on",
]

VBF_H = ["HiggsSM:ff2Hff(t:ZZ) = on", "HiggsSM:ff2Hff(t:WW) = on"]


@dataclass(frozen=True)
class Veto:
    """A process-level veto (applied before shower, MPI and hadronization, so vetoed events cost
    almost nothing; Pythia's σ estimate stays that of the accepted events).

    boson_pt_min: veto when the produced scalar (id 25) has p_T below this (GeV).
    lost_lepton: veto when a final e/μ of the hard process has p_T > 10 GeV and |η| < 2.5 (it
        would be found and the event fail the lepton veto), or when the neutrino has p_T below
        `neutrino_pt_min`."""
    boson_pt_min: float = 0.0
    lost_lepton: bool = False
    neutrino_pt_min: float = 0.0

    def vetoes(self, process):
        for i in range(process.size()):
            p = process[i]
            a = p.idAbs()
            if a == 25 and self.boson_pt_min > 0 and p.pT() < self.boson_pt_min:
                return True
            if self.lost_lepton and p.isFinal():
                if a in (11, 13) and p.pT() > 10.0 and abs(p.eta()) < 2.5:
                    return True
                if a in (12, 14, 16) and p.pT() < self.neutrino_pt_min:
                    return True
        return False


@dataclass(frozen=True)
class ChannelSetup:
    """How one channel is generated: Pythia settings, an optional process-level veto, the
    generator label, and the parton-level veto (physics channels; none for min-bias)."""
    settings: list
    veto: Veto = None
    label: str = ""
    proxy: bool = False
    invisible_ids: tuple = field(default=(12, 14, 16, 18, 25, 1000022))
    parton_veto: PartonVeto = field(default_factory=PartonVeto)


SETUPS = {
    "S_EW": ChannelSetup(VBF_H + ["25:mayDecay = off"], Veto(boson_pt_min=150.0),
                         "VBF H (ff2Hff t:ZZ, t:WW), H undecayed = invisible, veto pT(H) < 150"),
    "S_QCD": ChannelSetup(["HiggsSM:gg2Hg(l:t) = on", "HiggsSM:qg2Hq(l:t) = on", "HiggsSM:qqbar2Hg(l:t) = on",
                           "PhaseSpace:pTHatMin = 150.", "25:mayDecay = off"], None,
                          "ggF H + jet (loop top), H undecayed = invisible, pTHat > 150"),
    "Z_QCD": ChannelSetup(["WeakBosonAndParton:qqbar2gmZg = on", "WeakBosonAndParton:qg2gmZq = on",
                           "WeakZ0:gmZmode = 2", "23:onMode = off", "23:onIfAny = 12 14 16",
                           "PhaseSpace:pTHatMin = 150."], None,
                          "Z(->nunu) + jet, pure Z, pTHat > 150"),
    "W_QCD": ChannelSetup(["WeakBosonAndParton:qqbar2Wg = on", "WeakBosonAndParton:qg2Wq = on",
                           "24:onMode = off", "24:onIfAny = 11 13 15", "PhaseSpace:pTHatMin = 150."],
                          Veto(lost_lepton=True, neutrino_pt_min=100.0),
                          "W(->lnu) + jet, pTHat > 150, lost-lepton veto (e/mu pT>10 |eta|<2.5), nu pT > 100"),
    "Z_EW": ChannelSetup(VBF_H + ["25:m0 = 91.0", "25:mayDecay = off"], Veto(boson_pt_min=150.0),
                         "PROXY for EW Zjj (Pythia has no EW V+2j): VBF scalar m = 91 GeV, invisible, "
                         "veto pT < 150; spin 0, VBF diagrams only, sigma meaningless", proxy=True),
    "W_EW": ChannelSetup(VBF_H + ["25:m0 = 80.4", "25:onMode = off",
                                  "25:addChannel = 1 0.3333 100 11 -12", "25:addChannel = 1 0.3333 100 13 -14",
                                  "25:addChannel = 1 0.3334 100 15 -16", "Check:event = off"],
                         Veto(boson_pt_min=150.0, lost_lepton=True),
                         "PROXY for EW Wjj (Pythia has no EW V+2j): VBF scalar m = 80.4 GeV -> l nu, "
                         "veto pT < 150 and lost lepton; spin 0, VBF diagrams only, sigma meaningless", proxy=True),
    "MINBIAS": ChannelSetup(["SoftQCD:inelastic = on"], None, "SoftQCD:inelastic (pileup library)", parton_veto=None),
}
