/// The argument vectors of the stage subcommands, in one place: the contract between the grid
/// and the stages. Folders are written with the placeholders of `GridTask` (`{task}`,
/// `{tasks}`, `{run}`). When a stage's options change, change them here only.
public enum StageCommands {
    /// The channel name `vbfgrid generate` uses for the min-bias library.
    public static let minbiasChannel = "MINBIAS"

    /// `shardIndex`: only that shard of the sharded request (the same file as in the whole run).
    /// `minInvisiblePt`: fastsim's preselection floor (GeV), nil for the command's default;
    /// `particlePreselection`: false turns off fastsim's particle-level preselection stage.
    public static func generate(channel: String, events: Int, seed: UInt64, shardSize: Int, shardIndex: Int? = nil,
                                minInvisiblePt: Double? = nil, particlePreselection: Bool = true,
                                generator: String, inputFile: String?) -> [String] {
        var args = ["generate", "--channel", channel, "--events", String(events), "--seed", String(seed),
                    "--out", "{task}/events", "--shard-size", String(shardSize)]
        if let shardIndex { args += ["--shard-index", String(shardIndex)] }
        if let minInvisiblePt { args += ["--min-invisible-pt", format(minInvisiblePt)] }
        if !particlePreselection { args.append("--no-particle-preselection") }
        if generator != "fastsim" { args += ["--generator", generator] }
        if let inputFile { args += ["--input", inputFile] }
        return args
    }

    public static func overlay(events: String, minbias: String, mean: Double, seed: UInt64, keepHardObjects: Bool) -> [String] {
        var args = ["overlay", "--input", events, "--minbias", minbias, "--mean", format(mean), "--seed", String(seed),
                    "--out", "{task}/events"]
        if keepHardObjects { args.append("--keep-hard-objects") }
        return args
    }

    public static func preprocess(inputs: [String], metCut: Double, images: [String], train: Int, validation: Int,
                                  seed: UInt64) -> [String] {
        ["preprocess", "--input"] + inputs + ["--out", "{task}/dataset", "--met-cut", format(metCut),
                                              "--images", images.joined(separator: ","), "--train", String(train),
                                              "--validation", String(validation), "--seed", String(seed)]
    }

    /// One seed: `--seed S --out {task}/run`; several: `--seeds s1,s2 --out {task}/runs` (one `seed-S` folder each).
    public static func train(dataset: String, network: String, epochs: Int, seeds: [UInt64]) -> [String] {
        var args = ["train", "--dataset", dataset, "--network", network, "--epochs", String(epochs)]
        if seeds.count == 1 {
            args += ["--seed", String(seeds[0]), "--out", "{task}/run"]
        } else {
            args += ["--seeds", seeds.map(String.init).joined(separator: ","), "--out", "{task}/runs"]
        }
        return args + ["--resume"]
    }

    /// The run folder of one seed of a training task (whose template is `train(...)`).
    public static func trainingRun(task: String, seed: UInt64, grouped: Bool) -> String {
        grouped ? "\(task)/runs/seed-\(seed)" : "\(task)/run"
    }

    public static func evaluate(run: String, dataset: String, jes: Bool) -> [String] {
        ["evaluate", "--run", run, "--dataset", dataset, "--out", "{task}/evaluation"] + (jes ? ["--jes"] : [])
    }

    public static func limits(evaluations: [String], dataset: String, analysis: String,
                              limits: GridSpec.Limits) -> [String] {
        ["limits", "--evaluations"] + evaluations + ["--dataset", dataset, "--analysis", analysis,
                                                     "--luminosities", limits.luminosities.map(format).joined(separator: ","),
                                                     "--out", "{task}/limits"] + model(limits)
    }

    public static func cutBasedLimits(observable: String, metCut: Int, dataset: String, limits: GridSpec.Limits) -> [String] {
        ["limits", "--cut-based", observable, "--met-cut", String(metCut), "--dataset", dataset,
         "--luminosities", limits.luminosities.map(format).joined(separator: ","), "--out", "{task}/limits"] + model(limits)
    }

    /// The statistical-model options of a limits task: the JES shape systematic and the spec's
    /// systematics and physics-table overrides.
    static func model(_ limits: GridSpec.Limits) -> [String] {
        var args: [String] = limits.jes ? ["--jes"] : []
        let sys = limits.systematics
        if let lumi = sys.lumi { args += ["--lumi-uncertainty", String(lumi)] }
        if !sys.xsec.isEmpty {
            args += ["--xsec-uncertainty", sys.xsec.keys.sorted().map { "\($0)=\(sys.xsec[$0]!)" }.joined(separator: ",")]
        }
        if !sys.physics.isEmpty {
            args += ["--physics", sys.physics.keys.sorted().map { "\($0)=\(sys.physics[$0]!)" }.joined(separator: ",")]
        }
        return args
    }

    public static func report() -> [String] { ["report", "{run}"] }

    /// Numbers as the command line wants them: `20`, not `20.0`; `2.5` stays.
    public static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
