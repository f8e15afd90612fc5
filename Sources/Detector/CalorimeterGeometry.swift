import Events
import Foundation

/// The tower grid of a CMS-like calorimeter, symmetric in η and covering |η| < 5:
///
/// | region | |η| range | Δη | φ cells (Δφ) |
/// |---|---|---|---|
/// | barrel | 0 – 1.74 | 0.087 (20 rings per side) | 72 (0.0873) |
/// | endcap | 1.74 – 3.0 | 1.74, 1.83, 1.93, 2.043, 2.172, 2.322, 2.5, 2.65, 2.868, 3.0 | 36 (0.1745) |
/// | forward (HF) | 3.0 – 5.0 | 0.175 (10 rings to 4.75), then 4.75 – 5.0 | 18 (0.349) |
///
/// The endcap edges and the HF ring width are those of the Delphes CMS card. No ring width
/// divides R = 0.5 exactly, so anti-kt never meets towers at exactly ΔR = R from a tower axis. A cell is addressed by a flat index;
/// its tower is reported at the cell centre. φ cells start at −π.
public struct CalorimeterGeometry: Sendable {
    /// Ring edges in η from −5 to 5 (increasing).
    public let etaEdges: [Double]
    /// Number of φ cells of each ring.
    public let phiCells: [Int]
    /// First flat cell index of each ring.
    public let ringOffset: [Int]
    /// Total number of cells.
    public let cellCount: Int
    /// η and φ of every cell centre, by flat index.
    public let cellEta: [Float]
    public let cellPhi: [Float]
    /// cos φ, sin φ, sinh η and cosh η of every cell centre (of the Float values above, in
    /// double precision), so that code handling many towers need not recompute them.
    public let cellCosPhi: [Double], cellSinPhi: [Double], cellSinhEta: [Double], cellCoshEta: [Double]
    /// A first guess of the ring of η on a uniform grid of step `guessStep` from −5 (narrower
    /// than any ring, so the guess is at most one ring off).
    @usableFromInline let ringGuess: [Int]
    @usableFromInline static let guessStep = 0.01

    /// The standard geometry described above.
    public static let standard = CalorimeterGeometry()

    public init() {
        var positive: [Double] = (0...20).map { Double($0) * 0.087 }
        positive[20] = 1.74
        let endcap = [1.83, 1.93, 2.043, 2.172, 2.322, 2.5, 2.65, 2.868, 3.0]
        positive += endcap
        positive += (1...10).map { 3.0 + Double($0) * 0.175 } + [5.0]
        let edges = positive.reversed().dropLast().map { -$0 } + positive
        etaEdges = edges
        var cells: [Int] = []
        for r in 0..<(edges.count - 1) {
            let centre = abs(0.5 * (edges[r] + edges[r + 1]))
            cells.append(centre < 1.74 ? 72 : centre < 3.0 ? 36 : 18)
        }
        phiCells = cells
        var offsets = [0]
        for c in cells { offsets.append(offsets.last! + c) }
        ringOffset = offsets
        cellCount = offsets.last!
        var ceta = [Float](repeating: 0, count: offsets.last!)
        var cphi = [Float](repeating: 0, count: offsets.last!)
        for r in 0..<cells.count {
            let dphi = 2 * Double.pi / Double(cells[r])
            for k in 0..<cells[r] {
                ceta[offsets[r] + k] = Float(0.5 * (edges[r] + edges[r + 1]))
                cphi[offsets[r] + k] = Float(-Double.pi + (Double(k) + 0.5) * dphi)
            }
        }
        cellEta = ceta
        cellPhi = cphi
        cellCosPhi = cphi.map { cos(Double($0)) }
        cellSinPhi = cphi.map { sin(Double($0)) }
        cellSinhEta = ceta.map { sinh(Double($0)) }
        cellCoshEta = ceta.map { cosh(Double($0)) }
        ringGuess = (0..<Int(10 / Self.guessStep) + 1).map { k in
            let eta = -5 + Double(k) * Self.guessStep
            return max(0, min(edges.count - 2, (edges.lastIndex { $0 <= eta } ?? 0)))
        }
    }

    /// The maximum |η| covered.
    public var maxEta: Double { etaEdges.last! }

    /// The η ring holding `eta` (etaEdges[r] ≤ η < etaEdges[r + 1]), or nil outside the coverage.
    @inlinable
    public func ring(eta: Double) -> Int? {
        guard eta > etaEdges[0], eta < etaEdges[etaEdges.count - 1] else { return nil }
        var r = ringGuess[min(ringGuess.count - 1, Int((eta + 5) / Self.guessStep))]
        while etaEdges[r] > eta { r -= 1 }
        while etaEdges[r + 1] <= eta { r += 1 }
        return r
    }

    /// The flat cell index of (η, φ), or nil outside the coverage.
    @inlinable
    public func cell(eta: Double, phi: Double) -> Int? {
        guard let r = ring(eta: eta) else { return nil }
        return cell(ring: r, phi: phi)
    }

    /// The flat cell index of azimuth φ in η ring `ring`.
    @inlinable
    public func cell(ring r: Int, phi: Double) -> Int {
        let n = phiCells[r]
        let x = (Kinematics.wrapPhi(phi) + .pi) / (2 * .pi) * Double(n)
        let k = min(n - 1, max(0, Int(x)))
        return ringOffset[r] + k
    }
}
