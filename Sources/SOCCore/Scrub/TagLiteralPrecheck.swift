import CSystem

#if canImport(Glibc)
    import Glibc
#endif

/// An exact pre-check for the default tag rules (rules/scrub/chat.rules): texts every match of
/// the pattern contains, in groups of alternatives (each group needs one of its texts). A
/// message with `<` and `>` but without, say, `<audio>` or `<delay` cannot match
/// `tag-audio-delay`, and is skipped without a PCRE2 call.
///
/// Hand-written because PCRE2 only reports one required first and last code unit (for these
/// rules `<` and `>`, which every tagged message has); a JIT call costs several hundred
/// instructions before it gives up (callgrind, real20.jsonl: about 40,000 calls of the tag
/// rules, two thirds of them on messages without the rule's tag). Patterns are recognized by
/// their exact text, so an edited rule simply runs without it; `TagLiteralPrecheckTests`
/// checks each table entry against its pattern.
struct TagLiteralPrecheck {
    /// One bit per text of `needles` for each group: every match contains a text of each group.
    let groups: [UInt32]
    /// When every match starts with a text of the first group: that group's bits for texts
    /// found after the first byte (`scan`'s upper half), else nil.
    let laterStarts: UInt32?
    /// Whether the pattern is `tag-audio-delay`'s, whose one match over a whole text
    /// `isOneWholeMatch` tells.
    let knowsWholeMatches: Bool

