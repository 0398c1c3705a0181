import SOCTestSupport
import Testing

@testable import SOCCore

/// `markCandidates` against the definition of a candidate, message by message, on generated
/// records (raw and `\u`-escaped, parts of many sizes, a message that is no string; two and
/// four gate bytes): the same messages, in order, with the same gate bits. The other candidate
/// tests compare what is written, which a candidate too many does not change.
@Suite struct CandidateDefinitionTests {
    /// What `markCandidates` should find, from the definition: every string message that
    /// needs trimming, holds a gate byte other than a colon the gate passes over, or has
    /// escapes that matter; with the gate bytes it holds.
    static func expected(_ stage: ScrubStage, _ document: JSONDocument) -> [String] {
        let gate = stage.candidateGate
        let bytes = [gate.bytes.0, gate.bytes.1, gate.bytes.2, gate.bytes.3].prefix(gate.count)
        let bits = [gate.slotBits.0, gate.slotBits.1, gate.slotBits.2, gate.slotBits.3]
        var found: [String] = []
        for (p, array) in stage.messageArrays.enumerated() where document.kind(array.messages) == .array {
            for (m, element) in document.elements(array.messages).enumerated() where document.kind(element) == .string {
                let content = document.stringContent(element)
                var present = 0
                var needed = false
                for (k, byte) in content.enumerated() {
                    guard let slot = bytes.firstIndex(of: byte) else { continue }
                    present |= bits[slot]
                    let passed =
                        gate.passesColons && byte == UInt8(ascii: ":")
                        && gate.afterColon.contains(UInt32(k + 1 < content.count ? content[k + 1] : 0x22))
                    needed = needed || !passed
                }
                var wanted = gate.checksAll || needed || BlankText.needsTrim(content)
                if !wanted && document.hasEscapes(element) {
                    wanted = ScrubStage.escapesMatter(content, stage.gateBytes ?? [])
                }
                if wanted { found.append("\(element) \(p) \(m) \(gate.checksAll ? -1 : present)") }
            }
        }
        return found
    }

    @Test func candidatesMatchTheDefinition() throws {
        var numbers = SeededNumbers(state: 61)
        let pieces = [
            "plain words", "Elias: hi", "nice :)", "<image>x</image>", " padded ", "a:b", "x :/ y", "caf\u{e9}",
            "\u{1F600} end \u{1F600}", "tab\tin", "\\u003a escaped", ":", "<",
            "long " + String(repeating: "abc ", count: 30),
            "q: \u{1F600}", "end:", "Elias:**", "two\nlines: x",
        ]
        // The default gate (colons passed over) and one taking every colon.
        let stage = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        let every = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        every.candidateGate = ScrubStage.CandidateGate(every.gateBytes)
        #expect(stage.candidateGate.passesColons && !every.candidateGate.passesColons)
        // Four gate bytes (the bitmap's wider pass), colons taken.
        let wide = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        wide.gateBytes = Array(":<ae".utf8)
        wide.candidateGate = ScrubStage.CandidateGate(wide.gateBytes)
        #expect(wide.candidateGate.count == 4)
        var candidates = 0
        for round in 0..<120 {
            var parts: [String] = []
            for p in 0..<(1 + numbers.next(6)) {
                var messages: [String] = []
                for _ in 0..<numbers.next(12) {
                    let text = (0..<(1 + numbers.next(3))).map { _ in pieces[numbers.next(pieces.count)] }
                        .joined(separator: " ")
                    messages.append(JSONString.quoted(text))
                }
                if round % 7 == 0 && p == 0 { messages.append("{\"not\": [\"a string\"]}") }
                parts.append(#"{"sender": "s\#(p % 2)", "messages": [\#(messages.joined(separator: ", "))]}"#)
            }
            var record =
                #"{"chat_id": "c", \#(ScrubKeepingTests.personas), "chat_parts": [\#(parts.joined(separator: ", "))]}"#
            if round % 2 == 1 { record = ScrubKeepingTests.asciiEscaped(record) }
            for stage in [stage, every, wide] {
                try withDocument(record) { document in
                    _ = stage.process(document, at: RecordLocation(file: "t", line: 1))
                    stage.markCandidates(document)
                    let found = stage.candidates[0..<stage.candidateCount].map {
                        "\($0.element) \($0.part) \($0.message) \($0.gates.map(Int.init) ?? -1)"
                    }
                    #expect(found == Self.expected(stage, document), "\(record)")
                    candidates += found.count
                }
            }
        }
        #expect(candidates > 1000)
    }
}
