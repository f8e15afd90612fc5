import Events
import Preprocessing
import Testing

/// Balanced splits with the paper's channel proportions (§2.3), chosen deterministically.
@Suite struct ClassMixingTests {
    /// The paper's fractions inside each class, written out here as the oracle.
    static let fractions: [Channel: Double] = [
        .sEW: 0.448, .sQCD: 0.552,
        .zQCD: 0.51221, .wQCD: 0.44896, .zEW: 0.02295, .wEW: 0.01587,
    ]

    @Test(arguments: [1, 2, 7, 100, 1001, 50_000])
    func countsAddUpAndFollowThePaperFractions(size: Int) {
        let counts = ClassMixing.counts(size: size)
        #expect(counts.values.reduce(0, +) == size)
        let signal = (counts[.sEW] ?? 0) + (counts[.sQCD] ?? 0)
        #expect(signal == (size + 1) / 2)
        for (channel, fraction) in Self.fractions {
            let classSize = channel == .sEW || channel == .sQCD ? signal : size - signal
            let exact = fraction * Double(classSize)
            #expect(
                abs(Double(counts[channel] ?? -1) - exact) < 1, "\(channel.name): \(counts[channel] ?? -1) vs \(exact)")
        }
    }

    static func selected(_ perChannel: Int) -> [Channel: [String]] {
        Dictionary(
            uniqueKeysWithValues: Channel.physics.map { channel in
                (channel, (0..<perChannel).map { "\(channel.name)-\($0)" })
            })
    }

    @Test func theChoiceIsDisjointSizedAndSeeded() throws {
        let pool = Self.selected(500)
        let a = try ClassMixing.choose(selected: pool, train: 300, validation: 100, seed: 7)
        let again = try ClassMixing.choose(selected: pool, train: 300, validation: 100, seed: 7)
        let other = try ClassMixing.choose(selected: pool, train: 300, validation: 100, seed: 8)
        let trainCounts = ClassMixing.counts(size: 300), validationCounts = ClassMixing.counts(size: 100)
        for channel in Channel.physics {
            let train = a.train[channel] ?? [], validation = a.validation[channel] ?? []
            #expect(
                train.count == trainCounts[channel] && validation.count == validationCounts[channel], "\(channel.name)")
            #expect(Set(train).isDisjoint(with: validation), "\(channel.name): an event in both splits")
            #expect(Set(train + validation).isSubset(of: pool[channel] ?? []))
            #expect(train == again.train[channel] && validation == again.validation[channel])
        }
        #expect(a.train != other.train, "another seed draws other events")
    }

    /// With the validation events drawn first, every train size of one seed has the same
    /// validation events and the smaller training sets are inside the larger ones.
    @Test func validationFirstKeepsTheValidationSetAndNestsTheTrainingSets() throws {
        let pool = Self.selected(500)
        let small = try ClassMixing.choose(selected: pool, train: 100, validation: 100, seed: 7, validationFirst: true)
        let large = try ClassMixing.choose(selected: pool, train: 300, validation: 100, seed: 7, validationFirst: true)
        let usual = try ClassMixing.choose(selected: pool, train: 300, validation: 100, seed: 7)
        for channel in Channel.physics {
            #expect(small.validation[channel] == large.validation[channel], "\(channel.name)")
            #expect(Set(small.train[channel] ?? []).isSubset(of: large.train[channel] ?? []), "\(channel.name)")
            #expect(Set(large.train[channel] ?? []).isDisjoint(with: large.validation[channel] ?? []))
        }
        #expect(large.validation != usual.validation, "the default draws the training events first")
    }

    @Test func tooFewEventsNameTheChannel() {
        var pool = Self.selected(500)
        pool[.wEW] = ["W_EW-0"]
        do {
            _ = try ClassMixing.choose(selected: pool, train: 300, validation: 100, seed: 7)
            Issue.record("a channel with one event was accepted")
        } catch {
            #expect("\(error)".contains("W_EW has 1 selected events"), "\(error)")
        }
    }
}
