import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct ShinglerTests {
    func normalized(_ text: String) -> String {
        let shingler = Shingler(ngram: 5)
        shingler.append(text)
        return String(decoding: shingler.normalized, as: UTF8.self)
    }

    @Test func tokensAreLowercasedRunsOfLettersAndDigits() {
        #expect(normalized("Hello, WORLD!! it's 2025 -- snake_case") == "hello world it s 2025 snake case")
        #expect(normalized("  ...  ") == "")
    }

    @Test func nonASCIILettersAreWordCharactersAndLowercasedByUnicode() {
        #expect(normalized("Zoë ÉLODIE Straße ΣΟΦΊΑ 東京タワー") == "zoë élodie straße σοφία 東京タワー")
        // Emoji and punctuation outside ASCII separate tokens.
        #expect(normalized("tea🍵time—now") == "tea time now")
        // Digits of other scripts count as digits.
        #expect(normalized("room ٣٤") == "room ٣٤")
    }

    /// The documented definition, scalar by scalar: maximal runs of letters and digits (L*,
    /// N*), each scalar replaced by its full lowercase mapping, joined by single spaces.
    static func referenceNormalized(_ text: String) -> String {
        var tokens: [String] = []
        var token = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber:
                token += scalar.properties.lowercaseMapping
            default:
                if !token.isEmpty { tokens.append(token) }
                token = ""
            }
        }
        if !token.isEmpty { tokens.append(token) }
        return tokens.joined(separator: " ")
    }

    /// Random text mixing what the eight-byte path takes whole (ASCII words and single
    /// separators) with what stops it (separator runs, non-ASCII letters and symbols, lengths
    /// around eight bytes).
    static func randomTexts(count: Int) -> [String] {
        var generator = SeededNumbers(state: 1_616)
        let pieces = [
            "a", "Z", "0", "9", "word", "WORDS", "x1y2", " ", " ", " ", "  ", ", ", ". ", "!", "_", "-", "@", "[", "`",
            "{", "\t", "\n", "é", "İ", "ß", "Σ", "东京", "ǅ", "Ⅷ", "٣", "😀", "\u{301}", "ﬃ", "ẞ", "\u{A0}", "ı", "K",
            "\u{FFFD}", "🇹🇷",
        ]
        return (0..<count).map { _ in
            (0..<Int.random(in: 0...24, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                .joined()
        }
    }

    @Test func normalizedTextFollowsTheDefinition() {
        for text in Self.randomTexts(count: 3000) {
            #expect(normalized(text) == Self.referenceNormalized(text), "\(Array(text.unicodeScalars))")
        }
    }

    /// Strings of every length around the 16-byte block: tails taken from an overlapping load,
    /// separator runs at every lane of a block, and stops (non-ASCII, escapes) anywhere.
    @Test func everyLengthAndLaneFollowsTheDefinition() {
        var generator = SeededNumbers(state: 1_717)
        let alphabet: [String] = ["a", "Q", "7", "z", " ", " ", ".", "--", "é", "😀", "İ", "_"]
        for length in 0...50 {
            for _ in 0..<60 {
                let text = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
                #expect(normalized(text) == Self.referenceNormalized(text), "\(Array(text.unicodeScalars))")
                var quoted: [UInt8] = []
                JSONString.appendQuoted(text, asciiOnly: true, to: &quoted)
                let content = Array(quoted.dropFirst().dropLast())
                let escaped = Shingler(ngram: 3)
                content.withUnsafeBytes { escaped.appendEscaped($0) }
                #expect(String(decoding: escaped.normalized, as: UTF8.self) == Self.referenceNormalized(text))
            }
        }
        // Several strings in a row: each block step starts where the last one stopped.
        let shingler = Shingler(ngram: 2)
        var expected: [String] = []
        for length in 1...40 {
            let text = String(repeating: "Ab. ", count: length / 4) + String(repeating: "x", count: length % 4)
            shingler.append(text)
            let tokens = Self.referenceNormalized(text)
            if !tokens.isEmpty { expected.append(tokens) }
        }
        #expect(String(decoding: shingler.normalized, as: UTF8.self) == expected.joined(separator: " "))
    }

    @Test func escapedContentTokenizesAsItsUnescapedText() {
        let samples = [
            #"Caf\u00e9 \u0130STANBUL \ud83d\ude00x \ud800 lone \udc00 \n\t\"q\" \\ \/ \u0041BC"#,
            #"\ud83c\uddf9\ud83c\uddf7 \ud83dx \uDE00y \u00DF\u0053 \ud83d\u0041 end\ud83d"#,
            #"no escapes at all, just text"#, #"\u0000\u001f\u007F"#, #"a\\b"#,
        ]
        var contents = samples.map { Array($0.utf8) }
        for text in Self.randomTexts(count: 1000) {
            var quoted: [UInt8] = []
            JSONString.appendQuoted(text, asciiOnly: true, to: &quoted)
            contents.append(Array(quoted.dropFirst().dropLast()))
        }
        for content in contents {
            let escaped = Shingler(ngram: 3)
            let plain = Shingler(ngram: 3)
            content.withUnsafeBytes { escaped.appendEscaped($0) }
            content.withUnsafeBytes { JSONString.unescape($0) }.withUnsafeBytes { plain.append($0) }
            #expect(escaped.normalized == plain.normalized, "\(String(decoding: content, as: UTF8.self))")
            #expect(escaped.tokenCount == plain.tokenCount)
        }
    }

    /// A stop (a non-ASCII scalar, or an escape in escaped content) at every lane of a string's
    /// blocks, its last bytes included, after a token or a separator, the string ending in a
    /// token or not (the last token's space is stored without a branch).
    @Test func aStopAtEveryLaneOfAWholeBlockFollowsTheDefinition() {
        let filler = Array("Ab, cd. Ef--gh ij".utf8)
        for stop in ["é", "😀", "—"] {
            var quotedStop: [UInt8] = []
            JSONString.appendQuoted(stop, asciiOnly: true, to: &quotedStop)
            for lead in 0..<40 {
                for tail in [0, 1, 2, 15, 16, 17, 31, 33] {
                    let before = (0..<lead).map { filler[$0 % filler.count] }
                    let after = (0..<tail).map { filler[($0 + 5) % filler.count] }
                    let text = String(decoding: before + Array(stop.utf8) + after, as: UTF8.self)
                    #expect(normalized(text) == Self.referenceNormalized(text), "\(text)")
                    let content = before + quotedStop.dropFirst().dropLast() + after
                    let escaped = Shingler(ngram: 3)
                    content.withUnsafeBytes { escaped.appendEscaped($0) }
                    #expect(escaped.normalized == Array(Self.referenceNormalized(text).utf8), "\(text)")
                }
            }
        }
    }

    /// One shingler for every string, so that escapes seen before come from the escape cache:
    /// the same tokens as the unescaped strings, surrogates (paired, lone, one digit from a pair)
    /// and hex digits of either case included.
    @Test func repeatedEscapesTokenizeAsTheirUnescapedText() {
        let samples = [
            #"Caf\u00e9 CAF\u00C9 \u00c9t\u00E9 \u0041\u0062c \u0041B"#,
            #"\ud83d\ude00 \ud83d \ude00 \ud83d\u0041 \ud83dA"#,
            #"\ufffd\ud800\ufffd \u0130\u0130x \u0031\u00322 \u002c\u002C\u0020a"#, #"\uDE00\ud83d\uDE00\uDE00"#,
            // The pair cache: a pair seen, then its high half before other text of the same
            // length, before a pair's low half written differently, and at the end.
            #"\ud83d\ude00 \ud83d\\ude00 \ud83dXude00 \ud83d\uDE00 \ud83d\ude01\ud83d\ude00x \ud83d"#,
            #"\uD835\uDC00\uD835\uDC00A \ud835\udc00 \uD835\uDC1A \ud801\udc00\ud801\udc00"#,
        ]
        var contents: [[UInt8]] = []
        for _ in 0..<3 { contents += samples.map { Array($0.utf8) } }
        for text in Self.randomTexts(count: 300) {
            var quoted: [UInt8] = []
            JSONString.appendQuoted(text, asciiOnly: true, to: &quoted)
            contents.append(Array(quoted.dropFirst().dropLast()))
        }
        let escaped = Shingler(ngram: 3)
        let plain = Shingler(ngram: 3)
        for content in contents {
            content.withUnsafeBytes { escaped.appendEscaped($0) }
            content.withUnsafeBytes { JSONString.unescape($0) }.withUnsafeBytes { plain.append($0) }
            #expect(escaped.normalized == plain.normalized, "\(String(decoding: content, as: UTF8.self))")
            #expect(escaped.tokenCount == plain.tokenCount)
        }
    }

    /// A block whose first lane alone is dropped (a separator after a separator: at the text's
    /// start, after an emoji, after a string that ended in a separator) is stored one byte back.
    @Test func aBlockThatDropsOnlyItsFirstLaneFollowsTheDefinition() {
        let texts = [
            " leading space at the very start", "😀 after an emoji, then words and more words",
            "ends in a separator. ", " and the next string starts with one", "x\u{2014} dash-like",
            "é. Sentence, with: pairs; of separators", "  two at the start of a long string here",
        ]
        for escapes in [false, true] {
            let shingler = Shingler(ngram: 2)
            var expected: [String] = []
            for text in texts {
                if escapes {
                    var quoted: [UInt8] = []
                    JSONString.appendQuoted(text, asciiOnly: true, to: &quoted)
                    Array(quoted.dropFirst().dropLast()).withUnsafeBytes { shingler.appendEscaped($0) }
                } else {
                    shingler.append(text)
                }
                let tokens = Self.referenceNormalized(text)
                if !tokens.isEmpty { expected.append(tokens) }
            }
            #expect(String(decoding: shingler.normalized, as: UTF8.self) == expected.joined(separator: " "))
        }
    }

    /// A quote in `append`'s text (a Swift string, not JSON content, may hold one) is a
    /// separator like any other, at every lane of a block, whether the block step takes the
    /// quote as the end of a block or not.
    @Test func quotesInTheTextAreSeparators() {
        let filler = Array("Ab, cd. Ef--gh ij".utf8)
        for quotes in ["\"", "\"\"", " \"", "\"x\""] {
            for lead in 0..<36 {
                let before = (0..<lead).map { filler[$0 % filler.count] }
                let text = String(decoding: before + Array(quotes.utf8) + filler, as: UTF8.self)
                #expect(normalized(text) == Self.referenceNormalized(text), "\(text)")
            }
        }
    }

    @Test func tokensNeverRunAcrossStrings() {
        let shingler = Shingler(ngram: 2)
        shingler.append("good")
        shingler.append("bye now")
        #expect(shingler.shingles() == ["good bye", "bye now"])
    }

    @Test func shinglesAreConsecutiveWordNGrams() {
        let shingler = Shingler(ngram: 3)
        shingler.append("One two, three; four five")
        #expect(shingler.shingles() == ["one two three", "two three four", "three four five"])
    }

    @Test func aShortTextIsOneShingle() {
        let shingler = Shingler(ngram: 5)
        shingler.append("Just two")
        #expect(shingler.shingles() == ["just two"])
        let empty = Shingler(ngram: 5)
        empty.append("!!")
        #expect(empty.shingles().isEmpty)
        #expect(empty.normalizedTextHash() == nil)
    }

    @Test func shingleHashesAreXXH3OfTheShingleBytes() {
        let shingler = Shingler(ngram: 2)
        shingler.append("Alpha BETA gamma")
        var hashes: [UInt64] = []
        shingler.forEachShingleHash { hashes.append($0) }
        let expected = shingler.shingles().map { text in
            Array(text.utf8).withUnsafeBytes { XXH3.hash64($0.baseAddress!, $0.count) }
        }
        #expect(hashes == expected)
        #expect(hashes.count == 2)
    }

    @Test func resetForgetsTheText() {
        let shingler = Shingler(ngram: 5)
        shingler.append("first text here")
        shingler.reset()
        shingler.append("Second")
        #expect(shingler.shingles() == ["second"])
    }

    /// The definition, written plainly: runs of L* and N* scalars, each lowercased by Swift.
    static func definition(_ text: String) -> String {
        var tokens: [String] = []
        var token = ""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
                .letterNumber, .otherNumber:
                token.unicodeScalars.append(scalar)
            default:
                if !token.isEmpty { tokens.append(token.lowercased()) }
                token = ""
            }
        }
        if !token.isEmpty { tokens.append(token.lowercased()) }
        return tokens.joined(separator: " ")
    }

    /// Scalars whose lowercase is longer (İ, Ⱥ) or shorter (the Kelvin sign) than they are, and
    /// scalars 4,096 apart (which share a slot of the shingler's scalar cache), in any order.
    @Test func lowercasingScalarsMatchesTheDefinition() {
        let texts = [
            "İSTANBUL ıĞdır", "ȺȾ ⱥⱦ", "\u{212A}ELVIN 5\u{212B}", "é\u{10E9}é\u{10E9} \u{1E9}\u{11E9}", "ǅEMAL ǆ",
            "ΣΑΣ ΟΔΥΣΣΕΥΣ", "Ａｂｃ１２", "𐐀𐐨 𞤀",
        ]
        for text in texts {
            #expect(normalized(text) == Self.definition(text), "\(text)")
        }
    }

    @Test func aTextLongerWhenLowercasedGrowsTheBuffer() {
        let text = String(repeating: "İ", count: 50_000) + " x" + String(repeating: " İİ", count: 20_000)
        #expect(normalized(text) == Self.definition(text))
    }

    @Test func longTextsGrowTheBuffers() {
        let shingler = Shingler(ngram: 5)
        let text = String(repeating: "Ünïcode word ", count: 20_000)
        shingler.append(text)
        #expect(shingler.tokenCount == 40_000)
        #expect(shingler.normalized.count == Array("ünïcode word".utf8).count * 20_000 + 19_999)
    }
}
