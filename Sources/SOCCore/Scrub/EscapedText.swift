#if canImport(Glibc)
    import Glibc
#endif

/// The text of an escaped JSON string as scrub reads it, keeping lone surrogate escapes.
///
/// A lone surrogate (`\ud800` without its pair) has no UTF-8 form, so the shared unescaper
/// turns it into U+FFFD; an edited message would then lose it. Here each lone surrogate escape
/// becomes a code point of plane 16 (U+100000 + its index in `escapes`) while the rules run,
/// and is written back as the same escape text (`JSONSplice.appendString`).
struct EscapedText {
    /// The unescaped UTF-8, lone surrogates as plane-16 stand-ins.
    var text: [UInt8]
    /// The original text of each lone surrogate escape (`\uD83D`), by stand-in index.
    var escapes: [[UInt8]]

    static let base: UInt32 = 0x10_0000

    /// Unescapes `content` (the bytes between a string's quotes, validated by the parser); nil
    /// when the text already holds plane-16 code points and has a lone surrogate (the stand-ins
    /// would be ambiguous: the message is then left as it is).
    static func decode(_ content: UnsafeRawBufferPointer) -> EscapedText? {
        var out = [UInt8](repeating: 0, count: content.count)
        guard
            let (count, escapes) = out.withUnsafeMutableBytes({ decode(content, into: $0.baseAddress) })
        else { return nil }
        out.removeLast(out.count - count)
        return EscapedText(text: out, escapes: escapes)
    }

    /// `decode`, writing the text at `out` (room for `content.count` bytes: unescaped text is
    /// never longer than its escaped form) and returning its length and the escapes (nil in
    /// the same case `decode` returns nil).
    ///
    /// What `JSONString.unescape` writes with lone surrogates as stand-ins, through a pointer:
    /// half the records of a `json.dumps` dataset are escaped, and appending runs and scalars
    /// to an array cost about 1k instructions per message (138M on bench/data/soc_realistic.jsonl,
    /// --threads 1, callgrind).
    static func decode(_ content: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer?) -> (Int, [[UInt8]])? {
        var style = Style()
        return decode(content, into: out, style: &style)
    }

    /// How the escapes of a text are written, as far as writing it back goes: whether
    /// `JSONSplice.appendString` would write each of them as it is (then a part of the text
    /// that runs to its end is copied from the record instead of escaped again; see
    /// `ScrubStage.scrubMessage`).
    struct Style {
        /// Nonzero when some escape would be written otherwise: `\/`, upper-case hex digits,
        /// `\u` for a printable ASCII character or for a control byte that has a short escape.
        var otherwise: UInt32 = 0
        /// Whether a `\u` escape stands for non-ASCII (written as it is only in a record
        /// without raw non-ASCII bytes, where `appendString` escapes non-ASCII).
        var nonASCII = false

        /// True when each escape is written back as it is by `appendString` with
        /// `asciiOnly: recordIsASCII()` (asked only when it matters).
        func writesBackAsIs(recordIsASCII: () -> Bool) -> Bool {
            otherwise == 0 && (!nonASCII || recordIsASCII())
        }
    }

