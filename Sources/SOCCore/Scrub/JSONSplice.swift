/// Writing new JSON text for the parts of a record scrub changes, in the record's own style.
enum JSONSplice {
    /// Appends `text` (UTF-8) as a JSON string literal. With `asciiOnly` (the record had no
    /// raw non-ASCII bytes, as `ensure_ascii` writers do) non-ASCII is written as `\uXXXX`.
    static func appendString(_ text: [UInt8], asciiOnly: Bool, to out: inout [UInt8]) {
        text.withUnsafeBytes { appendQuoted($0, asciiOnly: asciiOnly, to: &out) }
    }

    /// What `JSONString.appendQuoted(utf8:asciiOnly:to:)` writes, byte for byte, with the runs
    /// of bytes that need no escape copied in one go (most of a message is such a run).
    static func appendQuoted(_ text: UnsafeRawBufferPointer, asciiOnly: Bool, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + text.count + 2)
        out.append(UInt8(ascii: "\""))
        appendEscaped(text, asciiOnly: asciiOnly, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// What `appendQuoted` writes between the quotes.
    static func appendEscaped(_ text: UnsafeRawBufferPointer, asciiOnly: Bool, to out: inout [UInt8]) {
        var i = 0
        let n = text.count
        // A byte above this needs no escape (0xFF: none does when non-ASCII is written raw).
        let limit: UInt8 = asciiOnly ? 0x7F : 0xFF
        let base = text.baseAddress
        // Eight bytes at a time: a word with no control byte, quote, backslash (or, for
        // `asciiOnly`, byte above 0x7F) is copied as it is; a word that may have one is looked at
        // byte by byte (the test can say "may" for a clean word, never "no" for one with such a byte).
        let high: UInt64 = asciiOnly ? 0x8080_8080_8080_8080 : 0
        while i < n {
            var j = i
            while j + 8 <= n {
                let w = base!.loadUnaligned(fromByteOffset: j, as: UInt64.self)
                let quote = w ^ 0x2222_2222_2222_2222
                let backslash = w ^ 0x5C5C_5C5C_5C5C_5C5C
                // Per byte, the high bit of (x - k) & ~x is set when x < k (borrows only add flags).
                let flagged =
                    ((w &- 0x2020_2020_2020_2020) & ~w) | ((quote &- 0x0101_0101_0101_0101) & ~quote)
                    | ((backslash &- 0x0101_0101_0101_0101) & ~backslash)
                if (flagged & 0x8080_8080_8080_8080) | (w & high) != 0 { break }
                j += 8
            }
            while j < n {
                let byte = text[j]
                if byte < 0x20 || byte > limit || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
                j += 1
            }
            if j > i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[i..<j])) }
            guard j < n else { break }
            // One escaped character, as JSONString writes it.
            var length = 1
            if text[j] >= 0x80 {
                length = text[j] >= 0xF0 ? 4 : text[j] >= 0xE0 ? 3 : 2
                length = min(length, n - j)
                if asciiOnly && length == (text[j] >= 0xF0 ? 4 : text[j] >= 0xE0 ? 3 : 2) {
                    // Non-ASCII in an escaped record, written here rather than by JSONString
                    // (whose per-escape arrays cost about 40% of this function: 75M for the
                    // 73k strings of bench/data/soc_realistic.jsonl, callgrind).
                    appendUnicodeEscape(text, at: j, length: length, to: &out)
                    i = j + length
                    continue
                }
            }
            JSONString.appendEscaped(
                utf8: UnsafeRawBufferPointer(rebasing: text[j..<(j + length)]), asciiOnly: asciiOnly, to: &out)
            i = j + length
        }
    }

    /// The `\uXXXX` escape (two for a scalar above U+FFFF, as UTF-16 surrogates) of the
    /// `length`-byte UTF-8 scalar at `j` of `text`, as `JSONString.appendEscaped` writes it.
    private static func appendUnicodeEscape(
        _ text: UnsafeRawBufferPointer, at j: Int, length: Int, to out: inout [UInt8]
    ) {
        let lead = UInt32(text[j])
        func next(_ k: Int) -> UInt32 { UInt32(text[j + k] & 0x3F) }
        let scalar: UInt32
        switch length {
        case 2: scalar = (lead & 0x1F) << 6 | next(1)
        case 3: scalar = (lead & 0x0F) << 12 | next(1) << 6 | next(2)
        default: scalar = (lead & 0x07) << 18 | next(1) << 12 | next(2) << 6 | next(3)
        }
        func unit(_ value: UInt32) {
            func hex(_ digit: UInt32) -> UInt8 { digit < 10 ? UInt8(48 + digit) : UInt8(87 + digit) }
            out.append(92)
            out.append(UInt8(ascii: "u"))
            out.append(hex(value >> 12 & 15))
            out.append(hex(value >> 8 & 15))
            out.append(hex(value >> 4 & 15))
            out.append(hex(value & 15))
        }
        if scalar >= 0x10000 {
            unit(0xD800 + ((scalar - 0x10000) >> 10))
            unit(0xDC00 + ((scalar - 0x10000) & 0x3FF))
        } else {
            unit(scalar)
        }
    }

    /// `appendString`, writing each lone-surrogate stand-in of `text` (see `EscapedText`) as
    /// the escape it was read from.
    static func appendString(_ text: [UInt8], asciiOnly: Bool, escapes: [[UInt8]], to out: inout [UInt8]) {
        guard !escapes.isEmpty else { return appendString(text, asciiOnly: asciiOnly, to: &out) }
        text.withUnsafeBytes { t in
            out.append(UInt8(ascii: "\""))
            var start = 0
            var i = 0
            func flush(_ end: Int) {
                guard end > start else { return }
                appendEscaped(UnsafeRawBufferPointer(rebasing: t[start..<end]), asciiOnly: asciiOnly, to: &out)
            }
            while i < t.count {
                if let k = EscapedText.standIn(t, at: i, count: escapes.count) {
                    flush(i)
                    out.append(contentsOf: escapes[k])
                    i += 4
                    start = i
                } else {
                    i += 1
                }
            }
            flush(t.count)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// True when `line` has no byte above 0x7F (non-ASCII must then be escaped to match it).
    static func isASCII(_ line: UnsafeRawBufferPointer) -> Bool {
        // Eight bytes at a time: a record is a few kilobytes, scanned once per changed record.
        guard let base = line.baseAddress else { return true }
        let n = line.count
        var i = 0
        var any: UInt64 = 0
        // Sixty-four bytes per test: an escaped (`ensure_ascii`) record is read to its end.
        while i + 64 <= n {
            func word(_ k: Int) -> UInt64 { base.loadUnaligned(fromByteOffset: i + 8 * k, as: UInt64.self) }
            any |= (word(0) | word(1)) | (word(2) | word(3)) | (word(4) | word(5)) | (word(6) | word(7))
            if any & 0x8080_8080_8080_8080 != 0 { return false }
            i += 64
        }
        while i + 8 <= n {
            any |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            any |= UInt64(line[i])
            i += 1
        }
        return any & 0x8080_8080_8080_8080 == 0
    }

    /// The separator between the elements of the array at `array` (", " or ","), else between
    /// the root object's first members, else ", ".
    static func separator(in document: JSONDocument, array: Int) -> [UInt8] {
        // The first two children found by walking, not by collecting them into arrays
        // (measured: 1.4k instructions per call that way, 14M on the realistic bench file).
        var elements = document.elements(array)
        if let first = elements.next(), let second = elements.next() {
            return bytes(document, document.span(first).upperBound..<document.span(second).lowerBound)
        }
        var keys = document.memberKeys(document.root)
        if let first = keys.next(), let second = keys.next() {
            return bytes(document, document.span(first + 1).upperBound..<document.span(second).lowerBound)
        }
        return commaSpace
    }

    /// `, `, the separator nearly every record has (`json.dumps`'s), made once: an array made
    /// per call cost about 300 instructions (callgrind, real20.jsonl, --threads 1: 1,800 calls).
    private static let commaSpace: [UInt8] = Array(", ".utf8)

    /// The bytes of `range` of the document (`commaSpace` when they are `, `).
    private static func bytes(_ document: JSONDocument, _ range: Range<Int>) -> [UInt8] {
        let all = document.bytes
        if range.count == 2 && all[range.lowerBound] == UInt8(ascii: ",") && all[range.lowerBound + 1] == 0x20 {
            return commaSpace
        }
        return Array(all[range])
    }

    /// The bytes of `range` of `line` with `edits` (ranges within `range`) applied.
    static func apply(_ edits: [JSONEdit], within range: Range<Int>, of line: UnsafeRawBufferPointer) -> [UInt8] {
        let slice = UnsafeRawBufferPointer(rebasing: line[range])
        let shifted = edits.map {
            JSONEdit(
                range: ($0.range.lowerBound - range.lowerBound)..<($0.range.upperBound - range.lowerBound),
                replacement: $0.replacement)
        }
        return JSONEdit.apply(shifted, to: slice)
    }
}
