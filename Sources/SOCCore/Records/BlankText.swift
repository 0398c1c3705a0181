/// The one definition of a blank message (docs/formats.md): it holds only Unicode White_Space
/// and Default_Ignorable_Code_Point characters (U+200B zero width space, U+2060 word joiner,
/// U+FEFF, soft hyphens, variation selectors, ...). soc-validate rejects such a message
/// (`empty_message`) and soc-scrub drops it. Trimming takes only White_Space off the ends (a
/// trailing variation selector belongs to the emoji before it). A blank JSONL *line* is another
/// thing: JSON white space only (`WorkUnit.isBlank`).
enum BlankText {
    /// True when `text` (valid UTF-8) is empty or holds only White_Space and default-ignorable
    /// characters.
    static func isBlank(_ text: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < text.count {
            let (scalar, length) = decode(text, at: i)
            guard isWhitespace(scalar) || isDefaultIgnorable(scalar) else { return false }
            i += length
        }
        return true
    }

    /// False when a text with a word (`TextMeasure`) cannot be blank: its first character after
    /// leading ASCII White_Space (`content` is a string's bytes, escaped when `escaped`) is not a
    /// non-ASCII White_Space or default-ignorable one. A blank text passes (`isBlank` implies
    /// this), so only texts that pass need `isBlank`. Read where it lies: unescaping a whole
    /// message whose first character is an emoji escape only to find it not blank cost soc-stats
    /// ~1,000 instructions and 20 mispredicted branches a message.
    @inline(__always)
    static func mayBeBlank(_ content: UnsafeRawBufferPointer, escaped: Bool) -> Bool {
        guard let first = content.first else { return true }
        // Most texts start with a visible ASCII character: decided here, inline, by one byte. A
        // backslash is an escape's (only escaped content holds one), so `escaped` needs no test
        // here: as `escaped && first == "\\"` it was a branch mispredicted on one message in five.
        if first > 0x20 && first < 0x80 && first != UInt8(ascii: "\\") { return false }
        return firstVisibleIsBlank(content, escaped: escaped)
    }

    /// `mayBeBlank` past its first byte: leading ASCII White_Space (raw or escaped) skipped, the
    /// next character decides.
    private static func firstVisibleIsBlank(_ content: UnsafeRawBufferPointer, escaped: Bool) -> Bool {
        var i = 0
        while i < content.count {
            let scalar: UInt32
            if escaped && content[i] == UInt8(ascii: "\\") {
                (scalar, i) = TextMeasure.decodeEscape(content, at: i)
            } else {
                let (decoded, length) = decode(content, at: i)
                (scalar, i) = (decoded, i + length)
            }
            guard scalar == 0x20 || (0x09...0x0D).contains(scalar) else {
                return scalar >= 0x80 && (isWhitespace(scalar) || isDefaultIgnorable(scalar))
            }
        }
        return true
    }

