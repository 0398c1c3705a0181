import SOCTestSupport
import Testing

@testable import SOCCore

/// `LabelLinePrecheck` only skips lines the speaker-label pattern cannot match on: from any
/// offset, the pattern's first match never starts before the line it gives, and there is none
/// when it gives no line. Checked against the compiled default rule on the scrub corpus's label
/// shapes and on generated look-alikes.
@Suite struct LabelLinePrecheckTests {
    let engine = try! ScrubEngine(RuleSet.defaults())
    static let names = PersonaNames([("Elias Vance", "quantum_scribe"), ("Zoë O'Brien", "theofficial.emma")])

    /// The default label rule, its check and its regex, with the matcher holding `names`.
    func labelRule(_ names: PersonaNames = names) throws -> (LabelLinePrecheck, PCRE2Regex, PersonaMatcher) {
        let rule = try #require(engine.messageScrubber.rules.first { $0.labelLines != nil })
        let matcher = engine.messageScrubber.matcher
        matcher.reset()
        matcher.load(names)
        return (rule.labelLines!, try #require(rule.fixed), matcher)
    }

    /// Fails when the check skips a line the pattern matches on, from any offset of `text`, or
    /// when removing the labels by hand gives other bytes than PCRE2's substitution.
    func expectExact(_ text: String, _ check: LabelLinePrecheck, _ regex: PCRE2Regex, _ matcher: PersonaMatcher)
        throws
    {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { subject in
            for offset in 0...subject.count where offset == subject.count || subject[offset] & 0xC0 != 0x80 {
                let line = check.firstLine(in: subject, from: offset, matcher: matcher)
                let match = try regex.firstMatchRange(in: subject, from: offset)
                if let match {
                    #expect(line != nil && line! <= match.lowerBound, "\(text.debugDescription) from \(offset)")
                }
            }
            let replacement = try ReplacementTemplate("", captureCount: regex.captureCount)
            let expected = try TextScrubber.substitute(regex, replacement, in: subject)
            switch check.removeLabels(from: subject, matcher: matcher) {
            case .unchanged: #expect(expected == nil, "\(text.debugDescription)")
            case .removed(let kept): #expect(expected == [kept], "\(text.debugDescription)")
            case .suffix(let from): #expect(expected == [Array(subject[from...])], "\(text.debugDescription)")
            case .undecided: #expect(text.unicodeScalars.contains { $0.value >= 0x80 }, "\(text.debugDescription)")
            }
        }
    }

    @Test func findsTheLinesThatHoldALabel() throws {
        let (check, _, matcher) = try labelRule()
        func first(_ text: String, from offset: Int = 0) -> Int? {
            Array(text.utf8).withUnsafeBytes { check.firstLine(in: $0, from: offset, matcher: matcher) }
        }
        #expect(first("Elias Vance: hi") == 0)
        #expect(first("  **@quantum_scribe** :yo") == 0)
        #expect(first("[ZOË]: hi") == 0)
        #expect(first("meet at 10:30\nok") == nil)
        #expect(first("so here's the thing: no") == nil)
        #expect(first("ok\nElias: then") == 3)
        #expect(first("Elias: a\nb\nzoë: c", from: 1) == 11)
        #expect(first("Elias: a Elias: b", from: 1) == nil)
        #expect(check.removes)
    }

    @Test func removesLabelsAsThePatternDoes() throws {
        let (check, _, matcher) = try labelRule()
        func removed(_ text: String) -> String? {
            Array(text.utf8).withUnsafeBytes {
                switch check.removeLabels(from: $0, matcher: matcher) {
                case .removed(let kept): return String(decoding: kept, as: UTF8.self)
                case .suffix(let from): return String(decoding: $0[from...], as: UTF8.self)
                case .unchanged, .undecided: return nil
                }
            }
        }
        #expect(removed("Elias Vance: Hey") == "Hey")
        // Labels only at the start leave the end of the text, told by its offset, not copied.
        func removal(_ text: String) -> LabelLinePrecheck.Removal {
            Array(text.utf8).withUnsafeBytes { check.removeLabels(from: $0, matcher: matcher) }
        }
        #expect(removal("Elias Vance: Hey") == .suffix(from: 13))
        #expect(removal("Elias:\nZOË: c") == .removed(Array("\nc".utf8)))
        #expect(removal("a\nElias: b") == .removed(Array("a\nb".utf8)))
        #expect(removed("**Elias:** lol") == "lol")
        #expect(removed("a\n[quantum_scribe]:  b\nZOË: c") == "a\nb\nc")
        #expect(removed("ZOË:c") == nil)
        #expect(removed("Elias:)") == nil)
        #expect(removed("Elias:P lol") == nil)
        #expect(removed("Elias:Pa") == "Pa")
        #expect(removed("I told Elias Vance: no") == nil)
        #expect(removed("Elias:") == "")
    }

    @Test func neverSkipsALineThePatternMatches() throws {
        let (check, regex, matcher) = try labelRule()
        for text in [
            "Elias Vance: Hey there", "Elias: Hey", "quantum_scribe: hi", "**Elias:** lol", "**Elias**: lol",
            "[quantum_scribe]: yo", "@theofficial.emma: hi", "**@theofficial.emma:** hi", "ELIAS VANCE: loud",
            "  Elias :  spaced", "\tElias\t:\tTabs", "Elias:\nnext", "ok then\nZoë: sure", "Elias:Hey", "Elias:)",
            "Elias:P", "Elias://x", "Zoe\u{308}: nfd", "ZOË O'BRIEN:x", "a\n**Elias:** b\n[quantum_scribe]: c",
            "Elias***: x", "Elias]]: x", "[[Elias]: x", "@@Elias: x", "****Elias: x", " : x", ":", "\n:\n",
        ] {
            try expectExact(text, check, regex, matcher)
        }
    }

    @Test func neverSkipsALineOnGeneratedLookAlikes() throws {
        let (check, regex, matcher) = try labelRule()
        var random = SeededNumbers(state: 9)
        let fragments =
            PrecheckExactnessTests.fragments + [
                "ELIAS", "ZOË", "Zoe\u{308}", "İ", "ß", "]", "***", "\r", ":P", ":3 ", ":Pa", ":-)", "://", "Dé", "9",
                "**:", ":**", "\u{301}",
            ]
        for _ in 0..<3000 {
            let text = (0..<random.next(9)).map { _ in fragments[random.next(fragments.count)] }.joined()
            try expectExact(text, check, regex, matcher)
        }
    }

    /// Names under full case folding and normalization (issue 9's list), with candidates
    /// that have more ASCII than any key and are ruled out without folding.
    @Test func lookUpAgreesWithTheKeys() throws {
        let names = PersonaNames([("Shivani Yılmaz", "strauß_fan"), ("İlknur Strauß", "Zoë")])
        let (_, _, matcher) = try labelRule(names)
        let keys = Set((names.names + names.firstNames + names.usernames).map { PersonaKey.key($0) })
        for candidate in [
            "SHIVANI YILMAZ", "Shivani YILMAZ", "shivani yilmaz", "ILKNUR", "ilknur", "İLKNUR STRAUSS",
            "ilknur strauss", "STRAUSS_FAN", "ZOË", "zoe\u{308}", "Zoe", "Shivani Yılmaz and a long tail ☕",
            "☕ ilknur", "ı", "İlknur Strauß!", "\u{212A}",
            // Two ASCII bytes first: ruled out by the first letter when no key starts with it.
            "Zoe\u{308}", "Xy Yılmaz", "Ilknur Strauß", "sHIVANI yılmaz", "St\u{301}rauß_fan",
        ] {
            let bytes = Array(candidate.utf8)
            let found = bytes.withUnsafeBytes { matcher.contains($0) }
            #expect(found == keys.contains(PersonaKey.key(candidate)), "\(candidate)")
        }
    }
}
