import SOCTestSupport
import Testing

@testable import SOCCore

/// The strings of a JSON array read as one text (`Fingerprinter` gives a `messages` array of
/// strings to the shingler from the first string's content to the last's, the quotes, commas and
/// blanks between them included) against the same strings appended one by one.
@Suite struct ShinglerJoinedTests {
    /// Between two strings of an array: the common `", "` (which the tokenizer skips to its last
    /// quote), and the other separators JSON allows.
    static let separators = ["\", \"", "\", \"", "\",\"", "\" , \"", "\",\t\"", "\",  \""]

    @Test func anArraysStringsJoinedGiveTheTokensOfEachInTurn() {
        var generator = SeededNumbers(state: 0x1013)
        let texts = ShinglerTests.randomTexts(count: 900) + ["", "a", "end.", "😀", "é", "\"", "\", \"", "\\"]
        var tokens = 0
        for _ in 0..<1500 {
            let strings = (0..<Int.random(in: 1...6, using: &generator)).map { _ in
                texts.randomElement(using: &generator)!
            }
            for escaped in [false, true] {
                // Escaped: every string quoted ASCII-only (escapes throughout); else as it is, which
                // leaves JSON's own escapes (a quote or backslash in a string) to `asciiOnly: false`.
                var contents: [[UInt8]] = []
                for string in strings {
                    var quoted: [UInt8] = []
                    JSONString.appendQuoted(string, asciiOnly: escaped, to: &quoted)
                    contents.append(Array(quoted.dropFirst().dropLast()))
                }
                let withEscapes = contents.contains { $0.contains(UInt8(ascii: "\\")) }
                var joined: [UInt8] = []
                for (k, content) in contents.enumerated() {
                    if k > 0 { joined += Array(Self.separators.randomElement(using: &generator)!.utf8) }
                    joined += content
                }
                let line = joined + Array("\"]}, {\"sender\": \"a\"}]}".utf8)
                let one = Shingler(ngram: 3)
                one.append(first: joined.count, of: line, escaped: withEscapes)
                let each = Shingler(ngram: 3)
                for content in contents {
                    content.withUnsafeBytes { withEscapes ? each.appendEscaped($0) : each.append($0) }
                }
                #expect(one.normalized == each.normalized, "\(strings.map { Array($0.unicodeScalars) })")
                tokens += each.tokenCount
            }
        }
        #expect(tokens > 20000)
    }

    /// A text that is no JSON (`append` of any bytes) may hold `", "` anywhere: skipped to its
    /// last quote, it is still one run of separators.
    @Test func quoteCommaSpaceQuoteInPlainTextIsOneSeparator() {
        let texts = [
            "say \", \"hi", "\", \"", "a\", \"\", \"b", "x\", \"\"", String(repeating: "word\", \"", count: 9),
            "0123456789abcdef\", \"tail", "é\", \"😀\", \"z",
        ]
        for text in texts {
            for padding in 0..<20 {
                let padded = String(repeating: "p ", count: padding) + text
                let shingler = Shingler(ngram: 2)
                shingler.append(padded)
                #expect(shingler.normalized == Array(ShinglerTests.referenceNormalized(padded).utf8), "\(padded)")
                // Read with the rest of a line after it, the blocks taken whole.
                let line = Array(padded.utf8) + Array(String(repeating: "\", \"", count: 8).utf8)
                let readable = Shingler(ngram: 2)
                readable.append(first: padded.utf8.count, of: line, escaped: false)
                #expect(readable.normalized == shingler.normalized, "\(padded)")
            }
        }
    }
}
