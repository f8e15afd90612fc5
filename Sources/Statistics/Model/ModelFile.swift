import Foundation

/// Reads a model file: a reference case file (its `simple` block, with μ's bounds from its
/// `workspace` measurement), a bare `simple` block (`{"lumi_unc", "samples"}`), or a pyhf
/// workspace (`{"channels", "observations", "measurements", "version"}`).
public enum ModelFile {
    /// What a model file holds.
    public enum Content: Sendable {
        case simple(HistFactoryModel)
        case workspace(Workspace)

        /// The workspace the likelihood is built from.
        public var workspace: Workspace {
            switch self {
            case let .simple(model): model.workspace()
            case let .workspace(ws): ws
            }
        }
    }

    /// Reads and validates `url`; every error names the file and the field.
    public static func load(_ url: URL) throws -> Content {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw StatisticsError.invalidModel(
                source: url.path, field: "(file)", reason: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, source: url.path)
    }

    /// Parses model JSON; `source` names it in errors.
    public static func parse(_ data: Data, source: String) throws -> Content {
        let top: [String: Any]
        do {
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw StatisticsError.invalidModel(
                    source: source, field: "(top level)", reason: "expected a JSON object")
            }
            top = object
        } catch let error as StatisticsError { throw error } catch {
            throw StatisticsError.invalidModel(
                source: source, field: "(file)", reason: "not valid JSON: \(error.localizedDescription)")
        }
        if top["simple"] != nil {
            let file = try decode(CaseFile.self, data, source: source)
            var model = file.simple
            if let mu = file.workspace?.measurements.first?.config.parameters.first(where: {
                $0.name == HistFactoryModel.poiName
            }),
                let b = mu.bounds?.first, b.count == 2
            {
                model.muBounds = b[0]...max(b[0], b[1])
            }
            try model.validate(source: source, prefix: "simple")
            return .simple(model)
        }
        if top["samples"] != nil {
            let model = try decode(HistFactoryModel.self, data, source: source)
            try model.validate(source: source)
            return .simple(model)
        }
        if top["channels"] != nil {
            return .workspace(try decode(Workspace.self, data, source: source))
        }
        throw StatisticsError.invalidModel(
            source: source, field: "(top level)",
            reason: "expected a case file ('simple'), a simple block ('samples') or a pyhf workspace ('channels')")
    }

    /// Decodes `data`, mapping decoding errors to `invalidModel` with the dotted field path.
    static func decode<T: Decodable>(_ type: T.Type, _ data: Data, source: String) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: data) } catch let error as DecodingError {
            throw map(error, source: source)
        }
    }

    static func map(_ error: DecodingError, source: String) -> StatisticsError {
        func render(_ keys: [any CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let i = key.intValue {
                    text += "[\(i)]"
                } else {
                    text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return text.isEmpty ? "(top level)" : text
        }
        switch error {
        case let .keyNotFound(key, ctx):
            return .invalidModel(source: source, field: render(ctx.codingPath + [key]), reason: "missing")
        case let .typeMismatch(type, ctx):
            return .invalidModel(source: source, field: render(ctx.codingPath), reason: "expected \(type)")
        case let .valueNotFound(type, ctx):
            return .invalidModel(
                source: source, field: render(ctx.codingPath), reason: "null where \(type) is expected")
        case let .dataCorrupted(ctx):
            return .invalidModel(source: source, field: render(ctx.codingPath), reason: ctx.debugDescription)
        @unknown default:
            return .invalidModel(source: source, field: "(unknown)", reason: "\(error)")
        }
    }
}

/// A reference case file: the plain model and the equivalent pyhf workspace.
private struct CaseFile: Decodable {
    let simple: HistFactoryModel
    let workspace: Workspace?
}
