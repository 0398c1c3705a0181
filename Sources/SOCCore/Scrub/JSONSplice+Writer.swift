/// Writing a JSON string literal straight into an array's free capacity.
extension JSONSplice {
    /// The bytes of one JSON string literal (`text` escaped as `JSONString` escapes it, or
    /// copied as it is), written by `Array.append(contentsOf:)` straight into the array's
    /// free capacity through `_copyContents`: no per-run `append`, no capacity check per
    /// escape. The caller reserves `room(for:)` bytes first (`append(_:to:)` does).
    ///
    /// Hand-written hot path: `appendEscaped` appended each run of plain bytes and each escape
    /// on its own (36k pieces of bench/data/soc_realistic.jsonl, about 850 instructions and 9
    /// mispredicted branches each, half of them in `Array.append`'s checks; callgrind,
    /// --threads 1).
    struct Literal: Sequence {
        enum Mode {
            /// Escaped, non-ASCII as `\u` escapes when `asciiOnly`.
            case escaped(asciiOnly: Bool)
            /// Copied as it is (bytes known to need no escape in this record).
            case raw
        }
        let text: UnsafeRawBufferPointer
        let mode: Mode
        /// With the quotes around it.
        let quoted: Bool

        /// At most this many bytes are written: six per byte (`\u0001`; non-ASCII takes at
        /// most three times its length), twelve more for a sequence cut at the end (not valid
        /// UTF-8, escaped as `JSONString` does), and the quotes.
        var room: Int {
            if case .raw = mode { return text.count + 2 }
            return 6 * text.count + 14
        }

        // Nothing is left over for the iterator: `_copyContents` writes it all.
        func makeIterator() -> EmptyCollection<UInt8>.Iterator { EmptyCollection().makeIterator() }

        var underestimatedCount: Int { 0 }

        func _copyContents(initializing buffer: UnsafeMutableBufferPointer<UInt8>)
            -> (EmptyCollection<UInt8>.Iterator, Int)
        {
            precondition(buffer.count >= room, "JSONSplice.Literal: room not reserved")
            let out = UnsafeMutableRawPointer(buffer.baseAddress!)
            var w = 0
            if quoted {
                out.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
                w = 1
            }
            switch mode {
            case .raw:
                if let base = text.baseAddress { (out + w).copyMemory(from: base, byteCount: text.count) }
                w += text.count
            case .escaped(let asciiOnly):
                w += JSONSplice.writeEscaped(text, asciiOnly: asciiOnly, to: out + w)
            }
            if quoted {
                out.storeBytes(of: UInt8(ascii: "\""), toByteOffset: w, as: UInt8.self)
                w += 1
            }
            return (makeIterator(), w)
        }
    }

    /// Appends `literal` to `out`, reserving its room (doubling the capacity when it grows, so
    /// a buffer written piece by piece is not reallocated per piece).
    @inline(__always)
    static func append(_ literal: Literal, to out: inout [UInt8]) {
        let needed = out.count + literal.room
        if out.capacity < needed { out.reserveCapacity(max(needed, 2 * out.capacity)) }
        out.append(contentsOf: literal)
    }

