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

    @Test func longTextsGrowTheBuffers() {
        let shingler = Shingler(ngram: 5)
        let text = String(repeating: "Ünïcode word ", count: 20_000)
        shingler.append(text)
        #expect(shingler.tokenCount == 40_000)
        #expect(shingler.normalized.count == Array("ünïcode word".utf8).count * 20_000 + 19_999)
    }
}
