import SOCTestSupport
import Testing

@testable import SOCCore

/// `Shingler.forEachShingleHash` finds the token starts itself, from the spaces of the normalized
/// text (the first `ngram - 1` byte by byte, the rest 64 bytes per mask), so its shingles are
/// checked here against the definition: the tokens of each string, in windows of `ngram` (one
/// window of them all when there are fewer), each hashed by `XXH3_64bits`.
@Suite struct ShingleLoopTests {
    /// The shingle hashes of `strings` by the definition.
    static func referenceHashes(_ strings: [String], ngram: Int) -> [UInt64] {
        let tokens = strings.flatMap { ShinglerTests.referenceNormalized($0).split(separator: " ").map(String.init) }
        guard !tokens.isEmpty else { return [] }
        let span = min(ngram, tokens.count)
        return (0...(tokens.count - span)).map { s in
            Array(tokens[s..<s + span].joined(separator: " ").utf8).withUnsafeBytes {
                XXH3.hash64($0.baseAddress!, $0.count)
            }
        }
    }

    static func hashes(_ shingler: Shingler) -> [UInt64] {
        var hashes: [UInt64] = []
        shingler.forEachShingleHash { hashes.append($0) }
        return hashes
    }

    /// Texts of 0 to about 100 tokens over one to three strings, so that token ends fall at
    /// every offset of a 64-byte mask and at its edges, for every `ngram` from 1 to 7; tokens of
    /// every shingle-length class (under 17 bytes, 17 to 128, over 128).
    @Test func shingleHashesFollowTheDefinitionAtEveryMaskEdge() {
        var generator = SeededNumbers(state: 2_626)
        let words = [
            "a", "Bc", "def", "x1", "GHIJ", "é", "东京", "İz", "😀", "--", "klmnopqrstuvwxyz",
            String(repeating: "w", count: 70),
        ]
        let separators = [" ", ", ", ". ", "  ", "_"]
        for ngram in 1...7 {
            for _ in 0..<120 {
                let strings = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                    (0..<Int.random(in: 0...40, using: &generator)).map { _ in
                        words.randomElement(using: &generator)! + separators.randomElement(using: &generator)!
                    }.joined()
                }
                let shingler = Shingler(ngram: ngram)
                for string in strings { shingler.append(string) }
                let expected = Self.referenceHashes(strings, ngram: ngram)
                #expect(Self.hashes(shingler) == expected, "ngram \(ngram): \(strings)")
                // A second pass over the same text gives the same hashes (the loop writes zeros
                // past the text, never into it), and so does the text after more is appended.
                #expect(Self.hashes(shingler) == expected)
                shingler.append("tail words")
                #expect(Self.hashes(shingler) == Self.referenceHashes(strings + ["tail words"], ngram: ngram))
                let tokens = strings.map { ShinglerTests.referenceNormalized($0) }.filter { !$0.isEmpty }
                #expect(shingler.tokenCount == tokens.joined(separator: " ").split(separator: " ").count + 2)
            }
        }
    }

    /// A text of more tokens than the start buffer first holds (8,192) grows it, and a reused
    /// shingler with a shorter text after it gives that text's shingles alone.
    @Test func manyTokensGrowTheStartBuffer() {
        let long = (0..<30_000).map { "t\($0 % 977)" }.joined(separator: " ")
        let shingler = Shingler(ngram: 5)
        shingler.append(long)
        #expect(Self.hashes(shingler) == Self.referenceHashes([long], ngram: 5))
        shingler.reset()
        shingler.append("One two three")
        #expect(Self.hashes(shingler) == Self.referenceHashes(["One two three"], ngram: 5))
        shingler.reset()
        shingler.append("!!")
        #expect(Self.hashes(shingler).isEmpty)
        #expect(!shingler.hasTokens)
    }
}
