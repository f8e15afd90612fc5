import Foundation

/// A pyhf workspace (HistFactory JSON, schema version 1.0.0): channels of samples with
/// modifiers, observed data per channel, and measurements (POI and parameter settings).
/// Encodes to JSON that `pyhf.Workspace` accepts, and decodes the workspaces of the reference cases.
public struct Workspace: Codable, Sendable, Equatable {
    public var channels: [Channel]
    public var observations: [Observation]
    public var measurements: [Measurement]
    public var version: String

    public init(
        channels: [Channel], observations: [Observation], measurements: [Measurement], version: String = "1.0.0"
    ) {
        self.channels = channels
        self.observations = observations
        self.measurements = measurements
        self.version = version
    }

    /// A region with its samples; all samples have the same number of bins.
    public struct Channel: Codable, Sendable, Equatable {
        public var name: String
        public var samples: [SampleData]
        public init(name: String, samples: [SampleData]) {
            self.name = name
            self.samples = samples
        }
    }

    /// A sample's nominal yields per bin and its modifiers.
    public struct SampleData: Codable, Sendable, Equatable {
        public var name: String
        public var data: [Double]
        public var modifiers: [Modifier]
        public init(name: String, data: [Double], modifiers: [Modifier]) {
            self.name = name
            self.data = data
            self.modifiers = modifiers
        }
    }

    /// The observed counts of one channel.
    public struct Observation: Codable, Sendable, Equatable {
        public var name: String
        public var data: [Double]
        public init(name: String, data: [Double]) {
            self.name = name
            self.data = data
        }
    }

    /// A named measurement: the parameter of interest and parameter settings.
    public struct Measurement: Codable, Sendable, Equatable {
        public var name: String
        public var config: Config
        public init(name: String, config: Config) {
            self.name = name
            self.config = config
        }

        public struct Config: Codable, Sendable, Equatable {
            public var poi: String
            public var parameters: [ParameterSetting]
            public init(poi: String, parameters: [ParameterSetting]) {
                self.poi = poi
                self.parameters = parameters
            }
        }
    }

    /// Overrides for one parameter (set): bounds and inits per component, auxiliary data and
    /// widths (required for `lumi`), and whether it is fixed.
    public struct ParameterSetting: Codable, Sendable, Equatable {
        public var name: String
        public var bounds: [[Double]]?
        public var inits: [Double]?
        public var auxdata: [Double]?
        public var sigmas: [Double]?
        public var fixed: Bool?

        public init(
            name: String, bounds: [[Double]]? = nil, inits: [Double]? = nil, auxdata: [Double]? = nil,
            sigmas: [Double]? = nil, fixed: Bool? = nil
        ) {
            self.name = name
            self.bounds = bounds
            self.inits = inits
            self.auxdata = auxdata
            self.sigmas = sigmas
            self.fixed = fixed
        }
    }

    /// The JSON text (sorted keys, pretty-printed).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// Writes the workspace atomically (temporary name, then rename).
    public func write(to url: URL) throws {
        try jsonData().write(to: url, options: .atomic)
    }
}
