import Random
import Testing

/// The stage numbers are part of every output (events, data sets, weights): they never change.
@Suite struct RandomStageTests {
    @Test func stageNumbersAreFixed() {
        let numbers: [RandomStage: UInt64] = [
            .networkWeights: 0, .fastsim: 1, .detector: 2, .pileup: 3, .classMixing: 4,
            .pythiaSeed: 5, .epochOrder: 0x6570_6f63_6800,
        ]
        #expect(Set(RandomStage.allCases) == Set(numbers.keys))
        for stage in RandomStage.allCases { #expect(stage.rawValue == numbers[stage], "\(stage)") }
        // The epoch-order base spells "epoch\0": far above any layer index added to networkWeights.
        #expect(Array("epoch".utf8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } << 8 == RandomStage.epochOrder.rawValue)
    }
}
