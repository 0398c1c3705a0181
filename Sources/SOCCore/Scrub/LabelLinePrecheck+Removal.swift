/// The default speaker-label rule done by hand: where `LabelLinePrecheck` finds a line whose
/// possible `{persona}` groups include a value, the match runs from the line start to the end
/// of what follows the colon, which does not depend on the group PCRE2 would pick. Measured
/// with callgrind (bench/data/soc_realistic.jsonl, --threads 1), the pattern with its callout
/// cost about 1,000 instructions per message with a colon; this reads each line once.
extension LabelLinePrecheck {
    /// The whole default speaker-label pattern (rules/scrub/chat.rules).
    static let defaultPattern =
        #"^[ \t]*+(?:\*\*|\[)?@?{persona}(?:\*\*|\])?[ \t]*:(?:\*\*)?(?:[ \t]+|$|(?![)(/\\|\[\]<>*'\-])(?![\p{L}\p{N}](?!\p{L})))"#

    /// What removing the labels of a text gave.
    enum Removal: Equatable {
        /// No line holds a label.
        case unchanged
        /// The text without its labels.
        case removed([UInt8])
        /// The text without its labels is the text from this offset on (one label, at its start:
        /// nearly every labelled message), told without copying it.
        case suffix(from: Int)
        /// A line's label depends on the Unicode category of a non-ASCII character after its
        /// colon: PCRE2 (whose Unicode tables the rule is defined by) decides instead.
        case undecided
    }

    /// `defaultPattern`'s matches in `text` replaced by nothing, as `TextScrubber.substitute`
    /// gives them (only when `removes`); a result that is the end of the text is told by its
    /// offset (`suffix`), not copied.
    func removeLabels(from text: UnsafeRawBufferPointer, matcher: PersonaMatcher) -> Removal {
        var kept: [UInt8] = []
        var copied = 0
        var offset = 0
        var newline = -1
        while let (start, colon) = nextColonLine(in: text, from: offset, newline: &newline) {
            offset = colon + 1
            let end: Int
            switch Self.suffixEnd(text, colon: colon) {
            case .none: continue
            case .undecided:
                if lineMayMatch(text, start: start, colon: colon, matcher: matcher) { return .undecided }
                continue
            case .at(let at): end = at
            }
            guard lineMayMatch(text, start: start, colon: colon, matcher: matcher) else { continue }
            if start > copied {
                if kept.isEmpty { kept.reserveCapacity(text.count) }
                kept.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[copied..<start]))
            }
            copied = end
            offset = end
        }
        // A label is never empty: nothing was removed exactly when nothing was copied past.
        if copied == 0 { return .unchanged }
        if kept.isEmpty { return .suffix(from: copied) }
        kept.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[copied...]))
        return .removed(kept)
    }

    /// Where the pattern after the colon ends on the first path PCRE2 tries that matches;
    /// `.none` when none does.
    private enum SuffixEnd {
        case at(Int)
        case none
        case undecided
    }

    private static func suffixEnd(_ text: UnsafeRawBufferPointer, colon c: Int) -> SuffixEnd {
        let star = UInt8(ascii: "*")
        if c + 2 < text.count && text[c + 1] == star && text[c + 2] == star {
            let withStars = alternatives(text, at: c + 3)
            if case .none = withStars {} else { return withStars }
        }
        return alternatives(text, at: c + 1)
    }

    /// `[ \t]+|$|(?![)(/\\|\[\]<>*'\-])(?![\p{L}\p{N}](?!\p{L}))` at `q`, in that order.
    private static func alternatives(_ text: UnsafeRawBufferPointer, at q: Int) -> SuffixEnd {
        let n = text.count
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        if q < n && isBlank(text[q]) {
            var end = q + 1
            while end < n && isBlank(text[end]) { end += 1 }
            return .at(end)
        }
        // Multiline `$`: before a `\n` or at the end.
        if q == n || text[q] == UInt8(ascii: "\n") { return .at(q) }
        let x = text[q]
        for byte in ")(/\\|[]<>*'-".utf8 where x == byte { return .none }
        if x >= 0x80 { return .undecided }
        // ASCII's letters and digits are its only \p{L} and \p{N}.
        func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }
        let isDigit = x >= UInt8(ascii: "0") && x <= UInt8(ascii: "9")
        if !isLetter(x) && !isDigit { return .at(q) }
        // One letter or digit not followed by a letter (an emoticon like `:P`) fails.
        if q + 1 == n { return .none }
        let y = text[q + 1]
        if y >= 0x80 { return .undecided }
        return isLetter(y) ? .at(q) : .none
    }
}
