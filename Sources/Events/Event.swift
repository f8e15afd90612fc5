/// A calorimeter tower: transverse energy (GeV) at the cell centre (η, φ).
public struct Tower: Sendable, Equatable {
    public var et: Float
    public var eta: Float
    public var phi: Float
    public init(et: Float, eta: Float, phi: Float) {
        self.et = et
        self.eta = eta
        self.phi = phi
    }
}

/// A reconstructed jet (anti-kt, E-scheme): p_T (GeV), η, φ, mass (GeV).
public struct Jet: Sendable, Equatable {
    public var pt: Float
    public var eta: Float
    public var phi: Float
    public var mass: Float
    public init(pt: Float, eta: Float, phi: Float, mass: Float) {
        self.pt = pt
        self.eta = eta
        self.phi = phi
        self.mass = mass
    }
}

/// A reconstructed electron (pid 11), muon (13) or photon (22), used by the vetoes.
public struct RecoObject: Sendable, Equatable {
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
}

/// Missing transverse momentum: magnitude (GeV) and azimuth.
public struct MissingET: Sendable, Equatable {
    public var value: Float
    public var phi: Float
    public init(value: Float, phi: Float) {
        self.value = value
        self.phi = phi
    }
}

/// A reconstructed event: towers, jets (p_T-ordered), leptons/photons, MET, channel and weight.
public struct Event: Sendable, Equatable {
    public var towers: [Tower]
    public var jets: [Jet]
    public var leptons: [RecoObject]
    public var met: MissingET
    public var channel: Channel
    public var weight: Float

    public init(
        towers: [Tower] = [], jets: [Jet] = [], leptons: [RecoObject] = [],
        met: MissingET = MissingET(value: 0, phi: 0), channel: Channel, weight: Float = 1
    ) {
        self.towers = towers
        self.jets = jets
        self.leptons = leptons
        self.met = met
        self.channel = channel
        self.weight = weight
    }
}
