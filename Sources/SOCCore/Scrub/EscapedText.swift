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
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(content.count)
        var escapes: [[UInt8]] = []
        var plane16 = false
        guard let base = content.baseAddress else { return escapes }
        var i = 0
        let n = content.count
        while i < n {
            // The text up to the next backslash is copied as it is, in one go.
            let k =
                memchr(base + i, Int32(UInt8(ascii: "\\")), n - i).map { base.distance(to: UnsafeRawPointer($0)) } ?? n
            if k > i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: content[i..<k])) }
            i = k
            guard i < n else { break }
            let e = content[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "u"):
                var scalar = hex4(content, i)
                let start = i - 2
                i += 4
                if (0xD800...0xDBFF).contains(scalar), i + 6 <= n, content[i] == UInt8(ascii: "\\"),
                    content[i + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(content, i + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                if (0xD800...0xDFFF).contains(scalar) {
                    guard escapes.count < 0xFFFE else { return nil }
                    scalar = Self.base + UInt32(escapes.count)
                    escapes.append(Array(content[start..<(start + 6)]))
                } else if scalar >= Self.base {
                    plane16 = true
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)  // \" \\ \/
            }
        }
        // Only a lone surrogate makes plane 16 ambiguous; then look for it written as UTF-8
        // too (F4 8x: U+100000 to U+10FFFF; escapes are ASCII, so the raw bytes tell).
        if !escapes.isEmpty && !plane16 {
            var j = 0
            while j + 1 < n, let hit = memchr(base + j, 0xF4, n - j) {
                let at = base.distance(to: UnsafeRawPointer(hit))
                if at + 1 < n && content[at + 1] & 0xF0 == 0x80 {
                    plane16 = true
                    break
                }
                j = at + 1
            }
        }
        if plane16 && !escapes.isEmpty { return nil }
        return escapes
    }

    /// Appends `scalar` (not a surrogate) as UTF-8.
    @inline(__always)
    private static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case ..<0x80:
            out.append(UInt8(scalar))
        case ..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case ..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// The stand-in index at `i` of `text` (UTF-8), or nil when no stand-in starts there.
    @inline(__always)
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

    private static func hex4(_ content: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | (JSONParser.hexValue(content[i + k]) ?? 0) }
        return value
    }
}
