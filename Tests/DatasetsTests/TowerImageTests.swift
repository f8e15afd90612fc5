import Datasets
import Foundation
import Testing

/// Image geometry on hand-built towers: shapes, pixel positions after rotation and reflection,
/// φ wrap-around, periodic padding and E_T conservation.
struct TowerImageTests {
    func image(_ geometry: ImageGeometry, et: [Float], eta: [Float], phi: [Float], phi0: Float, reflect: Bool)
        -> [Float]
    {
        var out = [Float](repeating: .nan, count: geometry.pixels)
        out.withUnsafeMutableBufferPointer { o in
            et.withUnsafeBufferPointer { e in
                eta.withUnsafeBufferPointer { h in
                    phi.withUnsafeBufferPointer { p in
                        TowerImage.fill(o, geometry: geometry, et: e, eta: h, phi: p, phi0: phi0, reflect: reflect)
                    }
                }
            }
        }
        return out
    }

    @Test func shapesAreThePapers() {
        #expect(ImageVariant.pjLR.geometry.height == 59 && ImageVariant.pjLR.geometry.width == 45)
        #expect(ImageVariant.pmetHR.geometry.height == 125 && ImageVariant.pmetHR.geometry.width == 95)
        #expect(ImageGeometry.lowResolution.phiBins == 37 && ImageGeometry.highResolution.phiBins == 79)
    }

    @Test func aTowerLandsInTheExpectedPixelAfterRotationAndReflection() {
        let g = ImageGeometry.lowResolution
        // η = −2 reflected to +2 → bin ⌊7/0.17⌋ = 41; φ = 3.0 − 2.5 = 0.5 → bin ⌊(0.5 + π)/0.17⌋ = 21.
        let img = image(g, et: [50], eta: [-2], phi: [3.0], phi0: 2.5, reflect: true)
        #expect(img[41 * g.width + g.padding + 21] == 50)
        #expect(img.reduce(0, +) == 50)
        let hr = ImageGeometry.highResolution // ⌊7/0.08⌋ = 87, ⌊(0.5 + π)/0.08⌋ = 45
        let imgHR = image(hr, et: [50], eta: [-2], phi: [3.0], phi0: 2.5, reflect: true)
        #expect(imgHR[87 * hr.width + hr.padding + 45] == 50)
        let unreflected = image(g, et: [50], eta: [-2], phi: [3.0], phi0: 2.5, reflect: false)
        #expect(unreflected[17 * g.width + g.padding + 21] == 50) // ⌊3/0.17⌋ = 17
    }

    @Test func phiWrapsAroundThePi() {
        let g = ImageGeometry.lowResolution
        // φ − φ0 = −3 − 1 = −4 → wrapped to 2π − 4 = 2.2832 → bin ⌊(2.2832 + π)/0.17⌋ = 31.
        let img = image(g, et: [7], eta: [0.01], phi: [-3], phi0: 1, reflect: false)
        #expect(img[29 * g.width + g.padding + 31] == 7)
        #expect(abs(TowerImage.wrap(-4) - (2 * .pi - 4)) < 1e-6)
        #expect(TowerImage.wrap(.pi) == -.pi)
        #expect(TowerImage.wrap(-.pi) == -.pi)
        for x in stride(from: Float(-20), to: 20, by: 0.37) {
            let w = TowerImage.wrap(x)
            #expect(w >= -.pi && w < .pi)
            #expect(abs(sin(w) - sin(x)) < 1e-4 && abs(cos(w) - cos(x)) < 1e-4)
        }
    }

    @Test(arguments: [ImageGeometry.lowResolution, .highResolution])
    func paddingCopiesTheOppositeEdgeAndEnergyIsConserved(geometry g: ImageGeometry) {
        var rng = SystemRandomNumberGenerator()
        let n = 400
        let et = (0..<n).map { _ in Float.random(in: 0.5...40, using: &rng) }
        let eta = (0..<n).map { _ in Float.random(in: -5.6...5.6, using: &rng) }
        let phi = (0..<n).map { _ in Float.random(in: -3.2...3.2, using: &rng) }
        let img = image(g, et: et, eta: eta, phi: phi, phi0: 0.7, reflect: true)
        for i in 0..<g.height {
            for k in 0..<g.padding {
                #expect(img[i * g.width + k] == img[i * g.width + g.phiBins + k], "front padding row \(i) col \(k)")
                #expect(
                    img[i * g.width + g.padding + g.phiBins + k] == img[i * g.width + g.padding + k], "back padding")
            }
        }
        var core = 0.0
        for i in 0..<g.height { for j in 0..<g.phiBins { core += Double(img[i * g.width + g.padding + j]) } }
        let inside = zip(et, eta).filter { abs($0.1) < 5 }.map { Double($0.0) }.reduce(0, +)
        #expect(abs(core - inside) < 1e-3 * inside)
    }

    @Test func variantListsParseAndRejectUnknownNames() throws {
        #expect(try ImageVariant.parseList("PJ-LR, Pmet-HR") == [.pjLR, .pmetHR])
        let error = #expect(throws: DatasetError.self) { try ImageVariant.parseList("PJ-LR,PJ-XR") }
        #expect(error?.description.contains("'PJ-XR'") == true)
    }
}
