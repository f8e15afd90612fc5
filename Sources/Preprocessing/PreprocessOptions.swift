import ArgumentParser
import Datasets
import Stages

extension ImageVariant: ArgumentValue {
    public init(parsing text: String) throws {
        guard let variant = ImageVariant(rawValue: text) else {
            throw ValidationError(
                "unknown image variant '\(text)'; expected one of "
                    + Self.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = variant
    }

    public var argument: String { rawValue }
}

extension PreprocessStage: Stage {
    /// The options of `vbfgrid preprocess`.
    public struct Options: StageOptions {
        public static let command = "preprocess"

        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp("Events files or folders (all six channels).", valueName: "path"))
        public var input: [String]

        @Option(help: ArgumentHelp("Output folder of the data set.", valueName: "dir"))
        public var out: String

        @Option(help: "The met cut of the baseline selection in GeV (200, or 250 for the cut-based comparison).")
        public var metCut: Float = 200

        @Option(
            help: ArgumentHelp(
                "Image variants to build, comma-separated: PJ-LR, PJ-HR, Pmet-LR, Pmet-HR. (default: PJ-LR)",
                valueName: "list"),
            transform: CommaList.init(parsing:))
        public var images = CommaList([ImageVariant.pjLR])

        @Option(help: "Events in the training set (half signal, half background).")
        public var train: Int

        @Option(help: "Events in the validation set.")
        public var validation: Int

        @Option(parsing: .unconditional, help: "The seed of the class mixing.")
        public var seed: UInt64

        @Flag(
            help: """
                Draw the validation events first: data sets of the same seed and validation size share \
                their validation events whatever --train is, and their training sets are nested (learning curves).
                """)
        public var validationFirst = false

        @Flag(help: .forceOutput)
        public var force = false

        public init() {}

        public init(
            input: [String], out: String, metCut: Float, images: [ImageVariant], train: Int, validation: Int,
            seed: UInt64, validationFirst: Bool = false,
            force: Bool = false
        ) {
            self.input = input
            self.out = out
            self.metCut = metCut
            self.images = CommaList(images)
            self.train = train
            self.validation = validation
            self.seed = seed
            self.validationFirst = validationFirst
            self.force = force
        }

        public func validate() throws {
            guard train > 0, validation > 0 else { throw ValidationError("--train and --validation must be positive") }
            guard metCut >= 0 else { throw ValidationError("--met-cut must be ≥ 0") }
        }

        public var arguments: [String] {
            ["--input"] + input + [
                "--out", out, "--met-cut", metCut.argument, "--images", images.argument,
                "--train", String(train), "--validation", String(validation), "--seed", String(seed),
            ]
                + (validationFirst ? ["--validation-first"] : []) + (force ? ["--force"] : [])
        }
    }

    public init(options: Options) {
        self.init(
            inputs: options.input, outputDirectory: options.out, metCut: options.metCut,
            variants: options.images.values,
            train: options.train, validation: options.validation, seed: options.seed)
        validationFirst = options.validationFirst
        claim = OutputClaim(options, folder: options.out, inputs: ["input"], force: options.force)
    }
}
