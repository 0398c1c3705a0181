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
        var out = [UInt8]()
        guard let escapes = decode(content, into: &out) else { return nil }
        return EscapedText(text: out, escapes: escapes)
    }

    /// `decode`, writing the text over `out` (a buffer reused from string to string) and
    /// returning the escapes (nil in the same case `decode` returns nil).
    static func decode(_ content: UnsafeRawBufferPointer, into out: inout [UInt8]) -> [[UInt8]]? {
        var escapes: [[UInt8]] = []
        var tooMany = false
        JSONString.unescape(content, into: &out) { _, start in
            guard escapes.count < 0xFFFE else {
                tooMany = true
                return 0xFFFD
            }
            escapes.append(Array(content[start..<(start + 6)]))
            return Self.base + UInt32(escapes.count - 1)
        }
        if escapes.isEmpty { return escapes }
        if tooMany { return nil }
        // Each stand-in is one plane-16 code point (UTF-8 F4 8x ..); more such code points than
        // stand-ins means the text held plane 16 already (raw or escaped): ambiguous.
        var plane16 = 0
        out.withUnsafeBytes { text in
            guard let base = text.baseAddress else { return }
            var j = 0
            while j + 1 < text.count, let hit = memchr(base + j, 0xF4, text.count - j) {
                let at = base.distance(to: UnsafeRawPointer(hit))
                if at + 1 < text.count && text[at + 1] & 0xF0 == 0x80 { plane16 += 1 }
                j = at + 1
            }
        }
        return plane16 > escapes.count ? nil : escapes
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
    static func pairsUp(_ pieces: [[UInt8]], escapes: [[UInt8]]) -> Bool {
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