    /// Writes `text` escaped as `JSONString.appendEscaped(utf8:asciiOnly:to:)` does at `out`
    /// (room for `6 * text.count + 12` bytes) and returns how many bytes it wrote.
    static func writeEscaped(_ text: UnsafeRawBufferPointer, asciiOnly: Bool, to out: UnsafeMutableRawPointer) -> Int {
        guard let base = text.baseAddress else { return 0 }
        let n = text.count
        // A byte above this needs no escape (0xFF: none does when non-ASCII is written raw).
        let limit: UInt8 = asciiOnly ? 0x7F : 0xFF
        let high: UInt64 = asciiOnly ? 0x8080_8080_8080_8080 : 0
        var i = 0
        var w = 0
        while true {
            // Eight bytes at a time, stored as they are; a word with a byte that needs an
            // escape (a control byte, quote, backslash, or for `asciiOnly` a byte above 0x7F)
            // keeps the bytes before the first such byte (the lowest flag is exact: a borrow
            // only flags the bytes above a flagged one). The room left is at least six bytes
            // per byte still to read, so the whole word fits.
            while i + 8 <= n {
                let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let quote = word ^ 0x2222_2222_2222_2222
                let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let flagged =
                    (((word &- 0x2020_2020_2020_2020) & ~word) | ((quote &- 0x0101_0101_0101_0101) & ~quote)
                        | ((backslash &- 0x0101_0101_0101_0101) & ~backslash)) & 0x8080_8080_8080_8080
                    | (word & high)
                out.storeBytes(of: word, toByteOffset: w, as: UInt64.self)
                if flagged == 0 {
                    i += 8
                    w += 8
                    continue
                }
                let clean = flagged.trailingZeroBitCount >> 3
                i += clean
                w += clean
                break
            }
            guard i < n else { return w }
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            if byte >= 0x20 && byte <= limit && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                out.storeBytes(of: byte, toByteOffset: w, as: UInt8.self)
                i += 1
                w += 1
                continue
            }
            if byte >= 0x80 {
                // Only with `asciiOnly`: non-ASCII as `\u` escapes.
                let expected = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let length = min(expected, n - i)
                if length == expected {
                    w += writeUnicodeEscape(text, at: i, length: length, to: out + w)
                } else {
                    // A cut sequence at the end (not valid UTF-8): as JSONString writes it.
                    var bytes: [UInt8] = []
                    JSONString.appendEscaped(
                        utf8: UnsafeRawBufferPointer(rebasing: text[i..<(i + length)]), asciiOnly: true, to: &bytes)
                    bytes.withUnsafeBytes { (out + w).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                    w += bytes.count
                }
                i += length
                continue
            }
            w += writeShortEscape(byte, to: out + w)
            i += 1
        }
    }

    /// Writes the escape of a quote, backslash or control byte as `JSONString` writes it;
    /// returns its length.
    @inline(__always)
    private static func writeShortEscape(_ byte: UInt8, to out: UnsafeMutableRawPointer) -> Int {
        let short: UInt8
        switch byte {
        case UInt8(ascii: "\""): short = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): short = UInt8(ascii: "\\")
        case 10: short = UInt8(ascii: "n")
        case 13: short = UInt8(ascii: "r")
        case 9: short = UInt8(ascii: "t")
        case 8: short = UInt8(ascii: "b")
        case 12: short = UInt8(ascii: "f")
        default:
            writeUnit(UInt32(byte), to: out)
            return 6
        }
        out.storeBytes(of: UInt8(ascii: "\\"), as: UInt8.self)
        out.storeBytes(of: short, toByteOffset: 1, as: UInt8.self)
        return 2
    }

    /// Writes the `\uXXXX` escape (two for a scalar above U+FFFF, as UTF-16 surrogates) of the
    /// `length`-byte UTF-8 scalar at `j` of `text`, as `JSONString.appendEscaped` writes it;
    /// returns its length.
    private static func writeUnicodeEscape(
        _ text: UnsafeRawBufferPointer, at j: Int, length: Int, to out: UnsafeMutableRawPointer
    ) -> Int {
        let lead = UInt32(text[j])
        func next(_ k: Int) -> UInt32 { UInt32(text[j + k] & 0x3F) }
        let scalar: UInt32
        switch length {
        case 2: scalar = (lead & 0x1F) << 6 | next(1)
        case 3: scalar = (lead & 0x0F) << 12 | next(1) << 6 | next(2)
        default: scalar = (lead & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3)
        }
        if scalar >= 0x10000 {
            writeUnit(0xD800 + ((scalar - 0x10000) >> 10), to: out)
            writeUnit(0xDC00 + ((scalar - 0x10000) & 0x3FF), to: out + 6)
            return 12
        }
        writeUnit(scalar, to: out)
        return 6
    }

    /// Writes `\u` and the four lower-case hex digits of `value`.
    @inline(__always)
    private static func writeUnit(_ value: UInt32, to out: UnsafeMutableRawPointer) {
        @inline(__always) func hex(_ digit: UInt32) -> UInt8 { digit < 10 ? UInt8(48 + digit) : UInt8(87 + digit) }
        out.storeBytes(of: UInt8(ascii: "\\"), as: UInt8.self)
        out.storeBytes(of: UInt8(ascii: "u"), toByteOffset: 1, as: UInt8.self)
        out.storeBytes(of: hex(value >> 12 & 15), toByteOffset: 2, as: UInt8.self)
        out.storeBytes(of: hex(value >> 8 & 15), toByteOffset: 3, as: UInt8.self)
        out.storeBytes(of: hex(value >> 4 & 15), toByteOffset: 4, as: UInt8.self)
        out.storeBytes(of: hex(value & 15), toByteOffset: 5, as: UInt8.self)
    }
}
