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
}
