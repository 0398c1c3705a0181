import SOCTestSupport
import Testing

@testable import SOCCore

/// The fast paths scrub uses to read and write message strings give exactly what the shared
/// JSON code gives, on random text made of the characters that need care.
@Suite struct JSONSpliceTests {
    static let pieces = [
        "a", "Zoë", "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}", "/", "é", "İ",
        "中文", "😀", "\u{10FFFF}", "\u{100000}", " ", "plain text of a message ", "<audio>", ":",
    ]

    static func randomText(_ random: inout SeededNumbers) -> [UInt8] {
        Array((0..<random.next(12)).map { _ in pieces[random.next(pieces.count)] }.joined().utf8)
    }

    @Test func appendQuotedMatchesJSONString() {
        var random = SeededNumbers(state: 77)
        for _ in 0..<3000 {
            let text = Self.randomText(&random)
            for asciiOnly in [false, true] {
                var expected: [UInt8] = [1, 2]
                var actual: [UInt8] = [1, 2]
                text.withUnsafeBytes {
                    JSONString.appendQuoted(utf8: $0, asciiOnly: asciiOnly, to: &expected)
                    JSONSplice.appendQuoted($0, asciiOnly: asciiOnly, to: &actual)
                }
                #expect(
                    actual == expected,
                    "\(String(decoding: text, as: UTF8.self).debugDescription) asciiOnly \(asciiOnly)")
            }
        }
    }

    /// Long runs of non-ASCII (written a stack buffer at a time) are escaped as `JSONString`
    /// escapes them.
    @Test func longNonASCIIRunsMatchJSONString() {
        let texts: [[UInt8]] = [
            Array(String(repeating: "😀", count: 50).utf8), Array(String(repeating: "中", count: 100).utf8),
            Array(("a" + String(repeating: "é😀中", count: 20) + "b").utf8),
            Array((String(repeating: "é", count: 15) + "😀😀\"x").utf8), Array(String(repeating: "é", count: 16).utf8),
        ]
        for text in texts {
            var expected: [UInt8] = []
            var actual: [UInt8] = []
            text.withUnsafeBytes {
                JSONString.appendQuoted(utf8: $0, asciiOnly: true, to: &expected)
                JSONSplice.appendQuoted($0, asciiOnly: true, to: &actual)
            }
            #expect(actual == expected, "\(text)")
        }
    }

    @Test func isASCIIMatchesAByteScan() {
        var random = SeededNumbers(state: 78)
        for _ in 0..<3000 {
            var text = Array(repeating: UInt8(ascii: "x"), count: random.next(400))
            if !text.isEmpty && random.next(2) == 0 { text[random.next(text.count)] = 0x80 | UInt8(random.next(128)) }
            let expected = !text.contains { $0 >= 0x80 }
            #expect(text.withUnsafeBytes { JSONSplice.isASCII($0) } == expected)
        }
    }

    /// Without lone surrogates, EscapedText reads a string as the shared unescaper does.
    @Test func escapedTextDecodesAsTheSharedUnescaper() {
        var random = SeededNumbers(state: 79)
        for _ in 0..<3000 {
            let text = Self.randomText(&random)
            for asciiOnly in [false, true] {
                var quoted: [UInt8] = []
                text.withUnsafeBytes { JSONString.appendQuoted(utf8: $0, asciiOnly: asciiOnly, to: &quoted) }
                let content = Array(quoted[1..<(quoted.count - 1)])
                let decoded = content.withUnsafeBytes { EscapedText.decode($0) }
                #expect(decoded?.text == text)
                #expect(decoded?.escapes.isEmpty == true)
                #expect(content.withUnsafeBytes { JSONString.unescape($0) } == text)
            }
        }
    }

    /// Every short escape (`\b \f \n \r \t \" \\ \/`) decodes to its byte, alone, in runs and
    /// between other text, as the shared unescaper reads it; only `\/` is one that is not
    /// written back as it is.
    @Test func shortEscapesDecodeToTheirBytes() {
        let escapes = [#"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#, #"\""#, #"\\"#, #"\/"#]
        var random = SeededNumbers(state: 80)
        for _ in 0..<500 {
            let parts = (0..<random.next(8)).map { _ in
                random.next(3) == 0 ? "x" : escapes[random.next(escapes.count)]
            }
            let content = Array(parts.joined().utf8)
            var out = [UInt8](repeating: 0, count: content.count)
            var style = EscapedText.Style()
            let decoded = content.withUnsafeBytes { text in
                out.withUnsafeMutableBytes { EscapedText.decode(text, into: $0.baseAddress, style: &style) }
            }
            let expected = content.withUnsafeBytes { JSONString.unescape($0) }
            #expect(decoded.map { Array(out[0..<$0.0]) } == expected, "\(parts)")
            #expect((style.otherwise != 0) == parts.contains(#"\/"#), "\(parts)")
        }
    }

    /// A lone surrogate escape becomes a plane-16 stand-in; with plane-16 text written raw too,
    /// the message is left alone (nil).
    @Test func loneSurrogatesAndPlane16() {
        let lone = Array(#"a\ud800b"#.utf8)
        let decoded = lone.withUnsafeBytes { EscapedText.decode($0) }
        #expect(decoded?.escapes == [Array(#"\ud800"#.utf8)])
        #expect(decoded?.text == [UInt8(ascii: "a")] + Array("\u{100000}".utf8) + [UInt8(ascii: "b")])
        let ambiguousRaw = Array(#"\ud800"#.utf8) + Array("\u{100001}".utf8)
        #expect(ambiguousRaw.withUnsafeBytes { EscapedText.decode($0) } == nil)
        let ambiguousEscaped = Array(#"\ud800 \udbc0\udc00"#.utf8)
        #expect(ambiguousEscaped.withUnsafeBytes { EscapedText.decode($0) } == nil)
        let plane16Only = Array("x\u{100001}".utf8)
        #expect(plane16Only.withUnsafeBytes { EscapedText.decode($0) }?.text == plane16Only)
    }
}
