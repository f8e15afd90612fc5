import Events
import Foundation

/// Anti-kt clustering (Cacciari, Salam, Soyez 2008) with the E-scheme, distances in
/// rapidity–azimuth exactly as FastJet computes them.
///
/// The algorithm keeps, for every active pseudojet, its geometric nearest neighbour within R
/// (the anti-kt minimum d_ij is always between a pseudojet and its geometric nearest neighbour),
/// found on a lazy rapidity–azimuth tiling, and the smallest distance in a tournament tree, so a
/// merge step costs O(log N) plus the neighbour updates of the tiles around it; O(N) memory
/// (`AntiKtClustering`).
public struct AntiKt: Sendable {
    /// Jet radius R.
    public var radius: Double
    /// Minimum p_T of the returned jets (GeV).
    public var ptMin: Double

    public init(radius: Double = 0.5, ptMin: Double = 20) {
        self.radius = radius
        self.ptMin = ptMin
    }

    /// Clusters towers (massless four-vectors at the cell centres) into jets above `ptMin`,
    /// ordered by decreasing p_T.
    public func cluster(_ towers: [Tower]) -> [Jet] {
        var px = [Double](), py = [Double](), pz = [Double](), e = [Double]()
        px.reserveCapacity(towers.count)
        py.reserveCapacity(towers.count)
        pz.reserveCapacity(towers.count)
        e.reserveCapacity(towers.count)
        for t in towers where t.et > 0 {
            let et = Double(t.et), eta = Double(t.eta), phi = Double(t.phi)
            px.append(et * cos(phi))
            py.append(et * sin(phi))
            pz.append(et * sinh(eta))
            e.append(et * cosh(eta))
        }
        return cluster(px: px, py: py, pz: pz, e: e)
    }

    /// Clusters four-vectors (px, py, pz, E) given as columns.
    public func cluster(px: [Double], py: [Double], pz: [Double], e: [Double]) -> [Jet] {
        if px.isEmpty { return [] }
        var clustering = AntiKtClustering(px: px, py: py, pz: pz, e: e, radius: radius, ptMin: ptMin)
        return clustering.run()
    }

    /// FastJet's rapidity and azimuth ([0, 2π)) of a four-vector, and its kt².
    @inline(__always)
    static func rapPhi(_ px: Double, _ py: Double, _ pz: Double, _ e: Double) -> (Double, Double, Double) {
        let kt2 = px * px + py * py
        var ph = kt2 == 0 ? 0 : atan2(py, px)
        if ph < 0 { ph += 2 * .pi }
        if ph >= 2 * .pi { ph -= 2 * .pi }
        let m2 = (e + pz) * (e - pz) - kt2
        let ePlus = e + abs(pz)
        var y = 0.5 * log((kt2 + max(0, m2)) / (ePlus * ePlus))
        if pz > 0 { y = -y }
        return (y, ph, kt2)
    }

    static func jet(_ px: Double, _ py: Double, _ pz: Double, _ e: Double) -> Jet {
        let pt = (px * px + py * py).squareRoot()
        let m2 = e * e - px * px - py * py - pz * pz
        return Jet(
            pt: Float(pt), eta: Float(Kinematics.pseudorapidity(px: px, py: py, pz: pz)),
            phi: Float(Kinematics.wrapPhi(atan2(py, px))), mass: Float(max(0, m2).squareRoot()))
    }
}