    /// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 15).
    static func isDefaultIgnorable(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0xAD, 0x34F, 0x61C, 0x115F...0x1160, 0x17B4...0x17B5, 0x180B...0x180F, 0x200B...0x200F,
            0x202A...0x202E, 0x2060...0x206F, 0x3164, 0xFE00...0xFE0F, 0xFEFF, 0xFFA0, 0xFFF0...0xFFF8,
            0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF:
            return true
        default: return false
        }
    }

    /// Unicode's White_Space.
    static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// True when `text` (valid UTF-8) is empty, starts or ends with White_Space, or is blank:
    /// scrub must look at it even when no rule matches.
    @inline(__always)
    static func needsTrim(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        if first < 0x80 && last < 0x80 { return isASCIIWhitespace(first) || isASCIIWhitespace(last) }
        return nonASCIIEndNeedsTrim(text)
    }

    /// `needsTrim` of a text with a non-ASCII first or last byte.
    private static func nonASCIIEndNeedsTrim(_ text: UnsafeRawBufferPointer) -> Bool {
        let first = text[0]
        let last = text[text.count - 1]
        // Blank needs a first character that is White_Space or default-ignorable; trimming, one
        // at either end that is White_Space. Most ends (ASCII, or an emoji's bytes) rule both out.
        let firstMay = first < 0x80 ? isASCIIWhitespace(first) : mayStartBlank(text)
        let lastMay = last < 0x80 ? isASCIIWhitespace(last) : mayEndWhitespace(text)
        if !firstMay && !lastMay { return false }
        return trimmedRange(text) != 0..<text.count || isBlank(text)
    }

    /// Tab to carriage return, and space.
    @inline(__always)
    static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// False when the first character of `text` (valid UTF-8, its first byte non-ASCII) is
    /// neither White_Space nor default-ignorable, told from its first bytes.
    ///
    /// Hand-written hot path: a message starting or ending with an emoji was decoded, trimmed
    /// and checked for blankness (`trimmedRange`, `isBlank`) once per rule pass; 67k such calls
    /// from the candidate scan alone cost 11.8M instructions and 0.2M mispredicted branches
    /// (callgrind --branch-sim, bench/data/soc_realistic.jsonl, --threads 1).
    @inline(__always)
    static func mayStartBlank(_ text: UnsafeRawBufferPointer) -> Bool {
        let lead = text[0]
        // The lead bytes of `isWhitespace` and `isDefaultIgnorable` above 0x7F (bit: lead − 0xC0):
        // C2, CD, D8, E1, E2, E3, EF, F3, and F0 followed by 9B or 9D (U+1BCA0, U+1D173).
        let leads: UInt64 =
            1 << 0x02 | 1 << 0x0D | 1 << 0x18 | 1 << 0x21 | 1 << 0x22 | 1 << 0x23 | 1 << 0x2F | 1 << 0x33
        if lead < 0xC0 { return true }  // not a lead byte: decided by the full check
        if text.count < 2 { return true }
        // The second byte where a lead byte has many other characters (symbols and emoji led
        // by E2, kana by E3, Arabic by D8): only E2 80/81, E3 80/85 and D8 9C may be blank.
        switch lead {
        case 0xF0: return text[1] == 0x9B || text[1] == 0x9D
        case 0xE2: return text[1] == 0x80 || text[1] == 0x81
        case 0xE3: return text[1] == 0x80 || text[1] == 0x85
        case 0xD8: return text[1] == 0x9C
        default: return leads &>> UInt64(lead & 63) & 1 != 0
        }
    }

    /// False when the character that `last` (a non-ASCII last byte of valid UTF-8) ends is not
    /// White_Space: the last bytes of U+0085, U+00A0, U+1680, U+2000–200A, U+2028, U+2029,
    /// U+202F, U+205F and U+3000 are 80–8A, 9F, A0, A8, A9 and AF.
    @inline(__always)
    static func mayEndWhitespace(_ last: UInt8) -> Bool {
        let lasts: UInt64 = 0x7FF | 1 << 0x1F | 1 << 0x20 | 1 << 0x28 | 1 << 0x29 | 1 << 0x2F
        return last >= 0xC0 || lasts &>> UInt64(last & 63) & 1 != 0
    }

    /// False when the last character of `text` (valid UTF-8, its last byte non-ASCII) is not
    /// White_Space: `mayEndWhitespace` of its last byte, then the bytes before it (C2 85,
    /// C2 A0, E1 9A 80, E2 80 80–8A, E2 80 A8, E2 80 A9, E2 80 AF, E2 81 9F, E3 80 80).
    ///
    /// The last byte alone let through `¯` (C2 AF), `╯` (E2 95 AF) and emoji ending 80–8A: 69k
    /// messages of bench/data/soc_realistic.jsonl were trimmed and checked for blankness by
    /// `trimmedRange` and `isBlank` for nothing (with those starting with `❤`, `☕`, kana or
    /// Arabic letters, which `mayStartBlank` now tells by their second byte): 11.7M
    /// instructions and 0.2M mispredicted branches in soc-scrub's candidate scan alone
    /// (callgrind --branch-sim, --threads 1).
    @inline(__always)
    static func mayEndWhitespace(_ text: UnsafeRawBufferPointer) -> Bool {
        let n = text.count
        let last = text[n - 1]
        guard mayEndWhitespace(last) else { return false }
        if last >= 0xC0 { return true }  // not valid UTF-8 there: decided by the full check
        if n >= 2 && text[n - 2] == 0xC2 { return last == 0x85 || last == 0xA0 }
        guard n >= 3 else { return true }
        let second = text[n - 2]
        switch text[n - 3] {
        case 0xE1: return second == 0x9A && last == 0x80
        case 0xE2:
            return second == 0x80
                ? last <= 0x8A || last == 0xA8 || last == 0xA9 || last == 0xAF
                : second == 0x81 && last == 0x9F
        case 0xE3: return second == 0x80 && last == 0x80
        default: return false
        }
    }

    /// Whether the character starting with `lead` (a non-ASCII first byte of valid UTF-8) may
    /// be White_Space: it leads with C2, E1, E2 or E3.
    @inline(__always)
    static func mayStartWhitespace(_ lead: UInt8) -> Bool {
        lead < 0xC0 || lead == 0xC2 || (0xE1...0xE3).contains(lead)
    }

    /// The range of `text` (valid UTF-8) without leading (and/or trailing) whitespace.
    static func trimmedRange(_ text: UnsafeRawBufferPointer, leading: Bool = true, trailing: Bool = true) -> Range<Int>
    {
        // Most texts start and end with printable ASCII or a character (an emoji) whose bytes
        // show it is not White_Space.
        guard let first = text.first, let last = text.last else { return 0..<0 }
        let firstMay = leading && (first < 0x80 ? isASCIIWhitespace(first) : mayStartWhitespace(first))
        let lastMay = trailing && (last < 0x80 ? isASCIIWhitespace(last) : mayEndWhitespace(last))
        if !firstMay && !lastMay { return 0..<text.count }
        var start = 0
        var end = text.count
        if leading {
            while start < end {
                let (scalar, length) = decode(text, at: start)
                guard isWhitespace(scalar) else { break }
                start += length
            }
        }
        if trailing {
            while end > start {
                var begin = end - 1
                while begin > start && text[begin] & 0xC0 == 0x80 { begin -= 1 }
                let (scalar, _) = decode(text, at: begin)
                guard isWhitespace(scalar) else { break }
                end = begin
            }
        }
        return start..<end
    }

    /// The scalar starting at `i` of valid UTF-8, and its length in bytes.
    static func decode(_ text: UnsafeRawBufferPointer, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(text[i])
        if b0 < 0x80 { return (b0, 1) }
        if b0 < 0xE0, i + 1 < text.count { return ((b0 & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F), 2) }
        if b0 < 0xF0, i + 2 < text.count {
            return ((b0 & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F), 3)
        }
        if i + 3 < text.count {
            return (
                (b0 & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6
                    | UInt32(text[i + 3] & 0x3F), 4
            )
        }
        return (0xFFFD, 1)
    }
}