    /// The default tag rules' patterns (with their flags) and the texts each match contains.
    /// `starts`: every match begins with a text of the first group (the pattern starts with it).
    static let table: [(pattern: String, options: PCRE2Regex.Options, groups: [[String]], starts: Bool)] = [
        (
            #"<end/>\s*+(?=(?:(?!<end/>).)*+\z)(?=.*?(?:<audio>(?:(?!</?audio>).)*+</audio>|<delay\b[^<>]*+(?<=/)>|<(image|gif|video)>(?:(?!</?\1>).)*+</\1>))(.*)"#,
            [.dotAll], [["<end/>"], ["<audio>", "<delay", "<image>", "<gif>", "<video>"]], true
        ),
        (
            #"<audio>(?:(?!</?audio>).)*+</audio>|<delay\b[^<>]*+(?<=/)>"#, [.dotAll],
            [["<audio>", "<delay"]], true
        ),
        (#"<(image|gif|video)>(?:(?!</?\1>).)*+</\1>"#, [.dotAll], [["<image>", "<gif>", "<video>"]], true),
    ]

    /// Every text of `table`, each starting with `<`: a text is searched once for all of them.
    static let needles: [[UInt8]] = ["<end/>", "<audio>", "<delay", "<image>", "<gif>", "<video>"].map {
        Array($0.utf8)
    }

    /// The check for `pattern` with `options`; nil when it is not one of `table`'s patterns.
    init?(pattern: String, options: PCRE2Regex.Options) {
        guard let entry = Self.table.first(where: { $0.pattern == pattern && $0.options == options }) else {
            return nil
        }
        groups = entry.groups.map { group in
            group.reduce(UInt32(0)) { mask, text in
                mask | UInt32(1) << UInt32(Self.needles.firstIndex(of: Array(text.utf8))!)
            }
        }
        laterStarts = entry.starts ? groups[0] << 16 : nil
        knowsWholeMatches = pattern == Self.table[1].pattern
    }

    /// True when (for `knowsWholeMatches`) the first match in `text` is all of it: one
    /// `<audio>…</audio>` with no other `<` inside, or one `<delay …/>` with no other `<` or
    /// `>`. False when unsure. A rule that breaks around its matches changes no such text.
    ///
    /// Hand-written hot path: 13k of bench/data/soc_realistic.jsonl's messages are one such
    /// tag, and PCRE2 said so in about 1,250 instructions and 13 mispredicted branches each
    /// (`CompiledRule.changes`; callgrind, --threads 1).
    func isOneWholeMatch(_ text: UnsafeRawBufferPointer) -> Bool {
        guard knowsWholeMatches, let base = text.baseAddress else { return false }
        let n = text.count
        func equals(_ literal: StaticString, at offset: Int) -> Bool {
            let count = literal.utf8CodeUnitCount
            return offset >= 0 && offset + count <= n
                && memcmp(base + offset, literal.utf8Start, count) == 0
        }
        func has(_ byte: UInt8, in range: Range<Int>) -> Bool {
            !range.isEmpty && memchr(base + range.lowerBound, Int32(byte), range.count) != nil
        }
        let open = UInt8(ascii: "<")
        // `<audio>(?:(?!</?audio>).)*+</audio>`: the content runs to the first `</audio>`.
        if n >= 15 && equals("<audio>", at: 0) && equals("</audio>", at: n - 8) {
            return !has(open, in: 7..<(n - 8))
        }
        // `<delay\b[^<>]*+(?<=/)>`: `\b` after `y` needs an ASCII byte that is no word character
        // (a non-ASCII letter is one, under UCP); `[^<>]*+` runs to the first `<` or `>`.
        guard n >= 8 && equals("<delay", at: 0) && text[n - 1] == UInt8(ascii: ">") && text[n - 2] == UInt8(ascii: "/")
        else { return false }
        let next = text[6]
        let isWord =
            next >= 0x80 || next == UInt8(ascii: "_") || (next >= UInt8(ascii: "0") && next <= UInt8(ascii: "9"))
            || ((next | 0x20) >= UInt8(ascii: "a") && (next | 0x20) <= UInt8(ascii: "z"))
        return !isWord && !has(open, in: 6..<(n - 1)) && !has(UInt8(ascii: ">"), in: 6..<(n - 1))
    }

    /// False when `present` (`scan` of a text) lacks every text of some group: no match.
    func mayMatch(_ present: UInt32) -> Bool {
        for group in groups where present & group == 0 { return false }
        return true
    }

    /// Each text of `needles` as little-endian bytes in a word, and the mask of its bytes (every
    /// text is at most 8 bytes).
    static let words: [(bytes: UInt64, mask: UInt64)] = needles.map { needle in
        precondition(needle.count <= 8 && !needle.contains(0))
        var bytes: UInt64 = 0
        for (k, byte) in needle.enumerated() { bytes |= UInt64(byte) << UInt64(8 * k) }
        return (bytes, needle.count == 8 ? ~0 : (UInt64(1) << UInt64(8 * needle.count)) - 1)
    }

    /// False when `present` (`scan` of a text) shows that every match starts at the text's first
    /// byte: a rule that only breaks before its matches changes nothing there.
    func mayMatchAfterStart(_ present: UInt32) -> Bool {
        guard let laterStarts else { return true }
        return present & laterStarts != 0
    }

    /// One bit per text of `needles` that occurs in `text` (bit k), and one per text that occurs
    /// after its first byte (bit 16 + k): the `<` of 64 bytes at a time found as one word's bits
    /// (four 16-byte compares), the 8 bytes from each compared with the text its second byte
    /// names (`bySecondByte`).
    ///
    /// Hand-written hot path: a `memchr` from each `<` to the next (two a text, and one more that
    /// finds none) cost 237 instructions and 6.5 mispredicted branches per text (72k texts with a
    /// `<`; callgrind --branch-sim, bench/data/soc_realistic.jsonl, --threads 1).
    static func scan(_ text: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = text.baseAddress, text.count >= 16 else { return scanEachTag(text) }
        let n = text.count
        var present: UInt32 = 0
        Self.bySecondByte.withUnsafeBufferPointer { table in
            // Offsets before `done` are scanned. Each round reads the 64 bytes at `from` (the last
            // round's moved back to end at the text's end, its lanes already seen masked off), as
            // four blocks (moved back to end there too: a block's bits shifted to its offset).
            var done = 0
            repeat {
                let from = max(0, min(done, n &- 64))
                var opens: UInt64 = 0
                var block = from
                for _ in 0..<4 {
                    let at = min(block, n &- 16)
                    opens |= UInt64(openings(base + at)) &<< UInt64(at &- from)
                    block &+= 16
                }
                opens &= ~0 &<< UInt64(done &- from)
                while opens != 0 {
                    let at = from &+ opens.trailingZeroBitCount
                    opens &= opens &- 1
                    // The 8 bytes from `at`: the text's last 8 shifted when fewer are left (zeros
                    // past its end, which no text holds), without a branch.
                    let start = min(at, n &- 8)
                    let word =
                        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: start, as: UInt64.self))
                        &>> UInt64(8 &* (at &- start))
                    let entry = table[Int(truncatingIfNeeded: word &>> 8) & 31]
                    let found = word & entry.mask == entry.bytes ? entry.bit : 0
                    // Bit 16 + k too when `at` is not the first byte.
                    present |= found | (found &<< 16) & UInt32(truncatingIfNeeded: (0 &- at) &>> 63)
                }
                done = from &+ 64
            } while done < n
        }
        return present
    }

    /// Bit k: the 16 bytes at `p` hold `<` at offset k.
    @inline(__always)
    private static func openings(_ p: UnsafeRawPointer) -> UInt32 {
        typealias V = SIMD16<UInt8>
        let opens = p.loadUnaligned(as: V.self) .== V(repeating: UInt8(ascii: "<"))
        return soc_high_bits16(unsafeBitCast(opens, to: V.self))
    }

    /// `words` by the low 5 bits of each text's second byte (all differ), with the text's bit;
    /// other entries match no word. One compare a `<`: comparing every text, without a branch
    /// meant to be, was compiled to a chain of branches.
    static let bySecondByte: [(bytes: UInt64, mask: UInt64, bit: UInt32)] = {
        var table = [(bytes: UInt64, mask: UInt64, bit: UInt32)](repeating: (1, 0, 0), count: 32)
        for (k, needle) in needles.enumerated() {
            let slot = Int(needle[1] & 31)
            precondition(table[slot].bit == 0)
            table[slot] = (words[k].bytes, words[k].mask, 1 << UInt32(k))
        }
        return table
    }()

    /// Bit k: `word` (8 bytes, little-endian) starts with text k of `needles`.
    static func literals(_ word: UInt64) -> UInt32 {
        let entry = bySecondByte[Int(truncatingIfNeeded: word >> 8) & 31]
        return word & entry.mask == entry.bytes ? entry.bit : 0
    }

    /// `scan` of a text shorter than its blocks: each `<` found with `memchr`, the 8 bytes from
    /// it (zeros past the end) compared with every text.
    static func scanEachTag(_ text: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = text.baseAddress else { return 0 }
        let n = text.count
        var present: UInt32 = 0
        var offset = 0
        while offset < n, let hit = memchr(base + offset, Int32(UInt8(ascii: "<")), n - offset) {
            let at = base.distance(to: UnsafeRawPointer(hit))
            var word: UInt64 = 0
            for k in 0..<min(8, n - at) { word |= UInt64(text[at + k]) << UInt64(8 * k) }
            let found = literals(word)
            present |= at > 0 ? found | found << 16 : found
            offset = at + 1
        }
        return present
    }
}
