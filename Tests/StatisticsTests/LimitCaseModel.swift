import Foundation
import Statistics
import TestSupport

extension LimitCase {
    /// The plain-form model of the case (its `simple` block).
    func model() throws -> HistFactoryModel {
        guard case let .simple(model) = try ModelFile.load(url) else { throw FixtureError(url, "no 'simple' block") }
        return model
    }
}
