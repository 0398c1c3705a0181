/// JSON string escaping and unescaping.
public enum JSONString {
    /// Unescapes the bytes between a string's quotes (already validated by the parser).
    /// A lone surrogate `\uD800` becomes U+FFFD.
    public static func unescape(_ content: UnsafeRawBufferPointer) -> [UInt8] {
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
                if (0xD800...0xDBFF).contains(scalar), i + 6 <= n, content[i] == UInt8(ascii: "\\"), content[i + 1] == UInt8(ascii: "u") {
                    let low = hex4(content, i + 2)
                    if (0xDC00...0xDFFF).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                let value = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: UTF8.encode(value)!)
            default: out.append(e) // \" \\ \/
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
    /// escaped, everything else as UTF-8.
    public static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 8: out.append(contentsOf: [92, UInt8(ascii: "b")])
            case 12: out.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, digits[Int(byte >> 4)], digits[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String {
        var out = [UInt8]()
        appendQuoted(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
