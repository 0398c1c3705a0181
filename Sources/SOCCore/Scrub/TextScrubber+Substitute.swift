/// `TextScrubber`'s replacement of a rule's matches in one text.
extension TextScrubber {
    /// Replaces every match of `regex` in `subject`; nil when there is none. A `{break}` ends the
    /// current piece: blanks next to a break are dropped, and so are pieces a break left empty.
    /// `lines` (with the matcher holding the record's values) tells which lines may hold a
    /// match of a label rule: after a match, the search goes on at the next of them, and stops
    /// when none is left (most labels are the only one in their message).
    /// `known`: the match `regex` finds in `subject` searching from `from` (as
    /// `CompiledRule.changingMatch` gives it), taken as it is when the search gets there; only
    /// for a replacement without groups other than the whole match (`splitOnly`), whose other
    /// groups PCRE2's offsets would no longer hold.
    static func substitute(
        _ regex: PCRE2Regex, _ replacement: ReplacementTemplate, in subject: UnsafeRawBufferPointer,
        lines: (check: LabelLinePrecheck, matcher: PersonaMatcher)? = nil, known: (from: Int, range: Range<Int>)? = nil
    ) throws(PCRE2Regex.MatchError) -> [[UInt8]]? {
        // The piece being written is a local array, appended to through `memcpy`-backed raw
        // buffers; earlier pieces (before a `{break}`) wait in `segments`. Appending to
        // `segments[last]` and slices of the subject cost about 60 instructions per append in
        // uniqueness checks and byte-by-byte copies (callgrind, bench/data/soc_realistic.jsonl).
        var segments: [[UInt8]] = []
        var current: [UInt8] = []
        // How many breaks closed a piece (empty ones included).
        var breaks = 0
        var matched = false
        var offset = 0
        var copied = 0
        func copy(_ range: Range<Int>) {
            if !range.isEmpty { current.append(contentsOf: UnsafeRawBufferPointer(rebasing: subject[range])) }
        }
        // The match's range and groups are read from PCRE2's offsets (no groups array per match).
        while offset <= subject.count {
            // After a match (not before the first: the pattern's own search is cheaper than
            // looking up each line's names when most messages hold a label on their first line).
            if let lines, offset > 0 {
                guard let line = lines.check.firstLine(in: subject, from: offset, matcher: lines.matcher) else { break }
                offset = line
            }
            let range: Range<Int>
            if let known, known.from == offset {
                range = known.range
            } else {
                guard let found = try regex.firstMatchRange(in: subject, from: offset) else { break }
                range = found
            }
            if !matched {
                // Most results are the subject less a label: one allocation of its size.
                matched = true
                current.reserveCapacity(subject.count)
            }
            copy(copied..<range.lowerBound)
            for piece in replacement.pieces {
                switch piece {
                case .literal(let bytes): current.append(contentsOf: bytes)
                case .group(let g):
                    // The whole match is `range` (PCRE2's offsets may be another match's: `known`).
                    if let group = g == 0 ? range : regex.lastMatchGroup(g) { copy(group) }
                case .messageBreak:
                    // Trimmed as it is closed (blanks next to a break go), in place; left out
                    // when empty. Trimming and copying every piece at the end cost about 1k
                    // instructions per split message (callgrind, real20.jsonl, --threads 1).
                    if segments.isEmpty { segments.reserveCapacity(4) }
                    if trim(&current, leading: breaks > 0, trailing: true) { segments.append(current) }
                    breaks += 1
                    current = []
                    current.reserveCapacity(subject.count - range.lowerBound)
                }
            }
            copied = range.upperBound
            guard let next = PCRE2Regex.searchOffset(after: range, in: subject) else { break }
            offset = next
        }
        guard matched else { return nil }
        copy(copied..<subject.count)
        guard breaks > 0 else { return [current] }
        if trim(&current, leading: true, trailing: false) { segments.append(current) }
        return segments
    }

    /// Trims `piece` in place (`BlankText.trimmedRange` with these ends); false when nothing
    /// is left.
    private static func trim(_ piece: inout [UInt8], leading: Bool, trailing: Bool) -> Bool {
        let range = piece.withUnsafeBytes { BlankText.trimmedRange($0, leading: leading, trailing: trailing) }
        if range.isEmpty { return false }
        if range.upperBound < piece.count { piece.removeLast(piece.count - range.upperBound) }
        if range.lowerBound > 0 { piece.removeFirst(range.lowerBound) }
        return true
    }
}
