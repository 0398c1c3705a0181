import Testing

@testable import SOCCore

/// `ScrubSteps.addCounts(to:)` (the stage counts a changed chat's steps in place) counts the
/// same steps as iterating them, for packed steps, a ninth step and steps past 255 (both held
/// in the overflow array).
@Suite struct ScrubStepsCountTests {
    @Test func countsWhatIteratingGives() {
        let cases: [[Int]] = [
            [], [0], [4, 0], [5, 5, 1], Array(0..<8), Array(0..<9), [3, 300, 2], [256], [7, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        ]
        for steps in cases {
            var packed = ScrubSteps()
            for step in steps { packed.append(step) }
            var inPlace = ScrubUnit()
            packed.addCounts(to: &inPlace)
            var iterated = ScrubUnit()
            for step in packed { iterated.add(step) }
            var expected = ScrubUnit()
            for step in steps { expected.add(step) }
            #expect(inPlace.counts == iterated.counts, "\(steps)")
            #expect(inPlace.counts == expected.counts, "\(steps)")
        }
    }
}
