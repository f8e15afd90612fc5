import Random
import Testing

@Suite struct SplitMix64Tests {
    /// The first outputs of the reference splitmix64.c (Vigna) started at state 0.
    @Test func matchesTheReferenceImplementation() {
        var g = SplitMix64(state: 0)
        #expect((0..<3).map { _ in g.next() } == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
    }

    @Test func aSavedStateResumesTheStream() {
        var a = SplitMix64(seed: 12, stream: 3)
        _ = (0..<5).map { _ in a.next() }
        var b = SplitMix64(state: a.state)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        #expect(SplitMix64(seed: 12, stream: 3) != SplitMix64(seed: 12, stream: 4))
    }

    /// Unit floats keep the top 24 (Float) or 53 (Double) bits of an output, scaled into [0, 1).
    @Test func unitNumbersAreTheTopBitsOfAnOutput() {
        var a = SplitMix64(seed: 5), b = a, c = a
        for _ in 0..<1000 {
            let bits = a.next()
            let d = b.nextUnitDouble(), f = c.nextUnitFloat()
            #expect(d == Double(bits >> 11) / 9_007_199_254_740_992 && d >= 0 && d < 1)
            #expect(f == Float(bits >> 40) / 16_777_216 && f >= 0 && f < 1)
        }
    }
}
