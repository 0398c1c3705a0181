import Testing

@testable import SOCCore

/// The edges of the string scanner's word-at-a-time paths (JSONParser+Strings.swift): a byte that
/// needs a decision in every lane of a sixteen-byte block and of the eight-byte and per-byte tails,
/// strings ending exactly at block boundaries and at the end of the buffer, and each UTF-8 and
/// `\u` check in each lane. Each case states the expected result and is also run through
/// `ReferenceJSONParser`, the former byte-at-a-time parser.
@Suite struct JSONParserFastPathTests {
    /// `"` + `offset` filler bytes + `special` + `after` filler bytes (+ `"` when `closed`).
    static func string(offset: Int, _ special: [UInt8], after: Int = 0, closed: Bool = true) -> [UInt8] {
        [0x22] + Array(repeating: UInt8(ascii: "a"), count: offset) + special
            + Array(repeating: UInt8(ascii: "b"), count: after) + (closed ? [0x22] : [])
    }

    /// The parse error of `bytes`, checked against the reference parser's.
    static func error(_ bytes: [UInt8]) -> JSONParseError? {
        let new = parseError(bytes)
        let old = bytes.withUnsafeBytes { raw -> JSONParseError? in
            if case .failure(let error) = ReferenceJSONParser().parse(raw) { return error }
            return nil
        }
        #expect(new?.kind == old?.kind && new?.offset == old?.offset && new?.message == old?.message)
        return new
    }

    /// Offsets 0..<40 put the byte in every lane of the first blocks; `after` 0..<20 ends the
    /// string in the sixteen-byte loop, the eight-byte step or the per-byte tail.
    static let offsets = 0..<40
    static let afters = [0, 1, 7, 8, 9, 15, 16, 17]

