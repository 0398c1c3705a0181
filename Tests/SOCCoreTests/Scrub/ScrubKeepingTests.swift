import Testing

@testable import SOCCore

/// `TextScrubber.scrubKeeping` (a message left as a part of itself is written from the
/// record's bytes, not copied and escaped) against the general path (`scrub`, which the stage
/// takes when changes keep their texts): the same records written and the same counts.
@Suite struct ScrubKeepingTests {
    static let personas =
        #""experience": {"persona1": {"name": "Elias Vance", "username": "quantum_scribe", "id": "a1"}, "persona2": {"name": "Ilgın Şahin", "username": "owl_9", "id": "b2"}}"#

    static let messages = [
        #""Elias: hi""#, #""Elias Vance:   spaced out   ""#, #""Elias:""#, #""Elias:   ""#, #""  padded  ""#,
        #""plain""#, #""ILGIN ŞAHIN: merhaba""#, #""**Elias**: bold""#, #""[quantum_scribe]: tagged""#,
        #""@owl_9: handle""#, #""Elias: <image>sun</image> look""#, #""Elias: hey <audio>hum</audio> anyway""#,
        #""Elias: one\nIlgın: two""#, #""Elias: caf\u00e9""#, #""Elias: café ☕""#, #""Ilgın: çay""#,
        #""Elias:\u00a0nbsp""#, #""Elias: end\u00a0""#, #""Hi Elias: no label""#, #""Elias:D""#,
        #""Elias Vance : x ""#, #""\t""#, #""Elias: <end/> then <image>x</image>""#,
    ]

    /// Records of two parts, each message in several places, in raw and `\u`-escaped styles.
    static var records: [String] {
        var records: [String] = []
        for (k, message) in messages.enumerated() {
            let other = messages[(k * 5 + 2) % messages.count]
            let parts =
                #"[{"sender": "a1", "messages": [\#(message), "fine", \#(other)]}, {"sender": "b2", "messages": [\#(other), \#(message)]}]"#
            records.append(#"{"chat_id": "c\#(k)", \#(personas), "chat_parts": \#(parts)}"#)
            // Only this message in its part: emptying it drops the part.
            let alone =
                #"[{"sender": "a1", "messages": ["x"]}, {"sender": "b2", "messages": [\#(message)]}, {"sender": "a1", "messages": ["y"]}]"#
            records.append(#"{"chat_id": "d\#(k)", \#(personas), "chat_parts": \#(alone)}"#)
            // An `ensure_ascii` record: no raw non-ASCII anywhere.
            let escaped = Self.asciiEscaped(records[records.count - 2])
            records.append(escaped)
        }
        return records
    }

    /// `text` with every non-ASCII scalar written as `\u` escapes (JSON text stays JSON text).
    static func asciiEscaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            guard scalar.value >= 0x80 else {
                out.unicodeScalars.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out
    }

    /// The line `stage` writes for `line` (nil when kept), or the rejection's code.
    func run(_ stage: ScrubStage, _ line: String) throws -> String {
        try withDocument(line) { document in
            switch stage.process(document, at: RecordLocation(file: "t", line: 1)) {
            case .keep: return "keep"
            case .edit(let edits): return String(decoding: JSONEdit.apply(edits, to: document.bytes), as: UTF8.self)
            case .reject(let diagnosis, _): return "reject \(diagnosis.code)"
            default: return "other"
            }
        }
    }

    @Test func keptPartsWriteWhatTheGeneralPathWrites() throws {
        let keeping = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        let general = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        // Texts kept: `scrubKeeping` takes the general path.
        general.engine.messageScrubber.keepsTexts = true
        for record in Self.records {
            #expect(try run(keeping, record) == run(general, record), "\(record)")
        }
        #expect(keeping.changes == general.changes)
        #expect(keeping.changes.values.reduce(0, +) > 100)
    }

    /// The range `scrubKeeping` gives is what `scrub` leaves, with the same steps.
    /// Runs `body` with a document holding only the test's personas and the default rules'
    /// message scrubber, texts not kept.
    func withPersonaScrubber(_ body: (JSONDocument, TextScrubber) throws -> Void) throws {
        let line = #"{\#(Self.personas), "chat_parts": []}"#
        try withDocument(line) { document in
            let engine = try ScrubEngine(RuleSet.defaults())
            engine.messageScrubber.keepsTexts = false
            try body(document, engine.messageScrubber)
        }
    }

    @Test func keptRangesAreTheGeneralPieces() throws {
        try withPersonaScrubber { document, scrubber in
            let texts = [
                "Elias: hi", "Elias Vance:   spaced   ", "Elias:", "  padded  ", "plain", "ILGIN ŞAHIN: x",
                "owl_9: a <image>b</image> c", "Elias:\u{A0}x", "Elias: x\u{A0}", "\u{A0}", "Ilgın Şahin: selam",
                "Elias: one\nIlgın: two", "quantum_scribe:", "Elias: <end/> <gif>x</gif>",
            ]
            for text in texts {
                let bytes = Array(text.utf8)
                scrubber.beginRecord()
                scrubber.matcher.personaDocument = document
                let kept = try bytes.withUnsafeBytes { try scrubber.scrubKeeping($0) { PersonaNames([]) } }
                scrubber.beginRecord()
                let full = try bytes.withUnsafeBytes { try scrubber.scrub($0) { PersonaNames([]) } }
                scrubber.matcher.personaDocument = nil
                #expect((kept == nil) == (full == nil), "\(text)")
                guard let kept, let full else { continue }
                #expect(Array(kept.outcome.steps) == Array(full.steps), "\(text)")
                if let range = kept.kept {
                    #expect(kept.outcome.pieces.isEmpty)
                    #expect(full.pieces == [Array(bytes[range])], "\(text)")
                } else {
                    #expect(kept.outcome.pieces == full.pieces, "\(text)")
                }
            }
        }
    }

    /// The gate bytes the stage found (`gates`) stand for the rules' own searches: the same
    /// outcome with them as without.
    @Test func gatesFoundByTheStageGiveTheSameOutcome() throws {
        try withPersonaScrubber { document, scrubber in
            let gateBytes = try #require(scrubber.gateBytes)
            let texts = [
                "Elias: hi", "  padded  ", "plain", "a <image>b</image> c", "Elias: <end/> <gif>x</gif>", "x: y <",
                "<delay 3/>", "Elias:", ":", "<", "ILGIN ŞAHIN: x", "no gate here ",
            ]
            for text in texts {
                let bytes = Array(text.utf8)
                var gates: UInt8 = 0
                for (k, byte) in gateBytes.enumerated() where bytes.contains(byte) { gates |= 1 << UInt8(k) }
                scrubber.beginRecord()
                scrubber.matcher.personaDocument = document
                let told = try bytes.withUnsafeBytes {
                    try scrubber.scrubKeeping($0, gates: gates) { PersonaNames([]) }
                }
                scrubber.beginRecord()
                let searched = try bytes.withUnsafeBytes { try scrubber.scrubKeeping($0) { PersonaNames([]) } }
                scrubber.matcher.personaDocument = nil
                #expect((told == nil) == (searched == nil), "\(text)")
                guard let told, let searched else { continue }
                #expect(Array(told.outcome.steps) == Array(searched.outcome.steps), "\(text)")
                #expect(told.kept == searched.kept && told.outcome.pieces == searched.outcome.pieces, "\(text)")
            }
        }
    }
}
