import Foundation
import Testing

@testable import Plotting

@Suite struct TicksTests {
    @Test func niceStepsAreOneTwoFiveTimesAPowerOfTen() {
        #expect(Ticks.niceStep(span: 10, target: 5) == 2)
        #expect(Ticks.niceStep(span: 1, target: 5) == 0.2)
        #expect(Ticks.niceStep(span: 3000, target: 5) == 500)
        #expect(Ticks.niceStep(span: 0.07, target: 5) == 0.01)
        for span in stride(from: 0.013, through: 9000, by: 37.1) {
            let step = Ticks.niceStep(span: span, target: 5)
            let mantissa = step / pow(10, floor(log10(step) + 1e-12))
            #expect([1, 2, 5, 10].contains { abs(mantissa - $0) < 1e-9 }, "step \(step) for span \(span)")
            let count = span / step
            #expect(count >= 2 && count <= 11, "\(count) intervals for span \(span)")
        }
    }

    @Test func linearTicksCoverTheRangeOnMultiplesOfTheStep() {
        #expect(Ticks.linear(min: 0, max: 1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        let t = Ticks.linear(min: 212, max: 3456)
        #expect(t.first == 500 && t.last == 3000 && t.count == 6)
        let negative = Ticks.linear(min: -3.2, max: 3.2)
        #expect(negative.contains(0) && negative.first == -3 && negative.last == 3)
        #expect(Ticks.niceRange(min: 212, max: 3456) == 0...3500)
        #expect(Ticks.niceRange(min: 0.031, max: 0.249) == 0.0...0.25)
    }

    @Test func labelsHaveJustEnoughDecimals() {
        let ticks = Ticks.linear(min: 0, max: 1)
        #expect(ticks.map { Ticks.label($0, step: 0.2) } == ["0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        #expect(Ticks.label(2500, step: 500) == "2500")
        #expect(Ticks.label(0.05, step: 0.01) == "0.05")
        #expect(Ticks.label(3e7, step: 1e7) == "3×10⁷")
        #expect(Ticks.label(2e-5, step: 1e-5) == "2×10⁻⁵")
    }

    @Test func logTicksAreDecadesWithMinorMultiples() {
        let t = Ticks.log10(min: 1, max: 1000)
        #expect(t.major == [1, 10, 100, 1000])
        #expect(t.minor.count == 24 && t.minor.first == 2 && t.minor.last == 900)
        #expect(Ticks.log10(min: 0.5, max: 200).major == [1, 10, 100])
        // Many decades: every k-th decade, no minor ticks.
        let wide = Ticks.log10(min: 1e-12, max: 1e4, maxMajor: 8)
        #expect(wide.major.count <= 9 && abs(wide.major.first! / 1e-12 - 1) < 1e-12 && wide.minor.isEmpty)
        #expect(Ticks.decadeRange(min: 0.03, max: 420) == 0.01...1000)
        #expect(Ticks.decadeRange(min: 1, max: 1) == 1...10)
        #expect(Ticks.logLabel(1e-3) == "0.001" && Ticks.logLabel(1e4) == "10000" && Ticks.logLabel(1e6) == "10⁶")
        #expect(Ticks.logLabel(1e-7) == "10⁻⁷")
    }

    @Test func scalesMapLinearAndLogRanges() {
        let lin = Scale(scale: .linear, range: 0...10, start: 100, end: 200)
        #expect(lin(0) == 100 && lin(10) == 200 && lin(2.5) == 125)
        let log = Scale(scale: .log10, range: 1...1000, start: 300, end: 0)
        #expect(abs(log(1) - 300) < 1e-9 && abs(log(10) - 200) < 1e-9 && abs(log(1000)) < 1e-9)
        #expect(!log.drawable(0) && !log.drawable(-1) && log.drawable(1e-5) && !lin.drawable(.infinity))
    }

    @Test func automaticRanges() {
        #expect(Axis("x").resolvedRange(for: [3, 7, .infinity]) == 3...7)
        #expect(Axis("x", includeZero: true).resolvedRange(for: [3, 7]) == 0...7)
        #expect(Axis("y", scale: .log10).resolvedRange(for: [0, 0.04, 35]) == 0.01...100)
    }
}
