import Datasets
import Evaluation
import Events
import Fidelity
import Generation
import Limits
import NeuralNet
import Pileup
import Preprocessing
import Stages
import Training

/// The contract between the grid and the stages: the typed options of every physics task, built
/// from the spec. A task's argument vector is `options.commandLine`, written by the same
/// declarations the stage's command parses with. Folders are written with the placeholders of
/// `GridTask` (`{task}`, `{tasks}`, `{run}`).
enum StageTasks {
    /// One shard (`shardIndex`) of a channel's sample (fastsim or Pythia).
    /// `minInvisiblePt`: fastsim's preselection floor (GeV), nil for the stage's default;
    /// `particlePreselection`: false turns off fastsim's particle-level preselection stage;
    /// `partonVeto`: false turns off the Pythia adapter's parton-level veto.
    static func generate(
        _ samples: GridSpec.Samples, channel: Channel, events: Int, seed: UInt64, shardIndex: Int?,
        minInvisiblePt: Double? = nil, particlePreselection: Bool = true, partonVeto: Bool = true
    ) -> GenerateStage.Options {
        GenerateStage.Options(
            generator: samples.generator, channel: channel, events: events, seed: Int(seed), out: "{task}/events",
            shardSize: samples.shardSize, shardIndex: shardIndex, minInvisiblePt: minInvisiblePt,
            noParticlePreselection: !particlePreselection, noPartonVeto: !partonVeto)
    }

    /// The task that turns one existing file of `channel` into events, by its format: a copy into
    /// `{task}/events` (`generate --generator files`), the `detector` stage, or `import-delphes`
    /// (both writing `{task}/<name>.h5`). Returns the options and where the events are.
    static func input(_ file: InputFile, channel: Channel, seed: UInt64) -> (options: any StageOptions, events: String)
    {
        let out = "{task}/" + file.eventsFileName
        switch file.format {
        case .events:
            let options = GenerateStage.Options(
                generator: .files, channel: channel, events: file.events ?? 1, seed: Int(seed), out: "{task}/events",
                input: file.path)
            return (options, options.out)
        case .particles:
            var options = DetectorStage.Options()
            options.input = file.path
            options.out = out
            return (options, out)
        case .delphes:
            var options = ImportDelphesStage.Options()
            options.inputs = [file.path]
            options.channel = channel
            options.out = out
            (options.crossSectionFb, options.nGenerated) = (nil, nil)
            return (options, out)
        }
    }

    static func overlay(events: String, minbias: [String], mean: Double, seed: UInt64, keepHardObjects: Bool)
        -> OverlayStage.Options
    {
        OverlayStage.Options(
            input: [events], minbias: minbias, mean: mean, seed: seed, out: "{task}/events",
            keepHardObjects: keepHardObjects)
    }

    static func preprocess(
        inputs: [String], samples: GridSpec.Samples, images: [ImageVariant], seed: UInt64, train: Int? = nil
    ) -> PreprocessStage.Options {
        PreprocessStage.Options(
            input: inputs, out: "{task}/dataset", metCut: Float(samples.metCut), images: images,
            train: train ?? samples.train, validation: samples.validation, seed: seed,
            validationFirst: samples.learningCurve != nil)
    }

    /// One seed: `--seed S --out {task}/run`; several: `--seeds s1,s2 --out {task}/runs` (one
    /// `seed-S` folder each, `TrainStage.Options.runDirectory(seed:)`). Always resumable.
    static func train(dataset: String, network: Network, epochs: Int, seeds: [UInt64]) -> TrainStage.Options {
        TrainStage.Options(
            network: network, dataset: dataset, epochs: epochs, seed: seeds[0],
            seeds: seeds.count > 1 ? .list(seeds) : nil, out: seeds.count > 1 ? "{task}/runs" : "{task}/run",
            resume: true)
    }

    static func evaluate(run: String, dataset: String, jes: Bool) -> EvaluateStage.Options {
        EvaluateStage.Options(runDirectory: run, dataset: dataset, out: "{task}/evaluation", jes: jes)
    }

    /// The network analysis of the evaluations of one network's seeds (cut-based: none, and
    /// `analysis` nil), with the spec's luminosities, the JES shape systematic and the spec's
    /// systematics and physics-table overrides.
    static func limits(evaluations: [String], dataset: String, analysis: String?, limits: GridSpec.Limits)
        -> LimitsStage.Options
    {
        LimitsStage.Options(
            evaluations: evaluations, dataset: dataset, analysis: analysis, luminosities: limits.luminosities,
            out: "{task}/limits", jes: limits.jes, lumiUncertainty: limits.systematics.lumi,
            xsecUncertainty: limits.systematics.xsec, physics: limits.systematics.physics)
    }

    static func cutBasedLimits(_ cut: GridSpec.CutBased, dataset: String, limits: GridSpec.Limits)
        -> LimitsStage.Options
    {
        var options = self.limits(evaluations: [], dataset: dataset, analysis: nil, limits: limits)
        options.cutBased = cut.observable
        options.metCut = Double(cut.metCut)
        return options
    }

    /// fastsim's events of the grid (`fastsim`: the generate tasks' folders) against the spec's reference.
    static func fidelity(_ fidelity: GridSpec.Fidelity, fastsim: [String], seed: UInt64) -> FidelityStage.Options {
        FidelityStage.Options(
            reference: fidelity.reference, fastsim: fastsim, events: fidelity.events, seed: seed,
            out: "{task}/fidelity")
    }

    /// `vbfgrid report RUN` (the report command's one argument).
    static let report = ["report", "{run}"]
}
