import Testing
@testable import SOCCore

/// Whole records through the stage: unchanged records are kept byte for byte, changed ones
/// differ only in the changed strings or rebuilt arrays, in the record's own style.
@Suite struct ScrubStageTests {
    /// The line the stage writes for `line` (nil when it keeps it as is), or the rejection.
    func run(_ line: String) throws -> Result<String?, Diagnosis> {
        let stage = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        return try withDocument(line) { document in
            switch stage.process(document, at: RecordLocation(file: "t", line: 1)) {
            case .keep: return .success(nil)
            case .edit(let edits): return .success(String(decoding: JSONEdit.apply(edits, to: document.bytes), as: UTF8.self))
            case .reject(let diagnosis, _): return .failure(diagnosis)
            default: Issue.record("unexpected verdict"); return .success(nil)
            }
        }
    }

    static let personas = #""experience": {"persona1": {"name": "Elias Vance", "username": "quantum_scribe", "id": "a1"}, "persona2": {"name": "Luna Reyes", "username": null, "id": "b2"}}"#

    func chat(_ parts: String, compact: Bool = false) -> String {
        #"{"chat_id": "a1_b2_1", \#(Self.personas), "chat_parts": \#(parts), "model": "m", "n": 1.50}"#
    }

    @Test func untouchedRecordsAreKept() throws {
        #expect(try run(chat(#"[{"sender": "a1", "messages": ["Thanks Luna!", "meet at 10:30"]}]"#)).get() == nil)
    }

    @Test func aChangedStringIsSplicedInPlace() throws {
        let input = chat(#"[{"sender": "a1", "messages": ["Elias: hi", "fine"]}, {"sender": "b2", "messages": ["ok\nLUNA: \"quoted\"\tend"]}]"#)
        let expected = chat(#"[{"sender": "a1", "messages": ["hi", "fine"]}, {"sender": "b2", "messages": ["ok\n\"quoted\"\tend"]}]"#)
        #expect(try run(input).get() == expected)
    }

    @Test func splitMessagesRebuildTheArrayWithItsSeparator() throws {
        let input = chat(#"[{"sender": "a1", "messages": ["x", "hey <audio>hum</audio> anyway", "y"]}]"#)
        #expect(try run(input).get() == chat(#"[{"sender": "a1", "messages": ["x", "hey", "<audio>hum</audio>", "anyway", "y"]}]"#))
        let compact = #"{"chat_id":"c","chat_parts":[{"sender":"a","messages":["look <image>sun</image> wow"]}]}"#
        #expect(try run(compact).get() == #"{"chat_id":"c","chat_parts":[{"sender":"a","messages":["look","<image>sun</image> wow"]}]}"#)
    }

    @Test func emptiedMessagesAndPartsAreDropped() throws {
        let input = chat(#"[{"sender": "a1", "messages": ["hi", "Luna:"]}, {"sender": "b2", "messages": ["Elias Vance:", "  "]}, {"sender": "a1", "messages": ["Luna Reyes: bye"]}]"#)
        #expect(try run(input).get() == chat(#"[{"sender": "a1", "messages": ["hi"]}, {"sender": "a1", "messages": ["bye"]}]"#))
    }

    @Test func asciiOnlyRecordsKeepEscapingNonASCII() throws {
        let input = #"{"chat_id": "c", "experience": {"persona1": {"name": "Zo\u00eb Walsh", "username": null}}, "chat_parts": [{"sender": "a", "messages": ["ZO\u00cb: caf\u00e9 \ud83d\ude00"]}]}"#
        #expect(try run(input).get() == #"{"chat_id": "c", "experience": {"persona1": {"name": "Zo\u00eb Walsh", "username": null}}, "chat_parts": [{"sender": "a", "messages": ["caf\u00e9 \ud83d\ude00"]}]}"#)
        let utf8 = #"{"chat_id": "c", "experience": {"persona1": {"name": "Zoë Walsh"}}, "chat_parts": [{"sender": "a", "messages": ["ZOË: café"]}]}"#
        #expect(try run(utf8).get() == #"{"chat_id": "c", "experience": {"persona1": {"name": "Zoë Walsh"}}, "chat_parts": [{"sender": "a", "messages": ["café"]}]}"#)
    }

    @Test func personaRecordsLoseLeakedHandles() throws {
        let input = #"{"name": "Brenda Miller (@BrendaM_Law)", "username": "BrendaM_Law", "age": 41, "id": "x"}"#
        #expect(try run(input).get() == #"{"name": "Brenda Miller", "username": "BrendaM_Law", "age": 41, "id": "x"}"#)
        #expect(try run(#"{"name": "quantum_scribe", "username": "quantum_scribe"}"#).get() == nil)
    }

    @Test func otherRecordsAreRejected() throws {
        #expect(throws: Diagnosis.self) { try run("[1, 2]").get() }
        #expect(throws: Diagnosis.self) { try run(#"{"chat_parts": [{"sender": "a"}]}"#).get() }
        #expect(throws: Diagnosis.self) { try run(#"{"id": "no name"}"#).get() }
    }

    @Test func countsAndAuditFields() throws {
        let stage = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        _ = try withDocument(chat(#"[{"sender": "a1", "messages": ["Luna:", "a<gif>g</gif>x", "<gif>alone</gif> with caption", "  ok"]}]"#)) {
            stage.process($0, at: RecordLocation(file: "t", line: 1))
        }
        #expect(stage.changes == ["speaker-label": 1, "drop-empty-message": 1, "tag-media-caption": 1, "trim": 1])
        #expect(stage.droppedMessages == 1)
        let extras = Dictionary(uniqueKeysWithValues: stage.reportExtras)
        #expect(extras["dropped_messages"] == .number(JSONNumber(1)))
        #expect(extras["changes"]?["speaker-label"] == .number(JSONNumber(1)))
    }
}
