/// A visible final-state particle (massless for kinematics): p_T (GeV), η, φ and its PDG id.
public struct Particle: Sendable, Equatable {
    public var pt: Float
    public var eta: Float
    public var phi: Float
    public var pid: Int32
    public init(pt: Float, eta: Float, phi: Float, pid: Int32) {
        self.pt = pt
        self.eta = eta
        self.phi = phi
        self.pid = pid
    }

    /// The calorimeter's view of a particle species.
    public enum Kind: Sendable { case electromagnetic, hadronic, muon, invisible }

    /// How the calorimeter sees the particle: e/γ in the ECAL, hadrons in the HCAL,
    /// muons as minimum-ionising, neutrinos (and anything invisible) not at all.
    public var kind: Kind {
        switch abs(pid) {
        case 11, 22: .electromagnetic
        case 13: .muon
        case 12, 14, 16, 18, 25, 1000022: .invisible
        default: .hadronic
        }
    }
}

/// A particle-level event: the visible final state of one generated event, its channel and weight.
public struct ParticleEvent: Sendable, Equatable {
    public var particles: [Particle]
    public var channel: Channel
    public var weight: Float
    public init(particles: [Particle] = [], channel: Channel, weight: Float = 1) {
        self.particles = particles
        self.channel = channel
        self.weight = weight
    }
}
