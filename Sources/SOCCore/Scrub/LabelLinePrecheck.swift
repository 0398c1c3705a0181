import CPCRE2

#if canImport(Glibc)
    import Glibc
#endif

/// An exact pre-check, written by hand, for rules whose pattern starts as the default speaker
/// label does: `^[ \t]*+(?:\*\*|\[)?@?{persona}(?:\*\*|\])?[ \t]*:` in multiline mode. Such a
/// match begins at a line start, and its `{persona}` group (no `\n` or `:`, 1 to 100
/// characters) ends before the line's first colon, so each line offers a handful of possible
/// groups; the match needs one of them to be a persona value. Checking those few strings with
/// the record's `PersonaMatcher` rules out most messages with a colon (`meet at 10:30`,
/// `here's the thing: …`) without running the pattern.
///
/// Hand-written because nothing in PCRE2 serves it: the rule is one compiled pattern whose
/// names are checked by a callout, and each PCRE2 call costs about 150 instructions before it
/// reads a byte, plus the callout per line tried (callgrind, bench/data/soc_realistic.jsonl).
/// It only skips work: a line it rules out has no match, which `LabelLinePrecheckTests` checks
/// against the pattern itself.
struct LabelLinePrecheck {
    /// The pattern start this check understands (placeholders as written in a rule).
    static let patternPrefix = #"^[ \t]*+(?:\*\*|\[)?@?{persona}(?:\*\*|\])?[ \t]*:"#

    /// The check for a rule with this pattern and these options; nil when the pattern does not
    /// start with `patternPrefix` in multiline mode (without extended mode, which would change
    /// what its blanks mean), or when PCRE2 was built with a newline other than LF (`^` would
    /// match after other characters too).
    init?(pattern: String, options: PCRE2Regex.Options, replacementIsEmpty: Bool = false) {
        guard pattern.hasPrefix(Self.patternPrefix), options.contains(.multiline), !options.contains(.extended),
            PCRE2Regex.newlineIsLF
        else { return nil }
        removes = pattern == Self.defaultPattern && options == [.multiline] && replacementIsEmpty
    }

    /// True when the rule is the default speaker label (this pattern, multiline only, replaced
    /// by nothing): `removeLabels` then does its work without PCRE2.
    let removes: Bool

    /// The first line start at or after `offset` where a match may begin (the line's possible
    /// `{persona}` groups include a value `matcher` knows); nil when no line of `text` from
    /// `offset` on can hold a match. A search of the pattern from the result finds the same
    /// first match as one from `offset`.
    func firstLine(in text: UnsafeRawBufferPointer, from offset: Int, matcher: PersonaMatcher) -> Int? {
        var offset = offset
        var newline = -1
        while let (start, colon) = nextColonLine(in: text, from: offset, newline: &newline) {
            if lineMayMatch(text, start: start, colon: colon, matcher: matcher) { return start }
            offset = colon + 1
        }
        return nil
    }

    /// The first line start at or after `offset` whose line has a colon, and that colon: the
    /// lines the pattern's `^` can start a match on (multiline, LF: the start and after each
    /// `\n`) and whose first colon can end its `{persona}` group (which holds no `\n` or `:`).
    ///
    /// `newline` carries the first `\n` at or after an earlier search's start (`text.count`
    /// when none; below 0 before the first call) from call to call over the same text, so a
    /// text of one line is searched for `\n` once, not after each colon: two `memchr` calls for
    /// most messages with a colon instead of three (callgrind, real20.jsonl, --threads 1).
    func nextColonLine(in text: UnsafeRawBufferPointer, from offset: Int, newline: inout Int)
        -> (start: Int, colon: Int)?
    {
        guard let base = text.baseAddress else { return nil }
        let n = text.count
        func find(_ byte: UInt8, _ from: Int, _ to: Int) -> Int? {
            guard from < to, let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
            return base.distance(to: UnsafeRawPointer(hit))
        }
        /// The first `\n` at or after `from` (`n` when none).
        func lineEnd(_ from: Int) -> Int {
            if newline < from { newline = find(UInt8(ascii: "\n"), from, n) ?? n }
            return newline
        }
        var start = offset
        if start > 0 && text[start - 1] != UInt8(ascii: "\n") {
            let end = lineEnd(start)
            guard end < n else { return nil }
            start = end + 1
        }
        while start < n {
            guard let c = find(UInt8(ascii: ":"), start, n) else { return nil }
            let end = lineEnd(start)
            if end > c { return (start, c) }
            start = end + 1
        }
        return nil
    }

