import SOCTestSupport
import Testing

@testable import SOCCore

/// The hand-written paths of soc-stats' message walk against the code they replaced: the
/// block-copying unescaper against `JSONString.unescape`, the first-character blank test
/// against unescaping and testing the whole text, and the vector backslash search against a
/// byte loop.
@Suite struct ChatScratchUnescapeTests {
    /// Random escaped strings (the pieces of `TextMeasureEscapedTests`, plus blank and
    /// default-ignorable characters written and escaped) of every length up to 120 pieces.
    static func randomStrings(seed: UInt64, _ body: (UnsafeRawBufferPointer, String) -> Void) {
        let pieces =
            TextMeasureEscapedTests.pieces + [
                #"\u200b"#, #"\u2060"#, #"\ufeff"#, #"\u3000"#, "\u{200B}", "\u{3000}", "\u{A0}", #"\u00a0"#,
                #"\u0085"#, "a\\\\b", String(repeating: "x", count: 17), String(repeating: " ", count: 16),
            ]
        var numbers = SeededNumbers(state: seed)
        for length in 0..<120 {
            for _ in 0..<6 {
                var content = ""
                for _ in 0..<length { content += pieces[numbers.next(pieces.count)] }
                let bytes = Array(content.utf8)
                bytes.withUnsafeBytes { body($0, content) }
            }
        }
    }

    /// `ChatScratch.unescape` writes the bytes of `JSONString.unescape` (lone surrogates as
    /// U+FFFD), for every string at offsets 0...3 of its buffer.
    @Test func unescapeEqualsJSONStringUnescape() {
        Self.randomStrings(seed: 424_242) { raw, _ in
            let expected = JSONString.unescape(raw)
            for shift in 0..<4 {
                var padded = [UInt8](repeating: 0x41, count: shift) + Array(raw)
                padded.withUnsafeMutableBytes { whole in
                    let content = UnsafeRawBufferPointer(rebasing: whole[shift...])
                    let out = UnsafeMutableRawPointer.allocate(byteCount: content.count + 16, alignment: 16)
                    defer { out.deallocate() }
                    let count = ChatScratch.unescape(content, into: out)
                    #expect(Array(UnsafeRawBufferPointer(start: out, count: count)) == expected)
                }
            }
        }
    }

    /// The first-character test decides blankness as the old test did: a message with a word
    /// is blank exactly when its first byte is not ASCII and all its text is blank, which holds
    /// exactly when its first character is a non-ASCII blank one and all its text is blank.
    @Test func firstCharacterTestAgreesWithTheWholeText() {
        Self.randomStrings(seed: 77) { raw, content in
            let plain = JSONString.unescape(raw)
            let wholeBlank = plain.withUnsafeBytes { BlankText.isBlank($0) }
            let old = TextMeasure.startsWithNonASCII(escaped: raw) && wholeBlank
            #expect(
                (BlankText.startsWithBlankNonASCII(raw, escaped: true) && wholeBlank) == old, "\(content)")
            plain.withUnsafeBytes { text in
                let oldPlain = (text.first.map { $0 >= 0x80 } ?? false) && wholeBlank
                #expect((BlankText.startsWithBlankNonASCII(text, escaped: false) && wholeBlank) == oldPlain)
            }
        }
    }

    /// The vector backslash search finds what a byte loop finds, from every offset.
    @Test func nextBackslashEqualsAByteLoop() {
        var numbers = SeededNumbers(state: 5)
        for length in 0..<70 {
            for _ in 0..<8 {
                let bytes = (0..<length).map { _ in numbers.next(9) == 0 ? UInt8(ascii: "\\") : UInt8(ascii: "a") }
                bytes.withUnsafeBytes { raw in
                    for from in 0...length {
                        let expected = (from..<length).first { bytes[$0] == UInt8(ascii: "\\") } ?? length
                        guard let base = raw.baseAddress else { continue }
                        #expect(TextMeasure.nextBackslash(base, from: from, length) == expected)
                    }
                }
            }
        }
    }
}
