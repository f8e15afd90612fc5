import Events
import Foundation

/// `fidelity.json`: how well fastsim reproduces a reference generator, per channel.
public struct FidelityReport: Codable, Sendable, Equatable {
    public static let currentFormat = "vbfgrid.fidelity"
    public static let currentVersion = 1

    public var format = FidelityReport.currentFormat
    public var formatVersion = FidelityReport.currentVersion
    /// The `generator` attributes of the two samples.
    public var fastsimGenerator: String
    public var referenceGenerator: String
    /// The reference as given on the command line (a folder of events files or an observables file).
    public var reference: String
    public var settings: FidelitySettings
    public var channels: [ChannelFidelity]

    public init(
        fastsimGenerator: String, referenceGenerator: String, reference: String, settings: FidelitySettings,
        channels: [ChannelFidelity]
    ) {
        self.fastsimGenerator = fastsimGenerator
        self.referenceGenerator = referenceGenerator
        self.reference = reference
        self.settings = settings
        self.channels = channels
    }

    /// Pretty, key-sorted JSON.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Decodes `fidelity.json`; an unknown format or version is an error naming the file.
    public static func read(_ path: String) throws -> FidelityReport {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let report = try decoder.decode(FidelityReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        guard report.format == currentFormat, report.formatVersion == currentVersion else {
            throw FidelityError.invalidInput(
                "\(path): format: '\(report.format)' version \(report.formatVersion), "
                    + "expected '\(currentFormat)' version \(currentVersion)")
        }
        return report
    }
}

/// The harness's knobs, recorded in the report.
public struct FidelitySettings: Codable, Sendable, Equatable {
    /// Folds of the classifier tests.
    public var folds = 5
    /// Training epochs of the event-level MLP and of the image-level CNN.
    public var eventEpochs = 40
    public var imageEpochs = 12
    /// Seed of the fold assignment, weight initialisation and epoch orders (and of fastsim).
    public var seed: UInt64 = 1
    /// Whether the image-level test runs (it needs events, not an observables file, as reference).
    public var images = true

    public init(folds: Int = 5, eventEpochs: Int = 40, imageEpochs: Int = 12, seed: UInt64 = 1, images: Bool = true) {
        self.folds = folds
        self.eventEpochs = eventEpochs
        self.imageEpochs = imageEpochs
        self.seed = seed
        self.images = images
    }
}

/// One channel's comparison.
public struct ChannelFidelity: Codable, Sendable, Equatable {
    public var channel: String
    /// Selected events of each sample, the number compared (the smaller of the two: the first
    /// events of each), and the events offered to the selection.
    public var compared: Int
    public var fastsimSelected: Int
    public var referenceSelected: Int
    public var fastsimOffered: Int
    public var referenceOffered: Int
    /// The MLP's held-out AUC on the observables.
    public var eventAUC: ClassifierTest.Result
    /// The CNN's held-out AUC on the PJ-LR images (nil without images).
    public var imageAUC: ClassifierTest.Result?
    /// Every observable, in `Observables.names` order.
    public var observables: [ObservableComparison]
    /// The three observables with the highest single-observable AUC, worst first.
    public var worst: [String]

    // Raw values chosen so that the snake-case key strategies map them to event_auc and back.
    enum CodingKeys: String, CodingKey {
        case channel, compared, fastsimSelected, referenceSelected, fastsimOffered, referenceOffered, observables, worst
        case eventAUC = "eventAuc"
        case imageAUC = "imageAuc"
    }
}

/// One observable in both samples.
public struct ObservableComparison: Codable, Sendable, Equatable {
    public var name: String
    /// Medians over the events where the observable exists (nil if none).
    public var fastsimMedian: Double?
    public var referenceMedian: Double?
    /// Fraction of the selected events where it exists (below 1 only for the third jet's).
    public var fastsimDefined: Double
    public var referenceDefined: Double
    /// Kolmogorov–Smirnov distance and the value's own AUC (folded to ≥ 0.5), with a missing
    /// value as `Observables.classifierInput` puts it, so that presence counts too.
    public var ks: Double
    public var auc: Double
}

extension ChannelFidelity {
    /// Compares two samples of one channel: both classifier tests and every observable. The
    /// image test runs when `settings.images` is set and both samples have images.
    public static func compare(
        fastsim: FidelitySample, reference: FidelitySample,
        settings: FidelitySettings
    ) throws -> ChannelFidelity {
        precondition(fastsim.channel == reference.channel, "comparing \(fastsim.channel) with \(reference.channel)")
        let n = min(fastsim.count, reference.count)
        let a = fastsim.prefix(n), b = reference.prefix(n)
        var observables: [ObservableComparison] = []
        let inputA = a.observables.map(Observables.classifierInput),
            inputB = b.observables.map(Observables.classifierInput)
        for (i, name) in Observables.names.enumerated() {
            let ca = a.column(i), cb = b.column(i)
            let fa = inputA.map { $0[i] }, fb = inputB.map { $0[i] }
            observables.append(
                ObservableComparison(
                    name: name, fastsimMedian: TwoSampleStatistics.median(ca),
                    referenceMedian: TwoSampleStatistics.median(cb),
                    fastsimDefined: Double(ca.count) / Double(max(n, 1)),
                    referenceDefined: Double(cb.count) / Double(max(n, 1)),
                    ks: TwoSampleStatistics.ksDistance(fa, fb), auc: try TwoSampleStatistics.singleValueAUC(fa, fb)))
        }
        var event = ClassifierTest.events(inputs: Observables.count, epochs: settings.eventEpochs, seed: settings.seed)
        event.folds = settings.folds
        let eventAUC = try event.run(inputA.flatMap { $0 }, inputB.flatMap { $0 })
        var imageAUC: ClassifierTest.Result?
        if settings.images, a.hasImages, b.hasImages {
            let geometry = FidelitySample.imageVariant.geometry
            var image = ClassifierTest.images(
                shape: [geometry.height, geometry.width, 1], epochs: settings.imageEpochs,
                seed: settings.seed)
            image.folds = settings.folds
            imageAUC = try image.run(a.images, b.images)
        }
        let worst = observables.sorted { $0.auc > $1.auc }.prefix(3).map(\.name)
        return ChannelFidelity(
            channel: fastsim.channel.name, compared: n, fastsimSelected: fastsim.count,
            referenceSelected: reference.count,
            fastsimOffered: fastsim.offered, referenceOffered: reference.offered,
            eventAUC: eventAUC, imageAUC: imageAUC, observables: observables, worst: Array(worst))
    }
}
