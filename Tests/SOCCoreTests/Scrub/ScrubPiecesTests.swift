import SOCTestSupport
import Testing

@testable import SOCCore

/// `ScrubPieces` (one piece held without an array) against a plain array of pieces, over
/// seeded sequences of the changes `TextScrubber` makes: set, replace a range, drop the last.
@Suite struct ScrubPiecesTests {
    @Test func matchesAPlainArrayOnSeededChanges() {
        var numbers = SeededNumbers(state: 2_026_120_2)
        func piece() -> [UInt8] {
            (0..<Int.random(in: 0...3, using: &numbers)).map { _ in UInt8.random(in: 97...99, using: &numbers) }
        }
        for _ in 0..<2_000 {
            var plain = (0..<Int.random(in: 0...3, using: &numbers)).map { _ in piece() }
            var pieces = ScrubPieces(plain)
            for _ in 0..<6 {
                #expect(pieces.array == plain)
                #expect(pieces.count == plain.count)
                #expect(Array(pieces) == plain)
                #expect(pieces == ScrubPieces(plain))
                switch Int.random(in: 0...2, using: &numbers) {
                case 0 where !plain.isEmpty:
                    let i = Int.random(in: 0..<plain.count, using: &numbers)
                    let new = piece()
                    plain[i] = new
                    pieces[i] = new
                case 1 where !plain.isEmpty:
                    let i = Int.random(in: 0..<plain.count, using: &numbers)
                    let new = (0..<Int.random(in: 0...3, using: &numbers)).map { _ in piece() }
                    plain.replaceSubrange(i..<(i + 1), with: new)
                    pieces.replaceSubrange(i..<(i + 1), with: new)
                default:
                    let k = Int.random(in: 0...plain.count, using: &numbers)
                    plain.removeLast(k)
                    pieces.removeLast(k)
                }
            }
        }
    }

    @Test func literalsAndSingles() {
        let empty: ScrubPieces = []
        #expect(empty.isEmpty)
        #expect(ScrubPieces(single: [1, 2]) == [[1, 2]])
        #expect(ScrubPieces([[1], [2]]).array == [[1], [2]])
        #expect(Array(ScrubPieces([[1], [2]]).joined(separator: [0])) == [1, 0, 2])
    }

    /// `hasNonASCII` answers as a byte search over every piece, for none, one and many pieces.
    @Test func hasNonASCIIMatchesAByteSearch() {
        let samples: [[[UInt8]]] = [
            [], [[]], [Array("plain".utf8)], [Array("café".utf8)], [Array("a".utf8), Array("b".utf8)],
            [Array("a".utf8), Array("ü".utf8)], [Array("😀".utf8), Array("x".utf8)], [[0x7F], [0x80]], [[], []],
        ]
        for sample in samples {
            let expected = sample.contains { $0.contains { $0 > 0x7F } }
            #expect(ScrubPieces(sample).hasNonASCII == expected, "\(sample)")
        }
        #expect(ScrubPieces(single: Array("naïve".utf8)).hasNonASCII)
        #expect(!ScrubPieces(single: Array("naive".utf8)).hasNonASCII)
    }
}
