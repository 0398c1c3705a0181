import Testing

@testable import SOCCore

/// `markCandidates` passing over colons that no rule can use (`:)`, `://`; see
/// `ScrubStage.CandidateGate.passesColons`) against the scan that takes every colon: the same
/// records written and the same counts, with fewer candidates.
@Suite struct CandidateColonTests {
    static let messages = [
        #""nice :)""#, #""see https://x.org""#, #""ok :-) then""#, #""Elias:)""#, #""Elias: hi :)""#,
        #""a :) Elias: x""#, #""hm :)\nElias: two""#, #""Elias:""#, #""x :""#, #""Elias:*""#, #""Elias:** bold""#,
        #""Elias:**)""#, #""x <image>y</image> :)""#, #""  :)  ""#, #""caf\u00e9 :)""#, #""esc \u003a) colon""#,
        #""raw :\u0029 paren""#, #""Elias:\\ back""#, #""Elias:(""#, #""Elias:[x]""#, #""Elias:'q'""#,
        #""Elias:|""#, #""Elias:>""#, #""Elias:<b>""#, #""time 10:30""#, #""Ilgın:) çay""#, #"":):):)""#,
        #""Elias:\nnext""#, #""plain""#, #""Elias: :)""#,
    ]

    /// Records of two parts, each message among others with and without colons, raw and escaped.
    static var records: [String] {
        var records: [String] = []
        for (k, message) in messages.enumerated() {
            let other = messages[(k * 7 + 3) % messages.count]
            let parts =
                #"[{"sender": "a1", "messages": [\#(message), "fine :)", \#(other)]}, {"sender": "b2", "messages": ["no colon", \#(message)]}]"#
            let record = #"{"chat_id": "c\#(k)", \#(ScrubKeepingTests.personas), "chat_parts": \#(parts)}"#
            records.append(record)
            records.append(ScrubKeepingTests.asciiEscaped(record))
        }
        return records
    }

    /// The line `stage` writes for `line` (nil when kept), or the rejection's code, and how
    /// many candidates it found.
    func run(_ stage: ScrubStage, _ line: String) throws -> (String, Int) {
        try withDocument(line) { document in
            let verdict = stage.process(document, at: RecordLocation(file: "t", line: 1))
            let written: String
            switch verdict {
            case .keep: written = "keep"
            case .edit(let edits): written = String(decoding: JSONEdit.apply(edits, to: document.bytes), as: UTF8.self)
            case .reject(let diagnosis, _): written = "reject \(diagnosis.code)"
            default: written = "other"
            }
            return (written, stage.candidateCount)
        }
    }

    @Test func passingColonsWritesWhatTheFullScanWrites() throws {
        let passing = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        let every = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        #expect(passing.candidateGate.passesColons)
        every.candidateGate = ScrubStage.CandidateGate(every.gateBytes)
        #expect(!every.candidateGate.passesColons)
        var fewer = 0
        for record in Self.records {
            let (written, candidates) = try run(passing, record)
            let (expected, all) = try run(every, record)
            #expect(written == expected, "\(record)")
            #expect(candidates <= all)
            if candidates < all { fewer += 1 }
        }
        #expect(passing.changes == every.changes)
        #expect(passing.changes.values.reduce(0, +) > 40)
        #expect(fewer > 20)
    }

    /// Another rule that needs a colon (not the default label) keeps every colon.
    @Test func anotherColonRuleKeepsEveryColon() throws {
        var rules = try RuleSet.defaults()
        try rules.add(
            name: "extra.rules", source: "extra.rules",
            text: "[smiley]\ndescription: drops smileys\npattern: :\\)\nreplace:\n")
        let stage = ScrubStage(engine: try ScrubEngine(rules))
        #expect(!stage.candidateGate.passesColons)
        let (written, _) = try run(stage, Self.records[0])
        #expect(!written.contains(":)"))
    }
}
