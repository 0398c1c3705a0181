import SOCTestSupport
import Testing

@testable import SOCCore

/// `CompiledRule.changingMatch` and the `known` match `TextScrubber.substitute` takes from it:
/// for every split rule of the defaults, on texts of tags, blanks and words, the match is
/// found exactly when the rule changes the text, and substituting with it gives what
/// substituting from scratch gives.
@Suite struct ChangingMatchTests {
    static let fragments = [
        "<audio>", "</audio>", "<gif>", "</gif>", "<image>", "</image>", "<video>a</video>", "<delay minutes=\"3\"/>",
        "<delay 1/>", "<end/>", " ", "\n", "hi", "x", "<3", "é",
    ]

    @Test func knownMatchGivesTheSameSubstitution() throws {
        let engine = try ScrubEngine(RuleSet.defaults())
        let rules = engine.messageScrubber.rules.filter { $0.splitOnly != nil }
        #expect(rules.count >= 2)
        var random = SeededNumbers(state: 1717)
        var changed = 0
        var unchanged = 0
        for _ in 0..<3000 {
            let text = (0..<random.next(7)).map { _ in Self.fragments[random.next(Self.fragments.count)] }.joined()
            let bytes = Array(text.utf8)
            for rule in rules {
                let regex = try #require(rule.fixed)
                try bytes.withUnsafeBytes { subject in
                    let plain = try TextScrubber.substitute(regex, rule.replacement, in: subject)
                    let changes = plain != nil && plain! != [bytes]
                    guard let match = try rule.changingMatch(subject, with: regex) else {
                        #expect(!changes, "\(rule.rule.id): \(text)")
                        unchanged += 1
                        return
                    }
                    changed += 1
                    #expect(changes, "\(rule.rule.id): \(text)")
                    #expect(try regex.firstMatchRange(in: subject, from: match.from) == match.range)
                    let known = try TextScrubber.substitute(regex, rule.replacement, in: subject, known: match)
                    #expect(known == plain, "\(rule.rule.id): \(text)")
                }
            }
        }
        #expect(changed > 500 && unchanged > 500)
    }
}
