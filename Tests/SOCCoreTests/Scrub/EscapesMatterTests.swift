import Testing

@testable import SOCCore

/// `ScrubStage.escapesMatter` lets `markCandidates` skip an escaped message without decoding
/// it: when it says false, the decoded text must hold no gate byte and need no trimming (nor
/// be blank), for every mix of escapes `json.dumps` and hand-written JSON give (surrogate
/// pairs, lone surrogates, Unicode blanks and default-ignorables, escaped backslashes before
/// `u00..` text, gate bytes written as `\u00XX`).
@Suite struct EscapesMatterTests {
    static let fragments = [
        "a", "Hello", " ", "\\u00e9", "\\u00a0", "\\u200b", "\\u3000", "\\ud83d\\ude00", "\\ud800", "\\udc00",
        "\\u003a", "\\u003C", "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\\\u00a0", "é", "\u{200B}", "\u{3000}",
        "\\u0041", "\\udb40\\udc7f", "\\u2028", "\\u4e2d", "\\u0020", "\\\\u0020", "x\\\\", "\\u00ad",
    ]

    func check(_ raw: String, gates: [UInt8]) {
        let content = Array(raw.utf8)
        content.withUnsafeBytes { content in
            // markCandidates asks only about strings whose raw bytes show no gate and need no trim.
            guard !content.contains(where: { gates.contains($0) }), !BlankText.needsTrim(content),
                !ScrubStage.escapesMatter(content, gates)
            else { return }
            let decoded = UnsafeMutableRawBufferPointer.allocate(byteCount: content.count + 1, alignment: 1)
            defer { decoded.deallocate() }
            guard let (count, _) = EscapedText.decode(content, into: decoded.baseAddress) else { return }
            let text = UnsafeRawBufferPointer(rebasing: decoded[0..<count])
            #expect(!text.contains(where: { gates.contains($0) }), "\(raw)")
            #expect(!BlankText.needsTrim(text), "\(raw)")
        }
    }

    @Test func skippedMessagesNeedNoScrubbing() {
        let all = Self.fragments
        for gates in [[UInt8(ascii: ":"), UInt8(ascii: "<")], [UInt8(ascii: "A")], [UInt8(ascii: "\"")]] {
            for a in all {
                check(a, gates: gates)
                for b in all {
                    check(a + b, gates: gates)
                    for c in all { check(a + b + c, gates: gates) }
                }
            }
        }
    }

    /// `markCandidates` passes `shortEscapesGate(gates)`, worked out once per record: the same
    /// answers as working it out per call.
    @Test func byEscapeGivenOnceAnswersTheSame() {
        let all = Self.fragments
        for gates in [[UInt8(ascii: ":"), UInt8(ascii: "<")], [UInt8(ascii: "A")], [UInt8(ascii: "\"")], []] {
            let byEscape = ScrubStage.shortEscapesGate(gates)
            for a in all {
                for b in all {
                    let content = Array((a + b).utf8)
                    content.withUnsafeBytes { content in
                        #expect(
                            ScrubStage.escapesMatter(content, gates, byEscape: byEscape)
                                == ScrubStage.escapesMatter(content, gates), "\(a + b)")
                    }
                }
            }
        }
    }

    /// Messages ending with an emoji in `json.dumps` style are skipped (the point of the check).
    @Test func emojiAtTheEndIsSkipped() {
        let content = Array("see you \\ud83d\\ude00".utf8)
        #expect(!content.withUnsafeBytes { ScrubStage.escapesMatter($0, [UInt8(ascii: ":"), UInt8(ascii: "<")]) })
    }

    /// So are messages starting with one: a surrogate pair first is one supplementary
    /// character, told by its value; a default-ignorable one (a tag character) may start a
    /// blank text, and keeps its message a candidate.
    @Test func emojiAtTheStartIsSkipped() {
        let gates = [UInt8(ascii: ":"), UInt8(ascii: "<")]
        let emoji = Array("\\ud83d\\ude00 see you".utf8)
        #expect(!emoji.withUnsafeBytes { ScrubStage.escapesMatter($0, gates) })
        let tag = Array("\\udb40\\udc7f see you".utf8)
        #expect(tag.withUnsafeBytes { ScrubStage.escapesMatter($0, gates) })
        let lone = Array("\\ud83d see you".utf8)
        #expect(lone.withUnsafeBytes { ScrubStage.escapesMatter($0, gates) })
    }

    /// A blank message whose raw ends are default-ignorable and whose middle is an escaped blank
    /// is a candidate (it is dropped; the escape-by-escape check missed it, the ends being raw).
    @Test func blankBetweenRawIgnorablesIsACandidate() {
        let content = Array("\u{200B}\\u00a0\u{200B}".utf8)
        #expect(content.withUnsafeBytes { ScrubStage.escapesMatter($0, [UInt8(ascii: ":"), UInt8(ascii: "<")]) })
    }
}
