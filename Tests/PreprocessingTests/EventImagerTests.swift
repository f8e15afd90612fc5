import Datasets
import Events
import Preprocessing
import Testing

/// Tower images (paper §4): rotated to φ_j1 (PJ) or φ_met (Pmet), reflected so that η_j1 > 0.
@Suite struct EventImagerTests {
    static let event = Event(
        towers: [Tower(et: 50, eta: -1.2, phi: 2.0), Tower(et: 7, eta: 0.5, phi: -1.0)],
        jets: [Jet(pt: 80, eta: -1.2, phi: 2.0, mass: 10)], met: MissingET(value: 60, phi: -1.0),
        channel: .sEW)

    /// The E_T of pixel (η′, φ′) of an image (φ′ in the unpadded range).
    static func pixel(_ image: [Float], _ geometry: ImageGeometry, eta: Float, phi: Float) throws -> Float {
        let bin = try #require(geometry.bin(eta: eta, phi: phi))
        return image[bin.eta * geometry.width + geometry.padding + bin.phi]
    }

    @Test func towersAreRotatedAndReflected() throws {
        var imager = EventImager()
        var rows: [ImageVariant: [Float]] = [:]
        imager.append(Self.event, variants: [.pjLR, .pmetHR], to: &rows)
        let lr = ImageGeometry.lowResolution, hr = ImageGeometry.highResolution
        let pj = rows[.pjLR] ?? [], pmet = rows[.pmetHR] ?? []
        #expect(pj.count == lr.pixels && pmet.count == hr.pixels)
        // PJ: the leading jet's tower at φ′ = 0 and, the jet being at η < 0, reflected to η′ = +1.2.
        #expect(try Self.pixel(pj, lr, eta: 1.2, phi: 0) == 50)
        // Pmet: the tower at φ_met moves to φ′ = 0, reflected with the leading jet to η′ = −0.5.
        #expect(try Self.pixel(pmet, hr, eta: -0.5, phi: 0) == 7)
        // The unpadded columns hold every tower's E_T once.
        for (image, geometry) in [(pj, lr), (pmet, hr)] {
            var sum = 0.0
            for i in 0..<geometry.height {
                for j in geometry.padding..<(geometry.padding + geometry.phiBins) {
                    sum += Double(image[i * geometry.width + j])
                }
            }
            #expect(abs(sum - 57) < 1e-4)
        }
    }

    @Test func eachEventAppendsOneImagePerVariant() {
        var imager = EventImager()
        var rows: [ImageVariant: [Float]] = [:]
        for _ in 0..<3 { imager.append(Self.event, variants: [.pjLR], to: &rows) }
        #expect(rows.keys.sorted { $0.rawValue < $1.rawValue } == [.pjLR])
        #expect(rows[.pjLR]?.count == 3 * ImageGeometry.lowResolution.pixels)
    }
}
