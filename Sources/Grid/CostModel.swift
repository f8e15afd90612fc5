/// Per-stage cost model for `grid plan`: CPU seconds per task, from `vbfgrid bench` figures and
/// run times measured on this project's 2-core development machine (AMD Zen 4, Debian 12, release
/// build, one thread per rank). All constants live here; docs/grid-spec.md ("Cost model") says where
/// each comes from. Refine them from `vbfgrid bench …` and `grid status` timings on your machines.
public enum CostModel {
    /// Pythia 8 at 13 TeV with MPI, plus the detector: 8.7 ms per generated event (docs/physics.md).
    public static let pythiaSecondsPerEvent = 0.0087
    /// fastsim + detector, seconds per written event (`vbfgrid bench fastsim`: about 6,000 written
    /// events per CPU second over the six channels, preselection attempts included; min-bias events,
    /// with fewer particles, about 7,000).
    public static let fastsimSecondsPerEvent = (hard: 1.0 / 6000, minbias: 1.0 / 7000)
    /// Overlay, seconds per event and per min-bias event added (`vbfgrid bench overlay`, ⟨N⟩ = 50:
    /// 880 events per CPU-second with jets and MET reclustered, 6,700 with `--keep-hard-objects`).
    public static let overlaySecondsPerMinbiasEvent = (reclustered: 23e-6, keepHardObjects: 3e-6)
    /// Preprocessing, seconds per input event and per (image variant + 1) (`vbfgrid bench preprocess`:
    /// 54,000 input events per CPU-second with four variants and the features).
    public static let preprocessSecondsPerEventVariant = 3.7e-6
    /// Training arithmetic rate of one rank: PJ-LR-CNN trains at 70 samples per CPU-second on one
    /// rank with the oneDNN convolutions on an Intel Xeon (Ice Lake, AVX-512; `vbfgrid bench train`,
    /// median of 3; 43 with the im2col reference path), 3 × 0.563 GFLOP per sample.
    public static let trainingFlopsPerSecond = 118e9
    /// Floor per event and pass for the small ANNs, where overheads dominate the arithmetic
    /// (K-ANN: 2.2 million sample-epochs in 3 s, H-ANN 4.5 million in 12 s, data loading included).
    public static let minimumSecondsPerEventPass = 1e-6
    /// Limits (0.2–0.4 s per task in the demo) and the report (2 s): fixed per task, rounded up.
    public static let limitsSeconds = 1.0
    public static let reportSeconds = 5.0
    /// The fidelity task: 2.5 CPU-seconds for the demo's events of the six channels against the
    /// committed Pythia reference (release build, Intel Xeon Ice Lake), rounded up.
    public static let fidelitySeconds = 5.0

    /// Forward floating-point operations of one event through `network`.
    public static func forwardFlops(network: String) -> Double {
        if network.hasSuffix("-CNN") {
            var (h, w) = network.contains("-HR-") ? (125, 95) : (59, 45)
            var flops = 0.0, channels = 1
            for _ in 0..<3 {
                for _ in 0..<2 {
                    flops += 2 * Double(h * w * channels * 64 * 16)
                    channels = 64
                }
                h /= 2
                w /= 2
            }
            let widths = [h * w * 64, 300, 300, 300, 2]
            for i in 0..<widths.count - 1 { flops += 2 * Double(widths[i] * widths[i + 1]) }
            return flops
        }
        let widths: [Int] =
            switch network {
            case "K-ANN": [8, 8, 8, 4, 4, 2]
            case "R-ANN": [16, 16, 16, 11, 11, 6, 6, 2]
            default: [24, 24, 24, 19, 19, 14, 14, 9, 9, 2]
            }
        return (0..<widths.count - 1).reduce(0) { $0 + 2 * Double(widths[$1] * widths[$1 + 1]) }
    }

    /// Seconds of one event through forward (1) or forward + backward (3).
    static func eventSeconds(network: String, passes: Double) -> Double {
        max(forwardFlops(network: network) * passes / trainingFlopsPerSecond, minimumSecondsPerEventPass * passes)
    }

    /// Estimated CPU seconds (summed over ranks) of `task` in `spec`.
    public static func cpuSeconds(of task: GridTask, spec: GridSpec) -> Double {
        let p = task.parameters
        switch task.stage {
        case "generate", "minbias":
            let events = Double(Int(p["shard_events"] ?? p["events"] ?? "0") ?? 0)
            switch spec.samples.generator {
            case .pythia: return events * pythiaSecondsPerEvent
            case .files: return 1
            case .fastsim:
                return events * (task.stage == "minbias" ? fastsimSecondsPerEvent.minbias : fastsimSecondsPerEvent.hard)
            }
        case "overlay":
            let events = Double(Int(p["events"] ?? "0") ?? 0), mean = Double(p["mean"] ?? "0") ?? 0
            let perMinbias =
                p["keep_hard_objects"] == "true"
                ? overlaySecondsPerMinbiasEvent.keepHardObjects
                : overlaySecondsPerMinbiasEvent.reclustered
            return events * mean * perMinbias
        case "preprocess":
            let counted = spec.samples.inputs.filter { $0.key != .minBias }.values.joined().compactMap(\.events)
            let inputs = Double(spec.samples.events.values.reduce(0, +) + counted.reduce(0, +))
            return inputs * Double(spec.images.count + 1) * preprocessSecondsPerEventVariant
        case "train":
            let network = p["network"] ?? ""
            let seeds = Double((p["seeds"] ?? "").split(separator: ",").count)
            let epoch =
                Double(spec.samples.train) * eventSeconds(network: network, passes: 3)
                + Double(spec.samples.validation) * eventSeconds(network: network, passes: 1)
            return seeds * Double(Int(p["epochs"] ?? "0") ?? 0) * epoch
        case "evaluate":
            let variations = p["jes"] == "true" ? 3.0 : 1.0
            return variations * Double(spec.samples.validation) * eventSeconds(network: p["network"] ?? "", passes: 1)
        case "limits":
            return limitsSeconds
        case "report":
            return reportSeconds
        case "fidelity":
            return fidelitySeconds
        default:
            return 1
        }
    }
}
