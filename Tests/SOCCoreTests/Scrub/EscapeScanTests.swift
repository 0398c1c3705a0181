import SOCTestSupport
import Testing

@testable import SOCCore

/// `ScrubStage.hasGateEscape` (sixteen start positions per step) gives the answers of the
/// escape-by-escape walk it replaced (`gateEscapeByWalk`) on valid string contents, and
/// `backslashInLastSix` those of a byte loop.
@Suite struct EscapeScanTests {
    /// Valid JSON string pieces: escapes of gate bytes, escaped backslashes before `u00…` text,
    /// runs of `\u` escapes as `json.dumps` writes them, plain text.
    static let fragments = [
        "a", "Hello there", " ", "\\u00e9", "\\u003a", "\\u003A", "\\u003c", "\\u003C", "\\u0041", "\\\\u003a",
        "\\\\\\u003a", "\\\\", "\\ud83d\\ude00", "\\n", "\\\"", "u003a", "\\u00", "é", "\\u4e2d\\u6587", "\\u0010",
        "\\u007f", "\\u0080",
    ]

    static let gateSets: [[UInt8]] = [
        [UInt8(ascii: ":"), UInt8(ascii: "<")], [UInt8(ascii: "A")], [0x10, 0x7F], [],
    ]

    func expectSameAnswers(_ text: String) {
        let content = Array(text.utf8)
        content.withUnsafeBytes { content in
            if content.count >= 20 {
                for gates in Self.gateSets.map(ScrubStage.ASCIISet.init) {
                    #expect(
                        ScrubStage.hasGateEscape(content, gates) == ScrubStage.gateEscapeByWalk(content, gates),
                        "\(text) \(gates)")
                }
            }
            let loop = content.suffix(6).contains(UInt8(ascii: "\\"))
            #expect(ScrubStage.backslashInLastSix(content) == loop, "\(text)")
        }
    }

    /// Whether `text` is a valid JSON string content (every backslash starts a whole escape).
    static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "\\") else {
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { return false }
            if bytes[i + 1] == UInt8(ascii: "u") {
                guard i + 6 <= bytes.count,
                    bytes[(i + 2)..<(i + 6)].allSatisfy({ JSONParser.hexValue($0) != nil })
                else { return false }
                i += 6
            } else {
                i += 2
            }
        }
        return true
    }

    @Test func sameAsTheWalkAtEveryOffset() {
        let all = Self.fragments
        // Padding puts each piece at every offset of a 16-byte block and near the end.
        let pads = (0..<20).map { String(repeating: "x", count: $0) }
        for a in all {
            for b in all {
                for pad in pads {
                    for text in [pad + a + b, a + pad + b, a + b + pad, pad + a + pad + b] where Self.isValid(text) {
                        expectSameAnswers(text)
                    }
                }
            }
        }
    }

    @Test func longMixedTexts() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...24, using: &generator) {
                text += Self.fragments.randomElement(using: &generator)!
            }
            if Self.isValid(text) { expectSameAnswers(text) }
        }
    }

    /// A gate escape in the last block's overlap, and one after an escaped backslash (text); texts
    /// of 20 bytes or more (shorter ones take the walk).
    @Test func edgeCases() {
        let gates = ScrubStage.ASCIISet([UInt8(ascii: ":"), UInt8(ascii: "<")])
        for (text, expected) in [
            (String(repeating: "y", count: 20) + "\\u003a", true),
            (String(repeating: "y", count: 20) + "\\\\u003a", false),
            ("\\u003a" + String(repeating: "y", count: 30), true),
            (String(repeating: "y", count: 14) + "\\u003c", true),
            (String(repeating: "\\u00e9", count: 10), false),
        ] {
            Array(text.utf8).withUnsafeBytes { content in
                #expect(ScrubStage.hasGateEscape(content, gates) == expected, "\(text)")
            }
        }
    }

    /// `escapesMatter` (`escapeDoubts` first, the detailed checks only for its doubts) answers
    /// as the detailed checks alone (`escapesMatterInDetail`) for every gate set: random mixes
    /// of escapes, escaped backslashes before `u` and digits, and text, short and long (blocks
    /// spread over up to 132 bytes, and the ones between past it), mostly of pieces it clears.
    @Test func quickCheckAnswersAsTheDetailedOne() {
        let values = ["2000", "3000", "1680", "00a0", "0085", "4e2d", "0020", "D83D", "20ac", "003A", "0030"]
        let pieces = Self.fragments + values.map { "\\u" + $0 } + values.map { "\\\\u" + $0 }
        let clear = ["a", "Hello there", " ", "\\u00e9", "\\u4e2d\\u6587", "\\ud83d\\ude00", "x"]
        var numbers = SeededNumbers(state: 1804)
        var cleared = 0
        for _ in 0..<20000 {
            var text = ""
            for _ in 0..<(1 + numbers.next(40)) {
                text += numbers.next(8) == 0 ? pieces[numbers.next(pieces.count)] : clear[numbers.next(clear.count)]
            }
            guard Self.isValid(text) else { continue }
            let content = Array(text.utf8)
            guard content.count >= 20 else { continue }
            content.withUnsafeBytes { content in
                guard !BlankText.needsTrim(content) else { return }
                if ScrubStage.escapeDoubts(content.baseAddress!, content.count) == 0 { cleared += 1 }
                for gates in Self.gateSets.map(ScrubStage.ASCIISet.init) {
                    #expect(
                        ScrubStage.escapesMatter(content, gates) == ScrubStage.escapesMatterInDetail(content, gates),
                        "\(text)")
                }
            }
        }
        #expect(cleared > 1000)
    }

    /// `json.dumps` messages (escaped non-ASCII text, an emoji or a CJK character at the end) are
    /// cleared by the quick check; one with an escaped blank, ASCII value or backslash at either
    /// end, or a `\u003a` inside, is not.
    @Test func quickCheckClearsTypicalMessages() {
        let cleared = [
            "Ok see you at the caf\\u00e9 tomorrow \\ud83d\\ude00", "Ni hao \\u4f60\\u597d\\uff0c\\u660e\\u5929\\u89c1",
            "Sounds good \\u1555( \\u141b )\\u1557 really", String(repeating: "word \\u00e9 ", count: 10) + "end",
        ]
        let unsure = [
            "\\u00a0 starts with a no-break space here", "ends with an ideographic space \\u3000",
            "ends with a no-break space here \\u00a0", "a colon \\u003a in the middle of the text",
            "ends with an escaped backslash \\\\", "\\ud83d\\ude00 starts with an emoji here",
            String(repeating: "x", count: 100) + "\\u003c" + String(repeating: "y", count: 20),
            String(repeating: "x", count: 150) + "\\u003a" + String(repeating: "y", count: 30),
        ]
        for (texts, expected) in [(cleared, false), (unsure, true)] {
            for text in texts {
                let content = Array(text.utf8)
                #expect(content.count >= 20, "\(text)")
                let answer = content.withUnsafeBytes { ScrubStage.escapeDoubts($0.baseAddress!, $0.count) != 0 }
                #expect(answer == expected, "\(text)")
            }
        }
    }
}
