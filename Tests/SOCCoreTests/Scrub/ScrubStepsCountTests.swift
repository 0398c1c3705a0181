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

    /// `ScrubUnit.add(packed:count:)` counts the bytes of the word one `add` at a time would,
    /// growing the counts only as far as its largest step, and nothing for no steps.
    @Test func packedWordCountsLikeAdds() {
        var unit = ScrubUnit()
        unit.add(packed: 0xFFFF, count: 0)
        #expect(unit.counts.isEmpty)
        unit.add(2)
        unit.add(packed: 0x01_03_01, count: 3)
        #expect(unit.counts == [0, 2, 1, 1])
        unit.add(packed: 0x00_02, count: 1)
        #expect(unit.counts == [0, 2, 2, 1], "only the low `count` bytes are steps")
    }
}
