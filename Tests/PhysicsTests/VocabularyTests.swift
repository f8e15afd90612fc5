import Physics
import Testing

/// The physics vocabulary: channel names and ids as the files store them, the paper's class
/// mixture (§2.3) and the 24 feature names (§3).
struct VocabularyTests {
    @Test func channelsKeepTheirIdsAndNamesAndParseLeniently() {
        #expect(Channel.physics.map(\.name) == ["S_EW", "S_QCD", "Z_QCD", "W_QCD", "Z_EW", "W_EW"])
        #expect(Channel.physics.map(\.rawValue) == [0, 1, 2, 3, 4, 5] && Channel.minBias.rawValue == 6)
        #expect(Channel(name: "s_ew") == .sEW && Channel(name: "ZQCD") == .zQCD && Channel(name: "minbias") == .minBias)
        #expect(Channel(name: "S_EWX") == nil)
        #expect(Channel.physics.filter(\.isSignal) == [.sEW, .sQCD])
        #expect(Channel.physics.filter(\.isElectroweak) == [.sEW, .zEW, .wEW])
    }

    @Test func eachClassOfTheMixtureSumsToOne() {
        let signal = Channel.physics.filter(\.isSignal).map { ClassMixture.paper[$0]! }.reduce(0, +)
        let background = Channel.physics.filter { !$0.isSignal }.map { ClassMixture.paper[$0]! }.reduce(0, +)
        // The paper gives the background fractions to five digits: they sum to 0.99999.
        #expect(abs(signal - 1) < 1e-12 && abs(background - 1) < 2e-5)
        #expect(ClassMixture.paper[.minBias] == nil)
    }

    @Test func featureNamesAreTheEightKAndSixteenR() {
        #expect(
            FeatureNames.k.count == 8 && FeatureNames.r.count == 16 && FeatureNames.h == FeatureNames.k + FeatureNames.r
        )
        #expect(FeatureNames.r.first == "HT_1.00" && FeatureNames.r.last == "HT_5.00")
        #expect(Set(FeatureNames.h).count == 24)
        #expect(zip(FeatureNames.etaCuts, FeatureNames.etaCuts.dropFirst()).allSatisfy { $0 < $1 })
    }
}
