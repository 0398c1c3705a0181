import Testing

@testable import SOCCore

/// The byte-wise scans that replaced Character-wise ones at start-up: `RuleFileParser.lines(of:)`
/// and `PatternSuffix.holds`, each against the Character-wise operation it replaced.
@Suite struct RuleTextScanTests {
    static let texts = [
        "", "a", "a\n", "\n", "\n\n", "a\r\nb", "a\r\r\nb", "\r", "a\rb\n", "x\n\u{301}y", "é\r\n\r\n",
        "# c\n[one]\r\npattern: x\n  more\n", "日本\n語\r\n", "\r\n", "a\n\r",
    ]

    @Test func linesSplitAsCharactersDo() {
        for text in Self.texts {
            let expected = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            #expect(
                RuleFileParser.lines(of: text).map(String.init) == expected.map(String.init), "\(text.debugDescription)"
            )
        }
    }

    @Test func holdsFindsWhatContainsFinds() {
        let markers = ["(?i", "\\1", "(*", "\\G", "x", "(?P"]
        let texts = [
            "", "(?", "a(?i)b", "(?i", "\\\\1", "\\1", "éé(*COMMIT)", "日本(?P<n>x)", "{name}:x", "xx", "\\G",
        ]
        for text in texts {
            for marker in markers {
                #expect(PatternSuffix.holds(text, marker) == text.contains(marker), "\(text) \(marker)")
            }
        }
    }

    /// Where the two differ, `holds` says yes (the suffix is then not used: the safe side): a
    /// combining mark after the marker makes its last Character another one.
    @Test func holdsIsBytewiseAroundCombiningMarks() {
        #expect(PatternSuffix.holds("(?i\u{301})", "(?i"))
        #expect(!"(?i\u{301})".contains("(?i"))
    }
}
