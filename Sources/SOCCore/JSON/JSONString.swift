/// JSON string escaping and unescaping.
public enum JSONString {
    /// Unescapes the bytes between a string's quotes (already validated by the parser).
    /// A lone surrogate `\uD800` becomes U+FFFD, unless `keepingLoneSurrogates`: then it is
    /// written as its own three bytes (WTF-8), so two strings unescape to equal bytes exactly
    /// when their UTF-16 code units are equal (`\ud800`, `\udc00` and `\ufffd` stay apart).
    public static func unescape(_ content: UnsafeRawBufferPointer, keepingLoneSurrogates: Bool = false) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(content.count)
        var i = 0
        let n = content.count
        while i < n {
            let c = content[i]
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
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
                if let value = Unicode.Scalar(scalar) {
                    out.append(contentsOf: UTF8.encode(value)!)
                } else if keepingLoneSurrogates {
                    out.append(contentsOf: [
                        UInt8(0xE0 | scalar >> 12), UInt8(0x80 | (scalar >> 6) & 0x3F), UInt8(0x80 | scalar & 0x3F),
                    ])
                } else {
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                }
            default: out.append(e)  // \" \\ \/
            }
        }
        return out
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
        out.append(UInt8(ascii: "\""))
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
