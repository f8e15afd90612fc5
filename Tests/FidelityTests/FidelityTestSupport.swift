import Events
import Fidelity
import Foundation
import Generation
import Preprocessing

/// Fastsim samples for the harness's tests: events of (channel, seed) through the detector and
/// the baseline selection until `selected` are kept. `distort` changes the selected events before
/// they are kept (after the selection, so that the selection does not sculpt the distortion away;
/// it must leave them selected).
enum FastSimSamples {
    static func sample(
        _ channel: Channel, seed: UInt64, selected: Int, images: Bool = false,
        distort: ((inout Event) -> Void)? = nil
    ) -> FidelitySample {
        let pipeline = FastSimPipeline(channel: channel, seed: seed)
        var sample = FidelitySample(channel: channel, keepImages: images)
        var imager = EventImager()
        var i = 0
        while sample.count < selected {
            var event = pipeline.event(i).event
            if let distort, FidelitySample.selection.passes(event) { distort(&event) }
            sample.add(event, imager: &imager)
            i += 1
        }
        return sample
    }
}
