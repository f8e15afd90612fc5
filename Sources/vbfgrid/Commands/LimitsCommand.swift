import ArgumentParser
import Limits
import Stages

/// `vbfgrid limits`: expected (and optionally observed) CLs upper limits on μ = BR(h→inv).
struct LimitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: LimitsStage.Options.command,
        abstract:
            "Expected CLs upper limits on BR(h→inv) (asymptotic q̃_μ, 95% CL): a model file, network outputs, or a cut-based analysis.",
        discussion: """
            Three modes:
              --model FILE.json: the limits of one model file (below).
              --evaluations DIR… --dataset DIR --analysis NAME --luminosities 36,140,300 --out DIR [--jes]: \
            the network analysis. Per evaluate folder (one per seed of one network): the paper's output binning \
            (edge bins with < 15% relative statistical error per class; --bins, default 10), per-channel score \
            histograms weighted by N_c(L)/n_c, the band at each luminosity; over several seeds the mean and spread \
            of the median and of the AUC. --jes adds the JES histosys from score_jes_up/down.
              --cut-based mjj|deta --met-cut 200|250 --dataset DIR --luminosities … --out DIR [--jes]: Table 1 \
            rows 1–4. m_jj (edges 200, 500, 1000, 1500, 2000, 3000, 5000 GeV) or |Δη_jj| (1, 2, 3, 4, 5, 6, 10) \
            of the validation events with met > cut; overflow in the last bin.
            Both write OUT/limits.json and OUT/workspace-<L>.json (pyhf) for every limit. N_c(L) = σ_c·ε_c·L with \
            σ_c·ε_c from the physics table (docs/physics.md, "Limits normalisation"; --physics-table FILE \
            overrides it). Model: μ on S_EW and S_QCD, lumi 2.5%, normsys S_EW 5%, S_QCD 10%, backgrounds 10%, \
            staterror (Σw²).

            --model takes a reference case file (its `simple` block, with μ's bounds from its `workspace`), \
            a bare `simple` block ({"lumi_unc", "samples"}), or a pyhf workspace.

            The model is the HistFactory likelihood of docs/statistics.md: μ on the signal samples, \
            lumi, normsys (code 4), staterror (Barlow–Beeston lite), histosys (code 4p), shapesys. \
            Expected limits use the background-only Asimov data built from the μ = 0 fit to the data. \
            --export-pyhf writes the same model as a pyhf workspace, so any limit can be checked with pyhf.
            """)

    @OptionGroup var options: LimitsStage.Options

    func run() throws { try LimitsStage(options: options).execute() }
}
