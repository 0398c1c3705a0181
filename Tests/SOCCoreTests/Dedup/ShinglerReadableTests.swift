import SOCTestSupport
import Testing

@testable import SOCCore

/// The tokenizer reading past a string's end (`append(_:readable:)`, `appendEscaped(_:readable:)`:
/// a message's last block loaded where it stands, within its line) against the same strings with
/// nothing readable past them (the last block loaded from the string's last 16 bytes, or padded).
@Suite struct ShinglerReadableTests {
    /// What may follow a string in its line: quotes, structure, letters, escapes, non-ASCII.
    static let followers: [String] = [
        "\"", "\", \"", "\"]}, {\"sender\": \"x\", \"messages\": [\"", "word", "WORD", "é", "😀", "\\", "\\u00e9", " ",
        "..", "\u{A0}", "9",
    ]

    @Test func readingPastTheStringGivesTheSameTokens() {
        var generator = SeededNumbers(state: 0x5EAD)
        var texts = ShinglerTests.randomTexts(count: 1500)
        let alphabet: [String] = ["a", "Q", "7", " ", ".", "é", "😀", "_"]
        for length in 0...40 {
            for _ in 0..<8 {
                texts.append((0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined())
            }
        }
        let readable = Shingler(ngram: 3)
        let bounded = Shingler(ngram: 3)
        let readableEscaped = Shingler(ngram: 3)
        let boundedEscaped = Shingler(ngram: 3)
        var tokens = 0
        for text in texts {
            for shingler in [readable, bounded, readableEscaped, boundedEscaped] { shingler.reset() }
            // The string, then 0 to 40 bytes of what may follow it in a line.
            var after = ""
            let followers = Int.random(in: 0...4, using: &generator)
            for _ in 0..<followers { after += Self.followers.randomElement(using: &generator)! }
            let line = Array(text.utf8) + Array(after.utf8)
            readable.append(first: text.utf8.count, of: line, escaped: false)
            bounded.append(text)
            #expect(readable.normalized == bounded.normalized, "\(Array(text.unicodeScalars)) + \(after)")

            var quoted: [UInt8] = []
            JSONString.appendQuoted(text, asciiOnly: true, to: &quoted)
            let content = Array(quoted.dropFirst().dropLast())
            let escapedLine = content + Array(after.utf8)
            readableEscaped.append(first: content.count, of: escapedLine, escaped: true)
            content.withUnsafeBytes { boundedEscaped.appendEscaped($0) }
            #expect(readableEscaped.normalized == boundedEscaped.normalized, "\(Array(text.unicodeScalars))")
            tokens += bounded.tokenCount
        }
        #expect(tokens > 5000)
    }

    /// Strings followed by their closing quote, and what may follow it in a line: blocks are
    /// loaded past the string's end, which the quote stops (`TokenBlock`'s `quoted`).
    @Test func readingPastTheClosingQuoteGivesTheSameTokens() {
        var generator = SeededNumbers(state: 0x0DD5)
        var texts = ShinglerTests.randomTexts(count: 600)
        for length in 0...40 { texts.append(String(repeating: "ab c. ", count: 8).prefix(length).description) }
        for text in texts {
            let after = "\"" + Self.followers.randomElement(using: &generator)!
            var quoted: [UInt8] = []
            JSONString.appendQuoted(text, asciiOnly: true, to: &quoted)
            // The content without escapes (`append`) and with them (`appendEscaped`).
            for (content, escaped) in [(Array(text.utf8), false), (Array(quoted.dropFirst().dropLast()), true)] {
                let line = content + Array(after.utf8)
                let readable = Shingler(ngram: 3)
                let bounded = Shingler(ngram: 3)
                readable.append(first: content.count, of: line, escaped: escaped)
                content.withUnsafeBytes { escaped ? bounded.appendEscaped($0) : bounded.append($0) }
                #expect(readable.normalized == bounded.normalized, "\(Array(text.unicodeScalars)) + \(after)")
                #expect(readable.normalized == Array(ShinglerTests.referenceNormalized(text).utf8))
            }
        }
    }
}