    /// True when one of the groups the pattern could capture on the line starting at `start`,
    /// whose first colon is at `colon`, is a persona value.
    func lineMayMatch(_ text: UnsafeRawBufferPointer, start: Int, colon c: Int, matcher: PersonaMatcher)
        -> Bool
    {
        func isBlank(_ i: Int) -> Bool { text[i] == UInt8(ascii: " ") || text[i] == UInt8(ascii: "\t") }
        func isStar(_ i: Int) -> Bool { text[i] == UInt8(ascii: "*") }
        // `[ \t]*+` is possessive: every blank. Then `**` or `[` or nothing, then `@` or nothing.
        var p = start
        while p < c && isBlank(p) { p += 1 }
        var opened = p
        if p + 1 < c && isStar(p) && isStar(p + 1) {
            opened = p + 2
        } else if p < c && text[p] == UInt8(ascii: "[") {
            opened = p + 1
        }
        // Before the colon: `[ \t]*`, after `**` or `]` or nothing. The group may end anywhere
        // in the blanks, or before a `**` or `]` that precedes them.
        var blanks = c
        while blanks > start && isBlank(blanks - 1) { blanks -= 1 }
        var closer = -1
        if blanks - 2 >= start && isStar(blanks - 2) && isStar(blanks - 1) {
            closer = blanks - 2
        } else if blanks - 1 >= start && text[blanks - 1] == UInt8(ascii: "]") {
            closer = blanks - 1
        }
        let ends = (closer: closer, blanks: blanks, colon: c)
        let at = UInt8(ascii: "@")
        if groupMayMatch(text, from: p, ends, matcher) { return true }
        if p < c && text[p] == at && groupMayMatch(text, from: p + 1, ends, matcher) { return true }
        if opened != p {
            if groupMayMatch(text, from: opened, ends, matcher) { return true }
            if opened < c && text[opened] == at && groupMayMatch(text, from: opened + 1, ends, matcher) { return true }
        }
        return false
    }

    /// True when a group starting at `groupStart` and ending before the `**` or `]` at
    /// `ends.closer` (when set), or anywhere from `ends.blanks` to the colon, is a value.
    private func groupMayMatch(
        _ text: UnsafeRawBufferPointer, from groupStart: Int, _ ends: (closer: Int, blanks: Int, colon: Int),
        _ matcher: PersonaMatcher
    ) -> Bool {
        if ends.closer > groupStart && isValue(text, groupStart..<ends.closer, matcher) { return true }
        var end = max(ends.blanks, groupStart + 1)
        while end <= ends.colon {
            if isValue(text, groupStart..<end, matcher) { return true }
            end += 1
        }
        return false
    }

    /// True when `range` of `text` can be the group (1 to `PersonaMatcher.maxCharacters`
    /// characters) and is a persona value.
    private func isValue(_ text: UnsafeRawBufferPointer, _ range: Range<Int>, _ matcher: PersonaMatcher) -> Bool {
        let limit = PersonaMatcher.maxCharacters
        if range.isEmpty || range.count > 4 * limit { return false }
        if range.count > limit {
            var characters = 0
            for i in range where text[i] & 0xC0 != 0x80 { characters += 1 }
            if characters > limit { return false }
        }
        return matcher.containsOnce(UnsafeRawBufferPointer(rebasing: text[range]))
    }
}
