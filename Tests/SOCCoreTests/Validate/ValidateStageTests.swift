import Testing

@testable import SOCCore

@Suite struct ValidateStageTests {
    /// The verdict as the runner reaches it: `process`, then, for a kept record, its id claim
    /// confirmed in input order.
    func verdict(_ stage: ValidateStage, _ line: String, _ number: Int) -> (code: String, path: String)? {
        ValidateFixtures.withDocument(line) { document in
            guard let document else { return ("malformed_json", "-") }
            let location = RecordLocation(file: "corpus.jsonl", line: number)
            var verdict = stage.process(document, at: location)
            if case .keep(let claim?) = verdict { verdict = stage.confirm(claim, at: location) }
            switch verdict {
            case .keep: return ("ok", "-")
            case .reject(let diagnosis, _): return (diagnosis.code.rawValue, diagnosis.path ?? "-")
            default: return nil
            }
        }
    }

    @Test func everyCorpusRecordGetsItsCodeAndPath() throws {
        let stage = try ValidateStage(.init(personas: try PersonaBank(file: ValidateFixtures.personas)))
        let lines = try ValidateFixtures.lines()
        let expected = try ValidateFixtures.expectations()
        #expect(lines.count == expected.count)
        var codes = Set<String>()
        for (line, expectation) in zip(lines, expected) {
            let got = verdict(stage, line, expectation.line)
            #expect(got?.code == expectation.code, "line \(expectation.line)")
            #expect(got?.path == expectation.path, "line \(expectation.line)")
            codes.insert(expectation.code)
        }
        // One record per check code (the corpus must not lose one).
        for (code, _) in ValidateReasons.checks { #expect(codes.contains(code.rawValue), "corpus has no \(code)") }
    }

    /// A repeated key in an object the schema's closed `properties` covers is still found: the
    /// schema pass proves only objects whose keys all name different properties.
    @Test func repeatedKeysInSchemaCoveredObjectsAreFound() throws {
        let stage = try ValidateStage(.init())
        let valid = try ValidateFixtures.lines()[0]
        #expect(verdict(stage, valid, 1)?.code == "ok")
        let sender = #""sender": "#
        let part = try #require(valid.range(of: sender))
        let senderValue = valid[part.upperBound...].prefix(34)
        let twice = valid.replacingCharacters(in: part, with: sender + senderValue + ", " + sender)
        #expect(verdict(stage, twice, 2).map { "\($0.code) \($0.path)" } == "duplicate_key $.chat_parts[0].sender")
        let topic = valid.replacingOccurrences(of: #""topic": "#, with: #""topic": "a", "topic": "#)
        #expect(verdict(stage, topic, 3).map { "\($0.code) \($0.path)" } == "duplicate_key $.experience.topic")
    }

    @Test func skippedCodesLetTheRecordThrough() throws {
        let stage = try ValidateStage(.init(skip: [.badTag, .earlyEnd]))
        let lines = try ValidateFixtures.lines()
        #expect(verdict(stage, lines[9], 10)?.code == "ok")
        #expect(verdict(stage, lines[11], 12)?.code == "ok")
        #expect(verdict(stage, lines[10], 11)?.code == "unbalanced_tag")
    }

    @Test func rejectedRecordsDoNotTakeTheirID() throws {
        let stage = try ValidateStage(.init())
        let lines = try ValidateFixtures.lines()
        // Line 13 is a broken copy of chat 10; line 14 the good one; line 15 a true duplicate.
        #expect(verdict(stage, lines[12], 13)?.code == "schema_required")
        #expect(verdict(stage, lines[13], 14)?.code == "ok")
        #expect(verdict(stage, lines[14], 15)?.code == "duplicate_id")
    }

    @Test func aRejectionCarriesTheOtherProblems() throws {
        let stage = try ValidateStage(.init())
        let line = #"{"chat_id": "x", "chat_parts": [{"sender": "y", "messages": ["", "<b>"]}]}"#
        let others: [Diagnosis] = ValidateFixtures.withDocument(line) { document in
            guard let document,
                case .reject(_, let also) = stage.process(document, at: RecordLocation(file: "-", line: 1))
            else { return [] }
            return also
        }
        let codes = others.map(\.code.rawValue)
        #expect(codes.contains("schema_required"))
        #expect(codes.contains("too_few_turns"))
        #expect(codes.contains("empty_message"))
        #expect(codes.contains("bad_tag"))
    }

    /// One blank definition (Records/BlankText): White_Space and default-ignorable characters.
    @Test func aMessageOfInvisibleCharactersIsEmpty() throws {
        let stage = try ValidateStage(.init(skip: [.tooFewTurns]))
        for text in [#"\u00a0"#, #"\u200b"#, #" \u2060\ufeff "#, #"\u3000\u00ad"#] {
            let line = #"{"chat_id": "x", "chat_parts": [{"sender": "y", "messages": ["\#(text)"]}]}"#
            let codes: [String] = ValidateFixtures.withDocument(line) { document in
                guard let document,
                    case .reject(let first, let also) = stage.process(document, at: RecordLocation(file: "-", line: 1))
                else { return [] }
                return ([first] + also).map(\.code.rawValue)
            }
            #expect(codes.contains("empty_message"), "\(text)")
        }
        for text in [#"a\u200b"#, #"\u00e9"#, #"\u2764\ufe0f"#] {
            let line = #"{"chat_id": "x", "chat_parts": [{"sender": "y", "messages": ["\#(text)"]}]}"#
            let codes: [String] = ValidateFixtures.withDocument(line) { document in
                guard let document,
                    case .reject(let first, let also) = stage.process(document, at: RecordLocation(file: "-", line: 1))
                else { return [] }
                return ([first] + also).map(\.code.rawValue)
            }
            #expect(!codes.contains("empty_message"), "\(text)")
        }
    }

    /// An escaped message is unescaped only when its raw bytes leave room for a problem; tags
    /// written as escapes and blanks behind an escape are still found.
    @Test func escapedMessagesAreInspectedWhenTheirEscapesMayHideAProblem() throws {
        let stage = try ValidateStage(.init(skip: [.tooFewTurns]))
        func codes(_ text: String) -> [String] {
            let line = #"{"chat_id": "x", "chat_parts": [{"sender": "y", "messages": ["\#(text)", "last"]}]}"#
            return ValidateFixtures.withDocument(line) { document in
                guard let document,
                    case .reject(let first, let also) = stage.process(document, at: RecordLocation(file: "-", line: 1))
                else { return [] }
                return ([first] + also).map(\.code.rawValue)
            }
        }
        for text in [#"ok \u003cend/>"#, #"ok \u003Cend/>"#, #"ok <end/> \u00e9"#, #"\u003cend/>"#, #"\u00e9 <end/>"#] {
            #expect(codes(text).contains("early_end"), "\(text)")
        }
        for text in [#"\u00a0"#, #" \u00a0"#] {
            #expect(codes(text).contains("empty_message"), "\(text)")
        }
        #expect(codes(#"x \u003cb> y"#).contains("bad_tag"))
        for text in [#"caf\u00e9 \\u003cend/>"#, #"a\u00a0"#, #"x \u0031 y"#, #"x\n"#] {
            #expect(!codes(text).contains("early_end") && !codes(text).contains("empty_message"), "\(text)")
        }
    }

    @Test func kindCanBeForcedAndCustomSchemasTakeAnyValue() throws {
        let forced = try ValidateStage(.init(kind: .spb))
        #expect(verdict(forced, #"{"foo": 1}"#, 1)?.code == "schema_required")
        let schema = try JSONSchema(text: #"{"type": "array", "items": {"type": "integer"}}"#)
        let custom = try ValidateStage(.init(schema: schema))
        #expect(verdict(custom, "[1, 2, 3]", 1)?.code == "ok")
        #expect(verdict(custom, #"[1, "2"]"#, 2)?.path == "$[1]")
        let anything = try ValidateStage(.init(schema: try JSONSchema(text: "true")))
        #expect(verdict(anything, "\"just a string\"", 1)?.code == "ok")
    }

    @Test func schemaCodesAreSnakeCase() {
        #expect(ReasonCode.schema("additionalProperties").rawValue == "schema_additional_properties")
        #expect(ReasonCode.schema("$ref").rawValue == "schema_ref")
        #expect(ReasonCode.schema("type").rawValue == "schema_type")
    }
}