    @Test func closingQuoteInEveryLane() throws {
        for offset in Self.offsets {
            // The string is the whole line, so it also ends exactly at the end of the buffer.
            let line = Self.string(offset: offset, [])
            #expect(Self.error(line) == nil)
            try withDocument(bytes: line) { doc in
                #expect(doc.span(doc.root) == 0..<line.count)
                #expect(!doc.hasEscapes(doc.root))
            }
            // Followed by more line after the string.
            try withDocument(bytes: [0x5B] + line + Array(#", "next"]"#.utf8)) { doc in
                #expect(doc.span(doc.elements(doc.root).first { _ in true }!) == 1..<line.count + 1)
            }
        }
    }

    @Test func unterminatedStringsEndingInEveryLane() {
        for offset in Self.offsets {
            for tail: [UInt8] in [[], Array("é".utf8), Array(#"\n"#.utf8), Array(#"\u00e9"#.utf8), [0x5C]] {
                let error = Self.error(Self.string(offset: offset, tail, closed: false))
                #expect(error?.kind == .malformed && error?.offset == 0)
                #expect(error?.message == "unterminated string at byte 0")
            }
        }
    }

    @Test func escapesInEveryLane() throws {
        for offset in Self.offsets {
            for after in Self.afters {
                for escape in [#"\""#, #"\\"#, #"\/"#, #"\b\f\n\r\t"#, #"\u00E9"#, #"\ud83d\ude00"#] {
                    let line = Self.string(offset: offset, Array(escape.utf8), after: after)
                    #expect(Self.error(line) == nil, "\(escape) at \(offset)")
                    try withDocument(bytes: line) { doc in
                        #expect(doc.hasEscapes(doc.root))
                        #expect(doc.span(doc.root) == 0..<line.count)
                    }
                }
                let bad = Self.error(Self.string(offset: offset, Array(#"\x"#.utf8), after: after))
                #expect(bad?.offset == offset + 1 && bad?.message == "invalid escape at byte \(offset + 1)")
            }
        }
    }

    @Test func eachHexDigitOfAUnicodeEscapeIsChecked() {
        let hex = Array("0123456789abcdefABCDEF".utf8)
        let notHex: [UInt8] = [
            0x00, 0x22, 0x2F, 0x3A, 0x40, 0x47, 0x60, 0x67, 0x5C, 0x7F, 0x80, 0xC3, 0xFF, 0x10, 0x30 | 0x80,
        ]
        for offset in [0, 5, 10, 11, 12, 13, 14, 15, 16] {
            for digit in 0..<4 {
                for byte in hex {
                    var escape = Array(#"\u0000"#.utf8)
                    escape[2 + digit] = byte
                    #expect(Self.error(Self.string(offset: offset, escape)) == nil)
                }
                for byte in notHex {
                    var escape = Array(#"\u0000"#.utf8)
                    escape[2 + digit] = byte
                    let error = Self.error(Self.string(offset: offset, escape, after: 3))
                    #expect(error?.offset == offset + 1 && error?.message == "invalid \\u escape at byte \(offset + 1)")
                }
            }
            // Cut short by the end of the line.
            for cut in 1..<6 {
                let line = Self.string(offset: offset, Array(Array(#"\u0041"#.utf8)[..<cut]), closed: false)
                #expect(Self.error(line)?.offset == (cut == 1 ? 0 : offset + 1))
            }
        }
    }

    @Test func controlBytesInEveryLane() {
        for offset in Self.offsets {
            for after in Self.afters {
                for byte: UInt8 in [0x00, 0x01, 0x09, 0x0A, 0x1F] {
                    let error = Self.error(Self.string(offset: offset, [byte], after: after))
                    #expect(error?.kind == .malformed && error?.offset == offset + 1)
                    #expect(error?.message == "control character in a string (must be escaped) at byte \(offset + 1)")
                }
                // 0x20 and 0x7F are plain bytes.
                #expect(Self.error(Self.string(offset: offset, [0x20, 0x7F], after: after)) == nil)
            }
        }
    }

    @Test func validUTF8InEveryLane() throws {
        for offset in Self.offsets {
            for after in Self.afters {
                for text in ["é", "加油", "😀", "ờ", "\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}", "é加😀"] {
                    let line = Self.string(offset: offset, Array(text.utf8), after: after)
                    #expect(Self.error(line) == nil)
                    try withDocument(bytes: line) { doc in
                        #expect(doc.string(doc.root)?.contains(text) == true)
                    }
                }
            }
        }
    }

    /// Each ill-formed sequence at each lane, alone and after a valid multi-byte run (so the
    /// sequence-after-sequence loop meets it too); the error names its first byte.
    @Test func invalidUTF8InEveryLane() {
        let invalid: [[UInt8]] = [
            [0x80], [0xBF], [0xC0, 0xAF], [0xC1, 0xBF], [0xC3, 0x28], [0xE0, 0x80, 0xAF], [0xE0, 0x9F, 0xBF],
            [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xE2, 0x82, 0x28], [0xF0, 0x8F, 0xBF, 0xBF],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8], [0xFF], [0xF0, 0x9F, 0x98, 0x28],
        ]
        for offset in Self.offsets {
            for bytes in invalid {
                for lead in [[], Array("é".utf8), Array("加".utf8)] {
                    for after in [0, 9] {
                        let error = Self.error(Self.string(offset: offset, lead + bytes, after: after))
                        let at = 1 + offset + lead.count
                        #expect(error?.kind == .invalidUTF8 && error?.offset == at)
                        #expect(error?.message == "invalid UTF-8 byte sequence at byte \(at)")
                    }
                }
            }
            // Sequences cut short by the end of the buffer.
            for truncated: [UInt8] in [[0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xF0]] {
                let error = Self.error(Self.string(offset: offset, truncated, closed: false))
                #expect(error?.kind == .invalidUTF8 && error?.offset == 1 + offset)
            }
        }
    }

    @Test func keysAndWhitespaceAroundThem() throws {
        for spaces in 0..<20 {
            let gap = String(repeating: " ", count: spaces)
            let text =
                "{\(gap)\"k\(String(repeating: "é", count: spaces))\"\(gap):\(gap)[\(gap)1\(gap),\t\"v\"\r\n]\(gap)}"
            try withDocument(text) { doc in
                #expect(doc.count(doc.root) == 1)
            }
            #expect(
                Self.error(Array("{\(gap)\"k\"\(gap)\(gap)1}".utf8))?.message.hasPrefix("expected ':' after a key")
                    == true)
            #expect(Self.error(Array("{\(gap)k\":1}".utf8))?.message.hasPrefix("expected a string key") == true)
        }
    }
}
