/// Per-stage cost model for `grid plan`: CPU seconds per task, from figures measured on this
/// project's 2-core development machine (AMD Zen, Debian 12) where they exist, and from stated
/// estimates where the stage is not benchmarked yet. All constants live here; refine them from
/// `vbfgrid bench …` output. See docs/grid-spec.md, "Cost model".
public enum CostModel {
    /// Pythia 8 at 13 TeV with MPI: 9–11 ms per generated event, plus 6–8 ms of particle loop and
    /// jet finding (notes: pythia8.md, measured here). Per generated event, before selection.
    public static let pythiaSecondsPerEvent = 0.017
    /// Built-in fast simulation: estimate (parton-level kinematics, a few hundred towers per event,
    /// no showering), 20× cheaper than Pythia. Not benchmarked yet.
    public static let fastsimSecondsPerEvent = 0.001
    /// Fraction of generated events passing the baseline selection (needed to fill a data set);
    /// estimate for the VBF cuts of section 2.3 with generator-level VBF filters.
    public static let selectionEfficiency = 0.25
    /// Overlay: adding one min-bias event's towers to an event (≈ 300 towers, merge + sum); estimate.
    public static let overlaySecondsPerMinbiasEvent = 20e-6
    /// Preprocessing: rotate, reflect, bin and pad one event into one image variant; estimate.
    public static let preprocessSecondsPerEventVariant = 200e-6
    /// Sustained sgemm rate of one core in training: half of the 70 GFLOP/s single-core peak measured
    /// for the im2col shapes with OpenBLAS on this machine (notes: swift-mpi-hdf5-blas.md).
    public static let trainingFlopsPerSecond = 35e9
    /// Floor per event and pass for the small ANNs, where overheads dominate the arithmetic; estimate.
    public static let minimumSecondsPerEventPass = 5e-6
    /// Limits (asymptotic CLs: a few likelihood fits of tens of bins per luminosity) and the report:
    /// fixed estimates per task.
    public static let limitsSeconds = 20.0
    public static let reportSeconds = 30.0

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
        let widths: [Int] = switch network {
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
        let perEvent = spec.samples.generator == "pythia" ? pythiaSecondsPerEvent : fastsimSecondsPerEvent
        let dataset = Double(spec.samples.train + spec.samples.validation)
        switch task.stage {
        case "generate", "minbias":
            return Double(Int(p["events"] ?? "0") ?? 0) * perEvent
        case "overlay":
            let events = Double(spec.samples.events[p["channel"] ?? ""] ?? 0) * selectionEfficiency
            return events * (Double(p["mean"] ?? "0") ?? 0) * overlaySecondsPerMinbiasEvent
        case "preprocess":
            return dataset / selectionEfficiency * Double(spec.images.count + 1) * preprocessSecondsPerEventVariant
        case "train":
            let network = p["network"] ?? ""
            let seeds = Double((p["seeds"] ?? "").split(separator: ",").count)
            let epoch = Double(spec.samples.train) * eventSeconds(network: network, passes: 3)
                + Double(spec.samples.validation) * eventSeconds(network: network, passes: 1)
            return seeds * Double(Int(p["epochs"] ?? "0") ?? 0) * epoch
        case "evaluate":
            let variations = p["jes"] == "true" ? 3.0 : 1.0
            return variations * Double(spec.samples.validation) * eventSeconds(network: p["network"] ?? "", passes: 1)
        case "limits":
            return limitsSeconds
        case "report":
            return reportSeconds
        default:
            return 1
        }
    }
}
