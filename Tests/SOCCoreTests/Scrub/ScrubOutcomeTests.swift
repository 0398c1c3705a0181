import Testing

@testable import SOCCore

/// `ScrubSteps` against a plain array, and the scrubber without texts (no `--audit`) against
/// the scrubber with them: the same pieces and the same steps, only the changes left out.
@Suite struct ScrubOutcomeTests {
    @Test(arguments: [
        [], [0], [1, 2, 3], [4, 4, 4, 4, 4, 4, 4, 4], [5, 6, 7, 8, 9, 10, 11, 12, 13],
        [255, 256, 3], [300], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17],
        [1, 2, 1000, 3, 4, 5, 6, 7, 8, 9],
    ])
    func stepsKeepOrder(_ steps: [Int]) {
        var packed = ScrubSteps()
        for step in steps { packed.append(step) }
        #expect(packed.count == steps.count)
        #expect(Array(packed) == steps)
    }

    @Test func stepsMatchAPlainArrayOnSeededSequences() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<500 {
            let steps = (0..<next(20)).map { _ in next(4) == 0 ? next(600) : next(40) }
            var packed = ScrubSteps()
            for step in steps { packed.append(step) }
            #expect(Array(packed) == steps)
        }
    }

    /// `changes` is held as nil when empty: what is set is what is read, empty or not.
    @Test func changesReadBackAsSet() {
        let change = ScrubChange(rule: "r", step: 4, before: [1], after: [[2]])
        var outcome = ScrubOutcome(pieces: ScrubPieces(), changes: [], steps: ScrubSteps())
        #expect(outcome.changes.isEmpty)
        outcome.changes = [change, change]
        #expect(outcome.changes.map(\.step) == [4, 4])
        outcome.changes.append(change)
        #expect(outcome.changes.count == 3)
        outcome.changes = []
        #expect(outcome.changes.isEmpty)
        #expect(ScrubOutcome(pieces: [[1]], changes: [change], steps: ScrubSteps()).changes.map(\.rule) == ["r"])
    }

    static let texts = [
        "Elias Vance: Hey there", "  padded  ", "Elias:", "   ", "plain text, nothing to do",
        "Luna: one\nElias: two", "Hi Elias Vance: how are you", "[image] look", "quantum_scribe: hi ",
        "Elias Vance: \n\nLuna Reyes: ok",
    ]

    @Test(arguments: texts)
    func withoutTextsOnlyTheChangesAreLeftOut(_ text: String) {
        let names = PersonaNames([("Elias Vance", "quantum_scribe"), ("Luna Reyes", "StardustSketcher")])
        let withTexts = try! ScrubEngine(RuleSet.defaults()).messageScrubber
        let withoutTexts = try! ScrubEngine(RuleSet.defaults()).messageScrubber
        withoutTexts.keepsTexts = false
        withTexts.beginRecord()
        withoutTexts.beginRecord()
        let full = try! withTexts.scrub(Array(text.utf8)) { names }
        let counted = try! withoutTexts.scrub(Array(text.utf8)) { names }
        #expect((full == nil) == (counted == nil))
        guard let full, let counted else { return }
        #expect(full.pieces == counted.pieces)
        #expect(Array(full.steps) == full.changes.map(\.step))
        #expect(Array(counted.steps) == Array(full.steps))
        #expect(counted.changes.isEmpty)
    }
}
