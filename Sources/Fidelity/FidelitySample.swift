import Datasets
import Events
import Foundation
import Preprocessing
import Selection

/// The selected events of one channel from one generator, as the harness compares them: the
/// observables of each (`Observables.names`) and, when built from events, their PJ-LR images.
public struct FidelitySample: Sendable {
    public let channel: Channel
    /// Observables of the selected events, one row each.
    public private(set) var observables: [[Float]] = []
    /// PJ-LR images of the selected events (`ImageGeometry.lowResolution.pixels` values each,
    /// row after row); empty for a sample read from an observables file.
    public private(set) var images: [Float] = []
    /// Events offered to `add` (selected or not).
    public private(set) var offered = 0
    /// Whether `add` keeps images.
    public let keepsImages: Bool

    /// The baseline selection of the deep-learning study (met > 200 GeV).
    public static let selection = BaselineSelection()
    /// The image variant of the image-level test.
    public static let imageVariant = ImageVariant.pjLR

    public init(channel: Channel, keepImages: Bool) {
        self.channel = channel
        keepsImages = keepImages
    }

    /// A sample of precomputed observables (no images) of `offered` events offered to the selection.
    public init(channel: Channel, observables: [[Float]], offered: Int) {
        precondition(
            observables.allSatisfy { $0.count == Observables.count }, "rows of \(Observables.count) observables")
        self.channel = channel
        self.observables = observables
        self.offered = offered
        keepsImages = false
    }

    /// The number of selected events.
    public var count: Int { observables.count }
    /// Whether the sample has one image per selected event.
    public var hasImages: Bool { count > 0 && images.count == count * Self.imageVariant.geometry.pixels }

    /// Offers one event: if it passes the selection, keeps its observables (and image); returns
    /// whether it was kept.
    @discardableResult
    public mutating func add(_ event: Event, imager: inout EventImager) -> Bool {
        offered += 1
        guard Self.selection.passes(event) else { return false }
        observables.append(Observables.compute(event))
        if keepsImages {
            var rows: [ImageVariant: [Float]] = [:]
            imager.append(event, variants: [Self.imageVariant], to: &rows)
            images += rows[Self.imageVariant]!
        }
        return true
    }

    /// Frees the images (the page needs only the observables).
    public mutating func dropImages() { images = [] }

    /// Observable `index` of every event where it is defined (not NaN).
    public func column(_ index: Int) -> [Float] { observables.map { $0[index] }.filter { !$0.isNaN } }

    /// The first `n` events (observables and images).
    public func prefix(_ n: Int) -> FidelitySample {
        var copy = self
        copy.observables = Array(observables.prefix(n))
        if keepsImages { copy.images = Array(images.prefix(n * Self.imageVariant.geometry.pixels)) }
        return copy
    }
}
