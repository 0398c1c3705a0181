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

    /// `BlankText.mayBeBlank` passes every blank text, escaped or not (so counting blank
    /// messages needs `isBlank` only for texts that pass), including texts that start with
    /// ASCII blanks before an invisible character (` \u200b`, which an older first-byte test
    /// missed: soc-stats counted fewer blank messages than soc-validate rejects); a visible first
    /// character after ASCII blanks fails it.
    @Test func mayBeBlankPassesEveryBlankText() {
        Self.randomStrings(seed: 77) { raw, content in
            let plain = JSONString.unescape(raw)
            guard plain.withUnsafeBytes({ BlankText.isBlank($0) }) else { return }
            #expect(BlankText.mayBeBlank(raw, escaped: true), "\(content)")
            #expect(plain.withUnsafeBytes { BlankText.mayBeBlank($0, escaped: false) }, "\(content)")
        }
        let plain: [(String, Bool)] = [
            (" \u{200B}", true), ("\t\u{2003}", true), (" \u{A0}\u{200B} ", true), ("  ", true), ("", true),
            ("\u{200B}a", true), (" a\u{200B}", false), ("a", false), ("é", false), (" é ", false), ("\u{7F}", false),
        ]
        for (text, expected) in plain {
            #expect(
                Array(text.utf8).withUnsafeBytes { BlankText.mayBeBlank($0, escaped: false) } == expected, "\(text)")
        }
        let escaped: [(String, Bool)] = [
            (#" \u200b"#, true), (#"\u0020\u200b"#, true), (#"\n\t\u3000"#, true), (#"\t \ufeff x"#, true),
            (#"\u0020x"#, false), (#" \u00e9"#, false), (#"\"quoted\""#, false), (#"\\"#, false),
        ]
        for (text, expected) in escaped {
            #expect(Array(text.utf8).withUnsafeBytes { BlankText.mayBeBlank($0, escaped: true) } == expected, "\(text)")
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
