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
            case .edit(let edits):
                return .success(String(decoding: JSONEdit.apply(edits, to: document.bytes), as: UTF8.self))
            case .reject(let diagnosis, _): return .failure(diagnosis)
            default:
                Issue.record("unexpected verdict")
                return .success(nil)
            }
        }
    }

    static let personas =
        #""experience": {"persona1": {"name": "Elias Vance", "username": "quantum_scribe", "id": "a1"}, "persona2": {"name": "Luna Reyes", "username": null, "id": "b2"}}"#

    func chat(_ parts: String, compact: Bool = false) -> String {
        #"{"chat_id": "a1_b2_1", \#(Self.personas), "chat_parts": \#(parts), "model": "m", "n": 1.50}"#
    }

    @Test func untouchedRecordsAreKept() throws {
        #expect(try run(chat(#"[{"sender": "a1", "messages": ["Thanks Luna!", "meet at 10:30"]}]"#)).get() == nil)
    }

    /// A blank message (White_Space and default-ignorables only) is dropped, as soc-validate
    /// rejects it; a trailing variation selector is not trimmed off its emoji.
    @Test func blankMessagesAreDroppedByTheSharedDefinition() throws {
        let input = chat(
            #"[{"sender": "a1", "messages": ["hi", "\u00a0", "\u200b\u2060", "\ufeff"]}, {"sender": "b2", "messages": ["ok \u2764\ufe0f"]}]"#
        )
        #expect(
            try run(input).get()
                == chat(#"[{"sender": "a1", "messages": ["hi"]}, {"sender": "b2", "messages": ["ok \u2764\ufe0f"]}]"#))
    }

    @Test func aChangedStringIsSplicedInPlace() throws {
        let input = chat(
            #"[{"sender": "a1", "messages": ["Elias: hi", "fine"]}, {"sender": "b2", "messages": ["ok\nLUNA: \"quoted\"\tend"]}]"#
        )
        let expected = chat(
            #"[{"sender": "a1", "messages": ["hi", "fine"]}, {"sender": "b2", "messages": ["ok\n\"quoted\"\tend"]}]"#)
        #expect(try run(input).get() == expected)
    }

    @Test func splitMessagesRebuildTheArrayWithItsSeparator() throws {
        let input = chat(#"[{"sender": "a1", "messages": ["x", "hey <audio>hum</audio> anyway", "y"]}]"#)
        #expect(
            try run(input).get()
                == chat(#"[{"sender": "a1", "messages": ["x", "hey", "<audio>hum</audio>", "anyway", "y"]}]"#))
        let compact = #"{"chat_id":"c","chat_parts":[{"sender":"a","messages":["look <image>sun</image> wow"]}]}"#
        #expect(
            try run(compact).get()
                == #"{"chat_id":"c","chat_parts":[{"sender":"a","messages":["look","<image>sun</image> wow"]}]}"#)
    }

    @Test func emptiedMessagesAndPartsAreDroppedAndTheirNeighboursMerged() throws {
        let input = chat(
            #"[{"sender": "a1", "messages": ["hi", "Luna:"]}, {"sender": "b2", "messages": ["Elias Vance:", "  "]}, {"sender": "a1", "messages": ["Luna Reyes: bye", "x"], "extra": 1}, {"sender": "b2", "messages": ["ok"]}]"#
        )
        // The earlier part object stays; the later one's messages are appended to it.
        #expect(
            try run(input).get()
                == chat(#"[{"sender": "a1", "messages": ["hi", "bye", "x"]}, {"sender": "b2", "messages": ["ok"]}]"#))
        // Two dropped parts in a row, and untouched parts on both sides.
        let two = chat(
            #"[{"sender": "a1", "messages": ["one"]}, {"sender": "b2", "messages": ["Luna:"]}, {"sender": "a1", "messages": ["Elias:"]}, {"sender": "b2", "messages": ["two"]}, {"sender": "a1", "messages": ["three"]}]"#
        )
        #expect(
            try run(two).get()
                == chat(
                    #"[{"sender": "a1", "messages": ["one"]}, {"sender": "b2", "messages": ["two"]}, {"sender": "a1", "messages": ["three"]}]"#
                ))
    }

    @Test func partsAdjacentInTheInputAreLeftAlone() throws {
        let input = chat(
            #"[{"sender": "a1", "messages": ["one"]}, {"sender": "a1", "messages": ["Elias: two"]}, {"sender": "b2", "messages": ["three"]}]"#
        )
        #expect(
            try run(input).get()
                == chat(
                    #"[{"sender": "a1", "messages": ["one"]}, {"sender": "a1", "messages": ["two"]}, {"sender": "b2", "messages": ["three"]}]"#
                ))
    }

    @Test func aChatLeftWithFewerThanTwoPartsIsRejected() throws {
        let merged = chat(
            #"[{"sender": "a1", "messages": ["hi"]}, {"sender": "b2", "messages": ["Luna:"]}, {"sender": "a1", "messages": ["bye"]}]"#
        )
        let outcome = try run(merged)
        guard case .failure(let diagnosis) = outcome else {
            Issue.record("kept: \(outcome)")
            return
        }
        #expect(diagnosis.code == .emptiedByScrub)
        #expect(diagnosis.path == "$.chat_parts")
        let empty = chat(#"[{"sender": "a1", "messages": ["Elias:"]}, {"sender": "b2", "messages": ["  "]}]"#)
        guard case .failure(let second) = try run(empty) else {
            Issue.record("kept")
            return
        }
        #expect(second.code == .emptiedByScrub)
        // A chat that had one part to begin with is not scrub's to reject.
        #expect(
            try run(chat(#"[{"sender": "a1", "messages": ["Elias: hi"]}]"#)).get()
                == chat(#"[{"sender": "a1", "messages": ["hi"]}]"#))
    }

    @Test func loneSurrogateEscapesStayInEditedMessages() throws {
        let input = chat(
            #"[{"sender": "a1", "messages": ["Elias: a \ud800 b \uDC00\u00e9 \ud83d\ude00", "x \udbff <audio>y</audio> z"]}]"#
        )
        let expected = chat(
            #"[{"sender": "a1", "messages": ["a \ud800 b \uDC00\u00e9 \ud83d\ude00", "x \udbff", "<audio>y</audio>", "z"]}]"#
        )
        #expect(try run(input).get() == expected)
        // In a raw UTF-8 record the other escapes are written as UTF-8 (same code points).
        let raw =
            #"{"chat_id": "c", "experience": {"persona1": {"name": "Zoë"}}, "chat_parts": [{"sender": "a", "messages": ["ZOË: \ud800 \u00e9 \ud83d\ude00 \n"]}]}"#
        #expect(
            try run(raw).get()
                == #"{"chat_id": "c", "experience": {"persona1": {"name": "Zoë"}}, "chat_parts": [{"sender": "a", "messages": ["\ud800 é 😀"]}]}"#
        )
    }

    @Test func loneSurrogatesThatAnEditWouldPairUpStay() throws {
        // Removing the text between a lone high and a lone low surrogate would make them one
        // character when read back: that message is left as it was, the others are edited.
        var set = RuleSet()
        try set.add(name: "x.rules", source: "x.rules", text: "[x]\npattern: X\n")
        let stage = ScrubStage(engine: try ScrubEngine(set))
        let line = #"{"chat_parts": [{"sender": "a", "messages": ["\ud83dX\ude00", "aXb \ud83d"]}]}"#
        let out = try withDocument(line) { document -> String in
            guard case .edit(let edits) = stage.process(document, at: RecordLocation(file: "t", line: 1)) else {
                return ""
            }
            return String(decoding: JSONEdit.apply(edits, to: document.bytes), as: UTF8.self)
        }
        #expect(out == #"{"chat_parts": [{"sender": "a", "messages": ["\ud83dX\ude00", "ab \ud83d"]}]}"#)
    }

    @Test func aRuleThatCannotFinishRejectsTheRecord() throws {
        var set = try RuleSet.defaults()
        try set.add(name: "evil.rules", source: "evil.rules", text: "[evil]\npattern: (x+x+)+y\n")
        let stage = ScrubStage(engine: try ScrubEngine(set))
        let line = chat(#"[{"sender": "a1", "messages": ["fine", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx!y"]}]"#)
        let verdict = try withDocument(line) { stage.process($0, at: RecordLocation(file: "t", line: 1)) }
        guard case .reject(let diagnosis, _) = verdict else {
            Issue.record("not rejected: \(verdict)")
            return
        }
        #expect(diagnosis.code == .regexLimit)
        #expect(diagnosis.path == "$.chat_parts[0].messages[1]")
        #expect(diagnosis.message.contains("rule 'evil'") && diagnosis.message.contains("match limit"))
        #expect(stage.changes.isEmpty)
    }

    @Test func asciiOnlyRecordsKeepEscapingNonASCII() throws {
        let input =
            #"{"chat_id": "c", "experience": {"persona1": {"name": "Zo\u00eb Walsh", "username": null}}, "chat_parts": [{"sender": "a", "messages": ["ZO\u00cb: caf\u00e9 \ud83d\ude00"]}]}"#
        #expect(
            try run(input).get()
                == #"{"chat_id": "c", "experience": {"persona1": {"name": "Zo\u00eb Walsh", "username": null}}, "chat_parts": [{"sender": "a", "messages": ["caf\u00e9 \ud83d\ude00"]}]}"#
        )
        let utf8 =
            #"{"chat_id": "c", "experience": {"persona1": {"name": "Zoë Walsh"}}, "chat_parts": [{"sender": "a", "messages": ["ZOË: café"]}]}"#
        #expect(
            try run(utf8).get()
                == #"{"chat_id": "c", "experience": {"persona1": {"name": "Zoë Walsh"}}, "chat_parts": [{"sender": "a", "messages": ["café"]}]}"#
        )
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
        _ = try withDocument(
            chat(
                #"[{"sender": "a1", "messages": ["Luna:", "a<gif>g</gif>x", "<gif>alone</gif> with caption", "  ok"]}]"#
            )
        ) {
            stage.process($0, at: RecordLocation(file: "t", line: 1))
        }
        #expect(stage.changes == ["speaker-label": 1, "drop-empty-message": 1, "tag-media-caption": 1, "trim": 1])
        #expect(stage.droppedMessages == 1)
        let extras = Dictionary(uniqueKeysWithValues: stage.reportExtras)
        #expect(extras["dropped_messages"] == .number(JSONNumber(1)))
        #expect(extras["changes"]?["speaker-label"] == .number(JSONNumber(1)))
    }
}
