import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct TextMeasureContentTests {
    /// The pieces of the random texts: spaces, `<`, one- to four-byte characters and words; no
    /// byte below 0x20, as in a JSON string's content.
    static let pieces: [String] = [" ", "  ", "a", "word", "<", "é", "🍜", "x y", "\u{3000}", "\\", "\\u00e9", "ab<c"]

    /// The content pass (`contentMeasure`) gives `measure`'s figures (the generic vector pass's)
    /// for random texts of every length from 16 to 700 bytes, across its 253-block sums too.
    @Test func agreesWithMeasure() {
        var numbers = SeededNumbers(state: 1_357_913)
        func next(_ bound: Int) -> Int { numbers.next(bound) }
        var lengths = Array(16..<700)
        lengths += [253 * 16 - 1, 253 * 16, 254 * 16, 254 * 16 + 1, 255 * 16 + 7, 600 * 16 + 3]
        for length in lengths {
            for round in 0..<4 {
                var bytes: [UInt8] = []
                while bytes.count < length {
                    // Some texts all spaces or all one word, to reach a lane's largest count.
                    let piece = round == 0 ? " " : round == 1 ? "é" : Self.pieces[next(Self.pieces.count)]
                    bytes += Array(piece.utf8)
                }
                bytes.withUnsafeBytes { raw in
                    let expected = TextMeasure.measure(raw)
                    #expect(TextMeasure.contentMeasure(raw.baseAddress!, raw.count) == expected, "\(length) \(round)")
                }
            }
        }
    }

    /// Texts that start or end with spaces, or are one block: the start counts as blank, and the
    /// last block's lanes counted already are not counted again.
    @Test func edges() {
        for text in [
            "0123456789abcdef", " 123456789abcdef", "0123456789abcde ", "                ",
            "0123456789abcdef ", " 0123456789abcdef", "a b c d e f g h i", "0123456789abcdef0123456789abcdef",
            "0123456789abcde 0123456789abcdef", "0123456789abcdef 123456789abcdef",
        ] {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBytes { raw in
                #expect(TextMeasure.contentMeasure(raw.baseAddress!, raw.count) == TextMeasure.measure(raw), "\(text)")
            }
        }
    }
}
