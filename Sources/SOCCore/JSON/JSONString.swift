#if canImport(Glibc)
    import Glibc
#endif

/// JSON string escaping and unescaping.
public enum JSONString {
    /// Unescapes the bytes between a string's quotes (already validated by the parser).
    /// A lone surrogate `\uD800` becomes U+FFFD, unless `keepingLoneSurrogates`: then it is
    /// written as its own three bytes (WTF-8), so two strings unescape to equal bytes exactly
    /// when their UTF-16 code units are equal (`\ud800`, `\udc00` and `\ufffd` stay apart).
    public static func unescape(_ content: UnsafeRawBufferPointer, keepingLoneSurrogates: Bool = false) -> [UInt8] {
        var out = [UInt8]()
        unescape(content, into: &out) { _, _ in keepingLoneSurrogates ? nil : 0xFFFD }
        return out
    }

    /// The general unescaping loop, writing over `out` (a buffer the caller may reuse). The text
    /// between backslashes is copied in one go. (soc-stats' `ChatScratch.unescape` writes the
    /// same bytes, U+FFFD for lone surrogates, sixteen bytes a step into raw memory; soc-scrub's
    /// `EscapedText` decodes while it matches. Folding them into this loop is still to do.) Each lone surrogate escape is handed to
    /// `loneSurrogate` with the offset of its `\u` in `content`; it returns the code point to
    /// write instead, or nil for the surrogate's own three bytes (WTF-8). Lone surrogates are
    /// rare, so the callback costs nothing on ordinary text.
    static func unescape(
        _ content: UnsafeRawBufferPointer, into out: inout [UInt8],
        loneSurrogate: (_ surrogate: UInt32, _ escapeOffset: Int) -> UInt32?
    ) {
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(content.count)
        guard let base = content.baseAddress else { return }
        var i = 0
        let n = content.count
        while i < n {
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
                    if let replacement = loneSurrogate(scalar, start) {
                        scalar = replacement
                    } else {
                        out.append(contentsOf: [
                            UInt8(0xE0 | scalar >> 12), UInt8(0x80 | (scalar >> 6) & 0x3F), UInt8(0x80 | scalar & 0x3F),
                        ])
                        continue
                    }
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)  // \" \\ \/
            }
        }
    }

    /// Appends `scalar` (not a surrogate) as UTF-8.
    static func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
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

    private static func hex4(_ content: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 { value = value << 4 | (JSONParser.hexValue(content[i + k]) ?? 0) }
        return value
    }

    /// Appends `text` as a JSON string literal (with quotes): `"`, `\` and control characters
    /// escaped, everything else as UTF-8 (or, with `asciiOnly`, as `\uXXXX` escapes, the way
    /// `ensure_ascii` writers do).
    public static func appendQuoted(_ text: String, asciiOnly: Bool = false, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { appendQuoted(utf8: UnsafeRawBufferPointer($0), asciiOnly: asciiOnly, to: &out) }
    }

    /// Appends valid UTF-8 `text` as a JSON string literal (see `appendQuoted(_:asciiOnly:to:)`).
    public static func appendQuoted(utf8 text: UnsafeRawBufferPointer, asciiOnly: Bool = false, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(utf8: text, asciiOnly: asciiOnly, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// What `appendQuoted(utf8:asciiOnly:to:)` writes between the quotes.
    static func appendEscaped(utf8 text: UnsafeRawBufferPointer, asciiOnly: Bool, to out: inout [UInt8]) {
        var i = 0
        while i < text.count {
            let byte = text[i]
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 8: out.append(contentsOf: [92, UInt8(ascii: "b")])
            case 12: out.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0..<0x20: appendEscape(UInt32(byte), to: &out)
            case 0x80... where asciiOnly:
                let (scalar, length) = decodeScalar(text, at: i)
                if scalar >= 0x10000 {
                    appendEscape(0xD800 + ((scalar - 0x10000) >> 10), to: &out)
                    appendEscape(0xDC00 + ((scalar - 0x10000) & 0x3FF), to: &out)
                } else {
                    appendEscape(scalar, to: &out)
                }
                i += length
                continue
            default: out.append(byte)
            }
            i += 1
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendEscape(_ unit: UInt32, to out: inout [UInt8]) {
        let hex = hexDigits
        out.append(contentsOf: [
            92, UInt8(ascii: "u"), hex[Int(unit >> 12 & 15)], hex[Int(unit >> 8 & 15)], hex[Int(unit >> 4 & 15)],
            hex[Int(unit & 15)],
        ])
    }

    /// The scalar and its byte length at `i` of valid UTF-8.
    private static func decodeScalar(_ text: UnsafeRawBufferPointer, at i: Int) -> (UInt32, Int) {
        let lead = UInt32(text[i])
        func next(_ k: Int) -> UInt32 { UInt32(text[i + k] & 0x3F) }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | next(1), 2) }
        if lead < 0xF0 { return ((lead & 0x0F) << 12 | next(1) << 6 | next(2), 3) }
        return ((lead & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3), 4)
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out = [UInt8]()
        appendQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
