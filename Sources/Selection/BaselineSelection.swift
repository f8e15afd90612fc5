import Events
import Foundation

/// The paper's baseline selection (§2.3), cut by cut. j1 and j2 are the two
/// leading jets (p_T > 20 GeV, as reconstructed). The τ/b veto of the paper needs τ and
/// b tags, which the event model does not carry: it is listed and passes every event.
public struct BaselineSelection: Sendable {
    /// The MET threshold (GeV): 200 for the deep-learning study, 250 for the cut-based comparison.
    public var metCut: Float

    public init(metCut: Float = 200) { self.metCut = metCut }

    /// The cuts in the order they are applied.
    public enum Cut: Int, CaseIterable, Sendable {
        case jets, leptonVeto, photonVeto, tauBVeto, met, minDeltaPhi, jetEta, oppositeHemispheres,
            deltaPhiJJ, deltaEtaJJ, mjj

        public var label: String {
            switch self {
            case .jets: "≥2 jets, pT(j1) > 80, pT(j2) > 40"
            case .leptonVeto: "lepton veto (e pT>10 |η|<2.5; μ pT>10 |η|<2.4)"
            case .photonVeto: "photon veto (pT>15 |η|<2.5)"
            case .tauBVeto: "τ/b veto (not modelled)"
            case .met: "met > cut"
            case .minDeltaPhi: "min Δφ(met, j≤4: pT>30 |η|<4.7) > 0.5"
            case .jetEta: "|η_j1,2| < 4.7, one < 3"
            case .oppositeHemispheres: "η_j1·η_j2 < 0"
            case .deltaPhiJJ: "|Δφ_jj| < 1.5"
            case .deltaEtaJJ: "|Δη_jj| > 1"
            case .mjj: "m_jj > 200"
            }
        }
    }

    /// The first cut the event fails, or nil if it passes them all.
    public func firstFailure(_ event: Event) -> Cut? {
        let jets = event.jets
        guard jets.count >= 2, jets[0].pt > 80, jets[1].pt > 40 else { return .jets }
        for l in event.leptons {
            if l.pid == 11 && l.pt > 10 && abs(l.eta) < 2.5 { return .leptonVeto }
            if l.pid == 13 && l.pt > 10 && abs(l.eta) < 2.4 { return .leptonVeto }
        }
        for l in event.leptons where l.pid == 22 && l.pt > 15 && abs(l.eta) < 2.5 { return .photonVeto }
        guard event.met.value > metCut else { return .met }
        var used = 0
        for j in jets where j.pt > 30 && abs(j.eta) < 4.7 && used < 4 {
            used += 1
            if Kinematics.absDeltaPhi(Double(j.phi), Double(event.met.phi)) <= 0.5 { return .minDeltaPhi }
        }
        let j1 = jets[0], j2 = jets[1]
        guard abs(j1.eta) < 4.7, abs(j2.eta) < 4.7, abs(j1.eta) < 3 || abs(j2.eta) < 3 else { return .jetEta }
        guard j1.eta * j2.eta < 0 else { return .oppositeHemispheres }
        guard Kinematics.absDeltaPhi(Double(j1.phi), Double(j2.phi)) < 1.5 else { return .deltaPhiJJ }
        guard abs(j1.eta - j2.eta) > 1 else { return .deltaEtaJJ }
        guard Kinematics.invariantMass(j1, j2) > 200 else { return .mjj }
        return nil
    }

    /// True if the event passes every cut.
    public func passes(_ event: Event) -> Bool { firstFailure(event) == nil }
}

/// Events surviving each cut, per channel.
public struct Cutflow: Sendable {
    /// counts[channel][k] = events passing cuts 0…k−1 (k = 0: all events); index by channel id.
    public private(set) var counts: [[Int]] = Array(
        repeating: Array(repeating: 0, count: BaselineSelection.Cut.allCases.count + 1),
        count: Channel.allCases.count)

    public init() {}

    /// Records the event's fate under `selection`; returns true if it passed.
    @discardableResult
    public mutating func record(_ event: Event, _ selection: BaselineSelection) -> Bool {
        let failed = selection.firstFailure(event)
        let reached = failed?.rawValue ?? BaselineSelection.Cut.allCases.count
        let c = Int(event.channel.rawValue)
        for k in 0...reached { counts[c][k] += 1 }
        return failed == nil
    }

    /// Adds another cutflow's counts.
    public mutating func add(_ other: Cutflow) {
        for c in counts.indices { for k in counts[c].indices { counts[c][k] += other.counts[c][k] } }
    }

    /// Total and passing counts for a channel.
    public func total(_ channel: Channel) -> Int { counts[Int(channel.rawValue)][0] }
    public func selected(_ channel: Channel) -> Int { counts[Int(channel.rawValue)].last! }

    /// A text table: per cut, the cumulative efficiency of every channel present.
    public func table() -> String {
        let present = Channel.allCases.filter { total($0) > 0 }
        var s = "cut".padding(toLength: 48, withPad: " ", startingAt: 0)
        for c in present { s += c.name.padding(toLength: 10, withPad: " ", startingAt: 0) }
        s += "\n"
        for cut in BaselineSelection.Cut.allCases {
            s += cut.label.padding(toLength: 48, withPad: " ", startingAt: 0)
            for c in present {
                let eff = Double(counts[Int(c.rawValue)][cut.rawValue + 1]) / Double(total(c))
                s += String(format: "%-10.4f", eff)
            }
            s += "\n"
        }
        return s
    }
}
