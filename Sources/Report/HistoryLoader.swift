import Datasets
import Foundation

/// Reads a training run's `history.json` (Training's `Trainer`: a list of
/// {epoch, loss, accuracy, validation_loss, validation_accuracy, seconds, samples_per_second}).
public enum HistoryLoader {
    public static func load(path: String, network: String, seed: Int?) throws -> TrainingHistory {
        guard let bytes = FileManager.default.contents(atPath: path) else { throw ReportError("\(path): missing") }
        do {
            let epochs = try JSONDecoder.snakeCase.decode([EpochPoint].self, from: bytes)
            guard !epochs.isEmpty else { throw ReportError("\(path): no epochs") }
            return TrainingHistory(network: network, seed: seed, epochs: epochs)
        } catch let error as DecodingError {
            throw ReportError("\(path): \(error.readable)")
        }
    }
}
