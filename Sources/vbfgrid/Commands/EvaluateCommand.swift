import ArgumentParser
import Evaluation
import Stages

/// `vbfgrid evaluate`: the best model of a training run over the validation split.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: EvaluateStage.Options.command,
        abstract: "Score the validation split with the best model of a training run (outputs.h5, metrics.json).",
        discussion: """
            Loads RUN/best.h5 (the network is recorded in the checkpoint's training/network attribute), scores \
            every validation event of the data set and writes OUT/outputs.h5 (score = P(signal) float32, label \
            uint8, channel uint8, weight float32, event_id int64 [n,2]; attributes network, run, dataset) and \
            OUT/metrics.json (AUC, thinned ROC (ε_S, 1/ε_B), accuracy at 0.5, separation ⟨S²⟩ of the output, \
            per-channel output histograms, event counts). With --jes also score_jes_up and score_jes_down: the \
            network re-evaluated with every image pixel (CNNs) or every energy-like feature (m_jj, met, HT_ηC; \
            not angles or Δη) scaled by 1.1 and 0.9 before z-scoring. Under mpirun/srun each rank scores a \
            contiguous slice and all ranks write outputs.h5 collectively (MPI-IO); the file is byte-identical \
            to a one-rank run. Files are written under temporary names and renamed into place.
            Example: vbfgrid evaluate --run runs/kann-s1 --dataset data/pu0 --out eval/kann-s1 --jes
            """)

    @OptionGroup var options: EvaluateStage.Options

    func run() throws { try EvaluateStage(options: options).execute() }
}