    /// `decode`, noting in `style` how the escapes are written.
    static func decode(_ content: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer?, style: inout Style)
        -> (Int, [[UInt8]])?
    {
        guard let base = content.baseAddress, let out else { return (0, []) }
        // Upper-case hex digits lack bit 0x20 (digits and lower-case letters have it).
        var otherwise: UInt32 = 0
        var nonASCII = false
        defer {
            style.otherwise = otherwise
            style.nonASCII = nonASCII
        }
        var escapes: [[UInt8]] = []
        var tooMany = false
        let n = content.count
        var i = 0
        var w = 0
        func put(_ byte: UInt8) {
            out.storeBytes(of: byte, toByteOffset: w, as: UInt8.self)
            w += 1
        }
        // The four hex digits the parser checked, read as one word (hand-written hot path: a
        // digit at a time cost about 45 instructions per escape, callgrind on real20.jsonl): a
        // digit's value is its low nibble, plus 9 for a letter (bit 6 set).
        func hex4(_ at: Int) -> UInt32 {
            let word = UInt32(littleEndian: (base + at).loadUnaligned(as: UInt32.self))
            let values = (word & 0x0F0F_0F0F) &+ ((word >> 6) & 0x0101_0101) &* 9
            return (values & 0xFF) << 12 | (values >> 8 & 0xFF) << 8 | (values >> 16 & 0xFF) << 4 | values >> 24
        }
        // The bytes of the escapes `\b` `\f` `\n` `\r` `\t`, four bits each at slot
        // `(letter - "b") / 2` (0, 2, 6, 8 and 9: distinct).
        let shortEscapes: UInt64 = 8 | 12 << 8 | 10 << 24 | 13 << 32 | 9 << 36
        while i < n {
            // An escape right after the one before (runs of `\u` escapes: words in kana or
            // Cyrillic, emoji after emoji) is read without a `memchr`, which returned at once:
            // 82k of its 245k calls here (callgrind, bench/data/soc_realistic.jsonl, --threads 1).
            if content[i] != UInt8(ascii: "\\") {
                let k =
                    memchr(base + i, Int32(UInt8(ascii: "\\")), n - i).map { base.distance(to: UnsafeRawPointer($0)) }
                    ?? n
                (out + w).copyMemory(from: base + i, byteCount: k - i)
                w += k - i
                i = k
            }
            guard i < n else { break }
            let e = content[i + 1]
            i += 2
            // The escape's byte chosen without a jump table: its indirect branch (a `switch`
            // over the escape letters) was mispredicted on 19.5k to 183k escapes, depending on
            // how unrelated code was laid out (callgrind --branch-sim, bench/data/
            // soc_realistic.jsonl, --threads 1); `\\u` and the rest are one predictable test.
            guard e == UInt8(ascii: "u") else {
                // b f n r t from `shortEscapes`, \" \\ \/ (below `b`) as they are.
                let slot = UInt64(e &- UInt8(ascii: "b")) &>> 1
                let short = UInt8(truncatingIfNeeded: shortEscapes &>> (4 &* slot)) & 0x0F
                put(e >= UInt8(ascii: "b") ? short : e)
                if e == UInt8(ascii: "/") { otherwise |= 1 }
                continue
            }
            otherwise |= ~UInt32(littleEndian: (base + i).loadUnaligned(as: UInt32.self)) & 0x2020_2020
            var scalar = hex4(i)
            let start = i - 2
            i += 4
            if (0xD800...0xDBFF).contains(scalar), i + 6 <= n, content[i] == UInt8(ascii: "\\"),
                content[i + 1] == UInt8(ascii: "u")
            {
                let low = hex4(i + 2)
                if (0xDC00...0xDFFF).contains(low) {
                    otherwise |=
                        ~UInt32(littleEndian: (base + i + 2).loadUnaligned(as: UInt32.self)) & 0x2020_2020
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
            }
            if (0xD800...0xDFFF).contains(scalar) {
                if escapes.count < 0xFFFE {
                    escapes.append(Array(content[start..<(start + 6)]))
                    scalar = Self.base + UInt32(escapes.count - 1)
                } else {
                    tooMany = true
                    scalar = 0xFFFD
                }
            }
            switch scalar {
            case ..<0x80:
                put(UInt8(scalar))
                // Written back raw, or as a short escape, unless a control byte without one.
                if scalar >= 0x20 || (8...13).contains(scalar) && scalar != 11 { otherwise |= 1 }
            case ..<0x800:
                nonASCII = true
                put(UInt8(0xC0 | scalar >> 6))
                put(UInt8(0x80 | scalar & 0x3F))
            case ..<0x10000:
                nonASCII = true
                put(UInt8(0xE0 | scalar >> 12))
                put(UInt8(0x80 | scalar >> 6 & 0x3F))
                put(UInt8(0x80 | scalar & 0x3F))
            default:
                nonASCII = true
                put(UInt8(0xF0 | scalar >> 18))
                put(UInt8(0x80 | scalar >> 12 & 0x3F))
                put(UInt8(0x80 | scalar >> 6 & 0x3F))
                put(UInt8(0x80 | scalar & 0x3F))
            }
        }
        if escapes.isEmpty { return (w, escapes) }
        if tooMany { return nil }
        // Each stand-in is one plane-16 code point (UTF-8 F4 8x ..); more such code points than
        // stand-ins means the text held plane 16 already (raw or escaped): ambiguous.
        var plane16 = 0
        var j = 0
        while j + 1 < w, let hit = memchr(out + j, 0xF4, w - j) {
            let at = UnsafeRawPointer(out).distance(to: UnsafeRawPointer(hit))
            if at + 1 < w && out.load(fromByteOffset: at + 1, as: UInt8.self) & 0xF0 == 0x80 { plane16 += 1 }
            j = at + 1
        }
        return plane16 > escapes.count ? nil : (w, escapes)
    }

    /// The offset in `content` (escaped, as `decode` reads it) of the character at offset
    /// `decoded` of its decoded text, or nil when `decoded` does not fall on a character of it.
    /// Walks the text before it (the few bytes of a speaker label, where it is used), eight
    /// bytes at a time up to each backslash: a `memchr` per escape cost about 3 mispredicted
    /// branches a call (callgrind, bench/data/soc_realistic.jsonl, --threads 1: 27k calls).
    static func rawOffset(of decoded: Int, in content: UnsafeRawBufferPointer) -> Int? {
        guard let base = content.baseAddress else { return decoded == 0 ? 0 : nil }
        let n = content.count
        var r = 0
        var w = 0
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for k in at..<(at + 4) { value = value << 4 | UInt32(JSONParser.hexValue(content[k]) ?? 0) }
            return value
        }
        while w < decoded {
            // The bytes before the next backslash (8 when none of the next 8 is one).
            var run = 0
            if r + 8 <= n {
                let x = UInt64(littleEndian: (base + r).loadUnaligned(as: UInt64.self)) ^ 0x5C5C_5C5C_5C5C_5C5C
                let zero = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
                run = zero == 0 ? 8 : zero.trailingZeroBitCount >> 3
            } else {
                while r + run < n && content[r + run] != UInt8(ascii: "\\") { run += 1 }
            }
            if run >= decoded - w { return r + (decoded - w) }
            r += run
            w += run
            if run == 8 { continue }
            // Else a backslash is at `r`, unless the text ended.
            guard r < n else { return nil }
            guard content[r + 1] == UInt8(ascii: "u") else {
                r += 2
                w += 1
                continue
            }
            let scalar = hex4(r + 2)
            r += 6
            if (0xD800...0xDBFF).contains(scalar), r + 6 <= n, content[r] == UInt8(ascii: "\\"),
                content[r + 1] == UInt8(ascii: "u"), (0xDC00...0xDFFF).contains(hex4(r + 2))
            {
                r += 6
                w += 4
                continue
            }
            // A lone surrogate is a plane-16 stand-in (4 bytes).
            w += scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : (0xD800...0xDFFF).contains(scalar) ? 4 : 3
        }
        return w == decoded ? r : nil
    }

