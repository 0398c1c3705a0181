import CSystem

/// Measuring a JSON string's text where it lies, escapes and all.
///
/// Unescaping a string into a new buffer only to count its words and characters cost soc-stats
/// more than the counting (a tenth of the messages of real data carry `\uXXXX` emoji and
/// `\n`); so the escaped bytes are measured as they are, in the one vector pass, and each escape
/// corrects the counts by what it stands for. The tests check this against measuring the
/// unescaped text (`JSONString.unescape`, a lone surrogate being U+FFFD as there).
extension TextMeasure {
    /// The figures of the text of the string at tape index `index` (as `withStringBytes` gives it).
    public static func measure(_ document: JSONDocument, string index: Int) -> Figures {
        let content = document.stringContent(index)
        if document.hasEscapes(index) { return measure(escaped: content) }
        return content.count >= 16 ? contentMeasure(content.baseAddress!, content.count) : measure(content)
    }

    /// The figures of the unescaped text of `content`, the bytes between a string's quotes
    /// (validated by the parser): those of `measure(JSONString.unescape(content))`.
    public static func measure(escaped content: UnsafeRawBufferPointer) -> Figures {
        let n = content.count
        guard n >= 16, let base = content.baseAddress else { return correctedOneByOne(measure(content), content) }
        return n <= escapedPassLimit ? measureEscaped(base, n) : correctedByEscapeBits(measure(content), base, n)
    }

    /// `figures`, measured over the escaped bytes of `content`, corrected escape by escape for
    /// what each stands for (the reference for `correctedByEscapeBits`; short texts take it).
    static func correctedOneByOne(_ measured: Figures, _ content: UnsafeRawBufferPointer) -> Figures {
        var figures = measured
        guard let base = content.baseAddress else { return figures }
        let n = content.count
        // The vector pass took each escape for non-blank ASCII characters, one per byte. A word
        // starts at a non-blank character after a blank one; only escapes that stand for a blank
        // character change where words start: they start none, and the character after them may.
        var previousEnd = -1
        var previousBlank = false
        var i = 0
        while i < n {
            // Escapes come in runs (emoji are pairs of \u escapes): a search only across plain text.
            let start = content[i] == UInt8(ascii: "\\") ? i : nextBackslash(base, from: i, n)
            guard start < n else { break }
            let (scalar, end) = decodeEscape(content, at: start)
            figures.characters -= end - start - 1
            if scalar == 0x3C { figures.hasAngleBracket = true }
            let blank = isBlank(scalar)
            if blank {
                // The vector pass started a word here when the unit before was blank to it.
                let before = start == 0 || (start != previousEnd && isBlank(UInt32(content[start - 1])))
                if before { figures.words -= 1 }
                // A plain non-blank byte after it starts a word (an escape after it is its own case).
                if end < n, content[end] != UInt8(ascii: "\\"), !isBlank(UInt32(content[end])) { figures.words += 1 }
            } else if start == previousEnd && previousBlank {
                figures.words += 1
            }
            previousEnd = end
            previousBlank = blank
            i = end
        }
        return figures
    }

    /// The offset of the first backslash at or after `i` in the `n` bytes at `base`, or `n`.
    ///
    /// Sixteen bytes a step by a vector compare and one `pmovmskb` (CSystem's shim), the last
    /// step overlapping the one before: the texts between escapes are short, and memchr cost
    /// ~25 instructions and 1.3 mispredicted branches a call on them.
    @inline(__always)
    static func nextBackslash(_ base: UnsafeRawPointer, from i: Int, _ n: Int) -> Int {
        guard n >= 16 else {
            var k = i
            while k < n, base.load(fromByteOffset: k, as: UInt8.self) != UInt8(ascii: "\\") { k &+= 1 }
            return k
        }
        var k = i
        while k &+ 16 <= n {
            let bits = backslashes(base + k)
            if bits != 0 { return k &+ Int(bits.trailingZeroBitCount) }
            k &+= 16
        }
        guard k < n else { return n }
        // The last 16 bytes, without the lanes before `k`.
        let bits = backslashes(base + (n &- 16)) >> UInt32(k &- (n &- 16))
        return bits != 0 ? k &+ Int(bits.trailingZeroBitCount) : n
    }

    /// Bit k: byte k at `p` is a backslash (reads 16 bytes).
    @inline(__always)
    static func backslashes(_ p: UnsafeRawPointer) -> UInt32 {
        soc_high_bits16(unsafeBitCast(p.loadUnaligned(as: Vector.self) .== Vector(repeating: 0x5C), to: Vector.self))
    }

    /// True when the unescaped text of `content` starts with a byte ≥ 0x80 (a non-ASCII character).
    public static func startsWithNonASCII(escaped content: UnsafeRawBufferPointer) -> Bool {
        guard let first = content.first else { return false }
        if first != UInt8(ascii: "\\") { return first >= 0x80 }
        return decodeEscape(content, at: 0).scalar >= 0x80
    }

    /// ASCII blank (space, `\t \n \v \f \r`), the word separator.
    static func isBlank(_ scalar: UInt32) -> Bool {
        scalar == 0x20 || (scalar >= 0x09 && scalar <= 0x0D)
    }

    /// The scalar the escape at `start` stands for (a surrogate pair is one, a lone surrogate
    /// U+FFFD, as `JSONString.unescape` has them) and the offset after it.
    @inline(__always)
    static func decodeEscape(_ content: UnsafeRawBufferPointer, at start: Int) -> (scalar: UInt32, end: Int) {
        switch content[start + 1] {
        case UInt8(ascii: "b"): return (8, start + 2)
        case UInt8(ascii: "f"): return (12, start + 2)
        case UInt8(ascii: "n"): return (10, start + 2)
        case UInt8(ascii: "r"): return (13, start + 2)
        case UInt8(ascii: "t"): return (9, start + 2)
        case UInt8(ascii: "u"):
            var scalar = hex4(content, start + 2)
            var end = start + 6
            if scalar >= 0xD800 && scalar <= 0xDBFF, end + 6 <= content.count, content[end] == UInt8(ascii: "\\"),
                content[end + 1] == UInt8(ascii: "u")
            {
                let low = hex4(content, end + 2)
                if low >= 0xDC00 && low <= 0xDFFF {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    end += 6
                }
            }
            if scalar >= 0xD800 && scalar <= 0xDFFF { scalar = 0xFFFD }
            return (scalar, end)
        case let other: return (UInt32(other), start + 2)  // \" \\ \/
        }
    }

    /// The four hex digits at `i` (validated by the parser): a digit's value is its low nibble,
    /// plus 9 for a letter (bit 6 set). All four at once in one 32-bit word (a byte-by-byte loop
    /// cost ~30 instructions an escape, a third of measuring an escaped message's escapes).
    @inline(__always)
    static func hex4(_ content: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        hex4(content.baseAddress!, i)
    }

    /// `hex4` of the four bytes at `base + i`.
    @inline(__always)
    static func hex4(_ base: UnsafeRawPointer, _ i: Int) -> UInt32 {
        let x = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))
        // Each byte lane holds its digit's value (0...15); lane 0 is the most significant digit.
        let d = (x & 0x0F0F_0F0F) &+ 9 &* ((x >> 6) & 0x0101_0101)
        // Lanes 0 and 2 become the high nibbles of 16-bit halves: (d0 << 4 | d1), (d2 << 4 | d3).
        let t = ((d & 0x000F_000F) << 4) | ((d >> 8) & 0x000F_000F)
        return (t & 0xFF) << 8 | (t >> 16) & 0xFF
    }
}
