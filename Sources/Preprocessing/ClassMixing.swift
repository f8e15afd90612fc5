import Events
import Selection

/// Balanced train and validation sets with the paper's channel proportions inside each class
/// (§2.3: signal 44.8% S_EW + 55.2% S_QCD; background 51.221% Z_QCD + 44.896% W_QCD +
/// 2.295% Z_EW + 1.587% W_EW), drawn without replacement from the selected events of each
/// channel, deterministically from a seed.
public enum ClassMixing {
    /// Events of each channel in a split of `size` events: half signal, half background, each
    /// class shared by the mixture fractions (largest remainders, so the counts add up exactly).
    public static func counts(size: Int, mixture: [Channel: Double] = ClassMixture.paper) -> [Channel: Int] {
        var result: [Channel: Int] = [:]
        let signal = (size + 1) / 2
        for (classSize, members) in [(signal, [Channel.sEW, .sQCD]), (size - signal, [.zQCD, .wQCD, .zEW, .wEW])] {
            let total = members.reduce(0.0) { $0 + mixture[$1]! }
            let exact = members.map { Double(classSize) * mixture[$0]! / total }
            var floors = exact.map { Int($0) }
            let order = members.indices.sorted {
                (exact[$0] - Double(floors[$0]), -$0) > (exact[$1] - Double(floors[$1]), -$1)
            }
            for i in order.prefix(classSize - floors.reduce(0, +)) { floors[i] += 1 }
            for (c, n) in zip(members, floors) { result[c] = n }
        }
        return result
    }

    /// Chooses, for every channel, which of its selected events go to train and which to
    /// validation. `selected[c]` lists the channel's selected events (any stable identifiers,
    /// in a stable order). Throws when a channel has too few, saying how many are needed. The
    /// training events are the first of a seeded permutation of each channel's events and the
    /// validation events the next; with `validationFirst` the other way round, so that the
    /// validation events do not depend on `train` and training sets of one seed are nested.
    public static func choose<ID>(
        selected: [Channel: [ID]], train: Int, validation: Int, seed: UInt64, validationFirst: Bool = false
    ) throws -> (train: [Channel: [ID]], validation: [Channel: [ID]]) {
        let trainCounts = counts(size: train), validationCounts = counts(size: validation)
        var chosenTrain: [Channel: [ID]] = [:], chosenValidation: [Channel: [ID]] = [:]
        var shortages: [String] = []
        for channel in Channel.physics {
            let pool = selected[channel] ?? []
            let needed = trainCounts[channel]! + validationCounts[channel]!
            if pool.count < needed {
                shortages.append(
                    "\(channel.name) has \(pool.count) selected events, \(needed) are needed "
                        + "(\(trainCounts[channel]!) train + \(validationCounts[channel]!) validation)")
                continue
            }
            var order = Array(pool.indices)
            var rng = RandomStream(seed: seed, stage: .classMixing, unit: UInt64(channel.rawValue))
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            let (first, second) =
                validationFirst
                ? (validationCounts[channel]!, trainCounts[channel]!)
                : (trainCounts[channel]!, validationCounts[channel]!)
            let firstPart = order.prefix(first).map { pool[$0] },
                secondPart = order.dropFirst(first).prefix(second).map { pool[$0] }
            chosenTrain[channel] = validationFirst ? secondPart : firstPart
            chosenValidation[channel] = validationFirst ? firstPart : secondPart
        }
        guard shortages.isEmpty else {
            throw PreprocessError(
                "too few selected events: " + shortages.joined(separator: "; ")
                    + ". Generate more events for these channels or ask for smaller --train/--validation sets.")
        }
        return (chosenTrain, chosenValidation)
    }
}

/// A preprocessing request that cannot be met; the message says what to change.
public struct PreprocessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
