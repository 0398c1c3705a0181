import Testing

@testable import SOCCore

/// `TagLiteralPrecheck.isOneWholeMatch` against PCRE2: whenever it says the first match of
/// `tag-audio-delay`'s pattern is the whole text, PCRE2 finds that match.
@Suite struct TagWholeMatchTests {
    static let texts = [
        "<audio>sigh</audio>", "<audio></audio>", "<audio>a</audio>x", "x<audio>a</audio>", "<audio>a</audio></audio>",
        "<audio>a<audio>b</audio>", "<audio>a</audio><audio>b</audio>", "<audio>a <b> c</audio>", "<audio>\n</audio>",
        "<audio>çay ☕</audio>", "<AUDIO>a</AUDIO>", "<audio>a</audi>", "<delay 3/>", "<delay/>", "<delay>",
        "<delay 3>", "<delay3/>", "<delay_3/>", "<delay-3/>", "<delayé/>", "<delay 3/> ", " <delay 3/>",
        "<delay a>b/>", "<delay a<b/>", "<delay 3/><delay 4/>", "<delay ms=\"300\"/>", "<delay\t/>", "<delay\n2/>",
        "<image>x</image>", "<audio>x</audio> <delay 1/>", "<delay 1/><audio>x</audio>", "<audio>", "</audio>", "",
    ]

    @Test func wholeMatchesAreWhatPCRE2Finds() throws {
        let entry = TagLiteralPrecheck.table[1]
        let check = try #require(TagLiteralPrecheck(pattern: entry.pattern, options: entry.options))
        #expect(check.knowsWholeMatches)
        let regex = try PCRE2Regex(entry.pattern, options: entry.options)
        var whole = 0
        for text in Self.texts {
            let bytes = Array(text.utf8)
            guard bytes.withUnsafeBytes({ check.isOneWholeMatch($0) }) else { continue }
            whole += 1
            let found: Range<Int>? = bytes.withUnsafeBytes { try? regex.firstMatchRange(in: $0) }
            #expect(found == 0..<bytes.count, "\(text)")
        }
        #expect(whole >= 8)
    }

    /// Only `tag-audio-delay`'s pattern knows its whole matches.
    @Test func otherTagPatternsAreNeverSure() throws {
        for entry in TagLiteralPrecheck.table where entry.pattern != TagLiteralPrecheck.table[1].pattern {
            let check = try #require(TagLiteralPrecheck(pattern: entry.pattern, options: entry.options))
            #expect(!check.knowsWholeMatches)
            let bytes = Array("<image>x</image>".utf8)
            #expect(!bytes.withUnsafeBytes { check.isOneWholeMatch($0) })
        }
    }
}
