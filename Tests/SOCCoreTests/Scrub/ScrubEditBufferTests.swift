import Testing

@testable import SOCCore

/// The stage reuses one edit buffer across changed chats (`ScrubStage.editBuffer`): records run
/// through one stage give the same lines as each through a stage of its own, whether every
/// verdict is dropped before the next record (the runner) or all are still held at the end.
@Suite struct ScrubEditBufferTests {
    static let personas =
        #""experience": {"persona1": {"name": "Elias Vance", "username": "quantum_scribe", "id": "a1"}, "persona2": {"name": "Luna Reyes", "username": null, "id": "b2"}}"#

    static func chat(_ parts: String) -> String {
        #"{"chat_id": "a1_b2_1", \#(personas), "chat_parts": \#(parts), "model": "m"}"#
    }

    /// Short and long changed chats in turn (the buffer grows and is reused smaller), an
    /// unchanged one, a split, a dropped part and an emptied chat between them.
    static let lines: [String] = [
        chat(#"[{"sender": "a1", "messages": ["Elias: hi", "fine"]}, {"sender": "b2", "messages": ["Luna: ok"]}]"#),
        chat(
            #"[{"sender": "a1", "messages": ["Elias: "# + String(repeating: "long text ", count: 300)
                + #""]}, {"sender": "b2", "messages": ["Luna: yes"]}]"#),
        chat(#"[{"sender": "a1", "messages": ["untouched"]}, {"sender": "b2", "messages": ["also"]}]"#),
        chat(
            #"[{"sender": "a1", "messages": ["x", "hey <audio>hum</audio> anyway"]}, {"sender": "b2", "messages": ["y"]}]"#
        ),
        chat(
            #"[{"sender": "a1", "messages": ["hi"]}, {"sender": "b2", "messages": ["Elias Vance:"]}, {"sender": "a1", "messages": ["Luna: bye"]}, {"sender": "b2", "messages": ["ok"]}]"#
        ),
        chat(#"[{"sender": "a1", "messages": ["Luna:"]}, {"sender": "b2", "messages": ["Elias:"]}]"#),
        chat(#"[{"sender": "a1", "messages": ["Elias: a"]}, {"sender": "b2", "messages": ["Luna: b"]}]"#),
    ]

    /// What `stage` makes of `line`: the new line, "keep", or the rejection's code; with
    /// `held`, the verdict's edits are kept alive (appended) and applied only at the end.
    static func run(_ stage: ScrubStage, _ line: String, held: inout [(String, [JSONEdit])]) throws -> String {
        try withDocument(line) { document in
            switch stage.process(document, at: RecordLocation(file: "t", line: 1)) {
            case .keep: return "keep"
            case .edit(let edits):
                held.append((line, edits))
                return String(decoding: JSONEdit.apply(edits, to: document.bytes), as: UTF8.self)
            case .reject(let diagnosis, _): return "reject \(diagnosis.code)"
            default: return "other"
            }
        }
    }

    @Test func oneStageGivesWhatAStageARecordGives() throws {
        let engine = try ScrubEngine(RuleSet.defaults())
        var ignored: [(String, [JSONEdit])] = []
        var expected: [String] = []
        for line in Self.lines { expected.append(try Self.run(ScrubStage(engine: engine), line, held: &ignored)) }
        #expect(expected[0] != "keep" && expected[1] != "keep" && expected[2] == "keep")

        // Each verdict dropped before the next record: the buffer is written in place.
        let stage = ScrubStage(engine: engine)
        for _ in 0..<2 {
            for (k, line) in Self.lines.enumerated() {
                var dropped: [(String, [JSONEdit])] = []
                #expect(try Self.run(stage, line, held: &dropped) == expected[k])
            }
        }

        // Every verdict held: later records must not write over earlier edits.
        var held: [(String, [JSONEdit])] = []
        var got: [String] = []
        for line in Self.lines { got.append(try Self.run(stage, line, held: &held)) }
        #expect(got == expected)
        var applied: [String] = []
        for (line, edits) in held {
            applied.append(
                try withDocument(line) { String(decoding: JSONEdit.apply(edits, to: $0.bytes), as: UTF8.self) })
        }
        #expect(applied == expected.filter { $0 != "keep" && !$0.hasPrefix("reject") })
    }
}
