import Testing

@testable import SOCCore

/// The tokenizer's 32-lane step (`appendTokens`): it ends at the first separator that follows a
/// separator past its lane 0 and skips it, and at a stop. Runs of separators and stops at every
/// lane of a step (both of its 16-lane halves), in a string with and without readable bytes past
/// it, escaped and not, against the definition.
@Suite struct ShinglerStepTests {
    static let filler = Array("Ab cd ef9 gh ij kl mn op qr st uv wx yz 01 23 45 67 89 AB CD EF GH".utf8)
    static let runs = [" ", "  ", ". ", "...", " - ", ", ", ";\t", "!! ", "..... ", "é", " é ", "😀 ", ". 😀"]

    @Test func separatorRunsAtEveryLaneFollowTheDefinition() {
        for run in Self.runs {
            var quotedRun: [UInt8] = []
            JSONString.appendQuoted(run, asciiOnly: true, to: &quotedRun)
            for lead in 0..<70 {
                for tail in [0, 1, 5, 16, 31, 32, 33, 40] {
                    let before = (0..<lead).map { Self.filler[$0 % Self.filler.count] }
                    let after = (0..<tail).map { Self.filler[($0 + 3) % Self.filler.count] }
                    let text = String(decoding: before + Array(run.utf8) + after, as: UTF8.self)
                    let expected = Array(ShinglerTests.referenceNormalized(text).utf8)
                    let plain = Shingler(ngram: 3)
                    plain.append(text)
                    #expect(plain.normalized == expected, "\(text)")
                    // As a JSON string's content, its closing quote and the rest of a line after it.
                    let escapedContent = before + quotedRun.dropFirst().dropLast() + after
                    for (content, escaped) in [(Array(text.utf8), false), (escapedContent, true)] {
                        let line = content + Array("\"]}, {\"sender\": \"x\", \"messages\": [\"word\"]}]}".utf8)
                        let readable = Shingler(ngram: 3)
                        readable.append(first: content.count, of: line, escaped: escaped)
                        #expect(readable.normalized == expected, "\(text) escaped: \(escaped)")
                    }
                }
            }
        }
    }

    /// Strings joined as `Fingerprinter` gives a part's messages (`", "` between them): a run of
    /// separators across the boundary, at every lane.
    @Test func runsAcrossJoinedStringsFollowTheDefinition() {
        for run in ["", ".", ". ", "...", " -"] {
            for lead in 0..<40 {
                let first = String(decoding: (0..<lead).map { Self.filler[$0 % Self.filler.count] }, as: UTF8.self)
                let second = run + "Next words here and more words to fill a whole step of lanes"
                let content = Array((first + run + "\", \"" + second).utf8)
                let line = content + Array("\"]}".utf8)
                let joined = Shingler(ngram: 3)
                joined.append(first: content.count, of: line, escaped: false)
                let expected = ShinglerTests.referenceNormalized(first + run + " " + second)
                #expect(joined.normalized == Array(expected.utf8), "\(first + run) | \(second)")
            }
        }
    }
}
