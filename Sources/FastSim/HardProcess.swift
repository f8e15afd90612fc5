import Events
import Foundation

/// The parton-level hard process of one event: the tagging partons, the extra radiation,
/// and (for W) the visible decay products of the lost lepton. The invisible system is not
/// kept: nothing of it reaches the detector.
struct HardProcess {
    var tags: [Parton] = []
    var radiation: [Parton] = []
    /// Visible leptons from the W (e, μ) or the hadronic τ (as a narrow parton).
    var leptons: [Particle] = []
    var tauJets: [Parton] = []
    /// Transverse momentum that reaches no calorimeter: the invisible system, or for W the
    /// neutrino, a muon and the invisible part of a τ.
    var invisibleX = 0.0, invisibleY = 0.0

    /// The objects that make jets: tagging and radiated partons, hadronic τ, electrons.
    var jetSeeds: [Parton] {
        tags + radiation + tauJets
            + leptons.filter { abs($0.pid) == 11 }.map {
                Parton(pt: Double($0.pt), eta: Double($0.eta), phi: Double($0.phi))
            }
    }

    /// Draws the hard process of `model`; returns nil when a W lepton would be found
    /// (an e/μ with p_T > 10 GeV in the tracker): the caller counts that attempt and retries.
    static func generate(_ model: ChannelModel, rng: inout RandomStream) -> HardProcess? {
        var h = HardProcess()
        // Invisible system: dσ/dp_T ∝ p_T^−n above p_T,min.
        let ptV = model.invisiblePtMin * pow(rng.uniformPositive(), -1 / (model.invisiblePtIndex - 1))
        let phiV = rng.uniform(-.pi, .pi)
        var sumX = ptV * cos(phiV), sumY = ptV * sin(phiV)
        h.invisibleX = sumX
        h.invisibleY = sumY

        // Tagging parton rapidities.
        let deta = abs(rng.normal(mean: model.deltaEtaMean, sigma: model.deltaEtaSigma))
        let centre = rng.normal(mean: 0, sigma: model.centreSigma)
        var etas = (centre + deta / 2, centre - deta / 2)
        if rng.uniform() < 0.5 { etas = (etas.1, etas.0) }

        // Extra radiation: around the tagging partons (EW) or central (QCD).
        let nRad = rng.poisson(mean: model.radiationMean)
        for _ in 0..<nRad {
            let pt = 15 + rng.exponential(mean: model.radiationPtMean)
            let eta: Double
            if model.colourConnectedGap {
                eta = rng.normal(mean: 0, sigma: model.radiationEtaSigma)
            } else {
                eta = (rng.uniform() < 0.5 ? etas.0 : etas.1) + rng.normal(mean: 0, sigma: model.radiationEtaSigma)
            }
            let p = Parton(pt: pt, eta: eta, phi: rng.uniform(-.pi, .pi))
            h.radiation.append(p)
            sumX += p.px
            sumY += p.py
        }

        // Tagging partons balance the rest: j1 = z·Q + k, j2 = (1 − z)·Q − k with Q = −Σ.
        let z = rng.uniform(model.zMin, 1 - model.zMin)
        let kt = rng.exponential(mean: model.relativeKt), alpha = rng.uniform(-.pi, .pi)
        let kx = kt * cos(alpha), ky = kt * sin(alpha)
        h.tags = [
            Parton(px: -z * sumX + kx, py: -z * sumY + ky, eta: etas.0),
            Parton(px: -(1 - z) * sumX - kx, py: -(1 - z) * sumY - ky, eta: etas.1),
        ]

        if model.leptonicW {
            guard h.decayW(pt: ptV, phi: phiV, mass: model.invisibleMass, rng: &rng) else { return nil }
        }
        return h
    }

    /// W → ℓν with the lepton lost. Returns false when the lepton would be reconstructed.
    mutating func decayW(pt: Double, phi: Double, mass: Double, rng: inout RandomStream) -> Bool {
        let y = rng.normal(mean: 0, sigma: 1.2)
        let mt = (mass * mass + pt * pt).squareRoot()
        let (wx, wy, wz, we) = (pt * cos(phi), pt * sin(phi), mt * sinh(y), mt * cosh(y))
        // Isotropic decay in the rest frame, boosted to the lab.
        let cosT = rng.uniform(-1, 1), sinT = (1 - cosT * cosT).squareRoot(), ph = rng.uniform(-.pi, .pi)
        let p = mass / 2
        let (lx, ly, lz) = (p * sinT * cos(ph), p * sinT * sin(ph), p * cosT)
        let bx = wx / we, by = wy / we, bz = wz / we
        let b2 = bx * bx + by * by + bz * bz, g = 1 / (1 - b2).squareRoot()
        let bp = bx * lx + by * ly + bz * lz
        let k = (g - 1) * bp / b2 + g * p
        let (ex, ey, ez) = (lx + k * bx, ly + k * by, lz + k * bz)
        let lpt = (ex * ex + ey * ey).squareRoot()
        let leta = Kinematics.pseudorapidity(px: ex, py: ey, pz: ez), lphi = atan2(ey, ex)

        let flavour = Int(rng.uniform() * 3) // e, μ, τ
        var visible: (pid: Int32, fraction: Double)? = nil
        var hadronicFraction = 0.0
        switch flavour {
        case 0: visible = (11, 1)
        case 1: visible = (13, 1)
        default:
            let mode = rng.uniform()
            if mode < 0.175 {
                visible = (11, rng.uniform(0.05, 0.9))
            } else if mode < 0.35 {
                visible = (13, rng.uniform(0.05, 0.9))
            } else {
                hadronicFraction = rng.uniform(0.3, 1.0)
            }
        }
        var deposited = hadronicFraction
        if let v = visible {
            let vpt = lpt * v.fraction
            let etaMax = v.pid == 13 ? 2.4 : 2.5
            if vpt > 10 && abs(leta) < etaMax { return false }
            leptons.append(Particle(pt: Float(vpt), eta: Float(leta), phi: Float(lphi), pid: v.pid))
            if v.pid == 11 { deposited = v.fraction }
        }
        if hadronicFraction > 0 { tauJets.append(Parton(pt: lpt * hadronicFraction, eta: leta, phi: lphi)) }
        if abs(leta) >= 5 { deposited = 0 }
        invisibleX = wx - deposited * ex
        invisibleY = wy - deposited * ey
        return true
    }
}
