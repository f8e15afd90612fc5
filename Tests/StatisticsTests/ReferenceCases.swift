import Foundation
import Statistics
import TestSupport

/// The pyhf-anchored cases of reference/limits/ (one JSON per case).
struct ReferenceCase: CustomStringConvertible, Sendable {
    let url: URL
    let name: String
    /// pyhf 0.7.6's expected limits for N = −2 … +2.
    let expected: [Double]

    var description: String { name }

    static let folder = TestPaths.shared.appendingPathComponent("reference/limits")

    static let all: [ReferenceCase] = {
        let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
        return files.filter { $0.pathExtension == "json" }.sorted { $0.lastPathComponent < $1.lastPathComponent }.map { url in
            let object = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
            let band = object["expected"] as! [String: Double]
            return ReferenceCase(url: url, name: object["name"] as! String,
                                 expected: (-2...2).map { band[String($0)]! })
        }
    }()

    /// The plain-form model of the case.
    func model() throws -> HistFactoryModel {
        guard case let .simple(model) = try ModelFile.load(url) else { fatalError("\(name): not a case file") }
        return model
    }
}

/// max_i |a_i − b_i| / |b_i|.
func maxRelativeDeviation(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) / abs($1) }.max() ?? .infinity
}