    /// The stand-in index at `i` of `text` (UTF-8), or nil when no stand-in starts there.
    static func standIn(_ text: UnsafeRawBufferPointer, at i: Int, count: Int) -> Int? {
        guard text[i] == 0xF4, i + 3 < text.count, text[i + 1] & 0xF0 == 0x80 else { return nil }
        let scalar =
            (UInt32(text[i] & 0x07) << 18) | (UInt32(text[i + 1] & 0x3F) << 12) | (UInt32(text[i + 2] & 0x3F) << 6)
            | UInt32(text[i + 3] & 0x3F)
        let k = Int(scalar - base)
        return k < count ? k : nil
    }

    /// True when `pieces` would write a high surrogate escape right before a low one: read
    /// back, the two would pair into another character, so the message must stay as it was.
    static func pairsUp(_ pieces: ScrubPieces, escapes: [[UInt8]]) -> Bool {
        for piece in pieces {
            let found: Bool = piece.withUnsafeBytes { text in
                var previousHigh = -1
                var i = 0
                while i < text.count {
                    if let k = standIn(text, at: i, count: escapes.count) {
                        let unit = Self.unit(escapes[k])
                        if previousHigh == i && (0xDC00...0xDFFF).contains(unit) { return true }
                        i += 4
                        previousHigh = (0xD800...0xDBFF).contains(unit) ? i : -1
                        continue
                    }
                    i += 1
                }
                return false
            }
            if found { return true }
        }
        return false
    }

    /// The code unit an escape `\uXXXX` stands for.
    static func unit(_ escape: [UInt8]) -> UInt32 {
        var value: UInt32 = 0
        for byte in escape.dropFirst(2) { value = value << 4 | (JSONParser.hexValue(byte) ?? 0) }
        return value
    }
}
