import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct TextMeasureEscapedTests {
    /// The escapes and plain pieces the random strings are made of: blank and non-blank escapes,
    /// surrogate pairs, lone surrogates (high, low, high before a non-low escape), `\u003c`, and
    /// plain blanks, `<`, multi-byte UTF-8 and words.
    static let pieces: [String] = [
        #"\n"#, #"\t"#, #"\r"#, #"\f"#, #"\b"#, #"\""#, #"\\"#, #"\/"#, #"\u0020"#, #"\u000B"#, #"\u00e9"#,
        #"\u00A0"#, #"\u3000"#, #"\u003c"#, #"\ud83d\ude00"#, #"\uD83C\uDF5C"#, #"\ud800"#, #"\udc00"#,
        #"\ud800\u0041"#, #"\ud800\ud800"#, " ", "  ", "a", "word", "<", "é", "🍜", "x y", "\u{3000}",
    ]

    /// Measuring escaped bytes in place gives the figures of measuring the unescaped text, for
    /// random strings of every length up to 200 pieces; so does the first-byte test.
    @Test func agreesWithUnescapingFirst() {
        var numbers = SeededNumbers(state: 987_654_321)
        func next(_ bound: Int) -> Int { numbers.next(bound) }
        for length in 0..<200 {
            for _ in 0..<6 {
                var content = ""
                for _ in 0..<length { content += Self.pieces[next(Self.pieces.count)] }
                let bytes = Array(content.utf8)
                bytes.withUnsafeBytes { raw in
                    let plain = JSONString.unescape(raw)
                    let expected = plain.withUnsafeBytes { TextMeasure.measure($0) }
                    #expect(TextMeasure.measure(escaped: raw) == expected, "\(content)")
                    #expect(TextMeasure.startsWithNonASCII(escaped: raw) == (plain.first.map { $0 >= 0x80 } ?? false))
                }
            }
        }
    }

    /// The escape-bit walk (texts of 16 bytes or more), with its bits compared word by word or
    /// stored by the vector pass (`measureEscaped`, up to 1,024 bytes), gives the one-by-one
    /// walk's figures, and those of the unescaped text, for runs of escapes at every offset
    /// across the 64-byte words: pairs and lone surrogates split by a word's end, `\\` before a
    /// `u`, blank escapes at either end and beside plain blanks, `\u003c`; and on both sides of
    /// the one-pass limit.
    @Test func escapeBitsAgreeWithOneByOne() {
        let runs: [String] = [
            #"\ud83d\ude00"#, #"\\ud83d"#, #"\\\\u0020"#, #"\\\u0020"#, #"\n\n"#, #"a\n"#, #"\u0020b"#,
            #"\u003c"#, #"\ud800\ud800\udc00"#, #"\udc00\ud800"#, #"\ud83d"#, #"\t \u00e9\u00e9 \u00e9"#,
            #" \"\"\\"#, #"\uD83C\uDF5C\uDBFF\uDFFF"#, #"\ud83d\u0041"#, #"\r\u000b\f\b\/"#,
        ]
        for run in runs {
            for prefix in Array(0..<80) + [168, 169, 170, 171, 172, 180] {
                for filler in ["x", " ", "é", #"\u00e9"#] {
                    for suffix in [0, 1, 9] {
                        let content =
                            String(repeating: filler, count: prefix) + run + String(repeating: filler, count: suffix)
                        let bytes = Array(content.utf8)
                        guard bytes.count >= 16 else { continue }
                        bytes.withUnsafeBytes { raw in
                            let measured = TextMeasure.measure(raw)
                            let bits = TextMeasure.correctedByEscapeBits(measured, raw.baseAddress!, raw.count)
                            #expect(bits == TextMeasure.correctedOneByOne(measured, raw), "\(content)")
                            if raw.count <= TextMeasure.escapedPassLimit {
                                #expect(TextMeasure.measureEscaped(raw.baseAddress!, raw.count) == bits, "\(content)")
                            }
                            #expect(TextMeasure.measure(escaped: raw) == bits, "\(content)")
                            let plain = JSONString.unescape(raw)
                            #expect(bits == plain.withUnsafeBytes { TextMeasure.measure($0) }, "\(content)")
                        }
                    }
                }
            }
        }
    }

    /// The word-at-a-time `hex4` reads every four-digit value, in lower, upper and mixed case,
    /// at any offset, as the digit-by-digit definition does.
    @Test func hex4ReadsEveryValue() {
        for value in 0..<0x1_0000 {
            let lower = String(value, radix: 16)
            let digits = String(repeating: "0", count: 4 - lower.count) + lower
            let mixed = String(
                digits.enumerated().map { $0.offset % 2 == 0 ? Character($0.element.uppercased()) : $0.element })
            for text in [digits, digits.uppercased(), mixed] {
                let bytes = Array(("x\\u" + text).utf8)
                bytes.withUnsafeBytes { raw in
                    #expect(TextMeasure.hex4(raw, 3) == UInt32(value), "\(text)")
                }
            }
        }
    }

    /// The document form measures escaped and plain strings alike.
    @Test func measuresDocumentStrings() {
        let line = Array(#"["a\nb \u00e9\ud83d\ude00 c", "plain text"]"#.utf8)
        let parser = JSONParser()
        line.withUnsafeBytes { raw in
            guard case .success(let document) = parser.parse(raw) else {
                Issue.record("fixture does not parse")
                return
            }
            let strings = Array(document.elements(document.root))
            let escaped = TextMeasure.measure(document, string: strings[0])
            #expect(escaped == TextMeasure.Figures(words: 4, characters: 8, hasAngleBracket: false))
            let plain = TextMeasure.measure(document, string: strings[1])
            #expect(plain == TextMeasure.Figures(words: 2, characters: 10, hasAngleBracket: false))
            withExtendedLifetime(parser) {}
        }
    }
}
