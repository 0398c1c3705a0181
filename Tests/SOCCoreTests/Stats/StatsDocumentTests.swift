import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct StatsDocumentTests {
    static let p1 =
        #"{"name":"Ann Lee","username":null,"age":30,"traits":["calm","witty","loyal"],"background":"Ann is a nurse.","chatting_style":"short","model":"m1","id":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#
    static let p2 =
        #"{"name":"Bo Kim","username":"bo","age":41,"traits":["calm","busy","sharp","curious"],"background":"Bo fixes boats.","chatting_style":"long, many emoji","model":"m1","id":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}"#

    /// A chat line; `parts` are (sender 1 or 2, messages).
    static func chat(_ parts: [(Int, [String])], topic: String = "boats") -> String {
        let experience =
            #"{"persona1":\#(p1),"persona2":\#(p2),"relationship":"friends","situation":"at sea","topic":"\#(topic)","id":"e"}"#
        return ChatFixture.line(
            id: "x",
            parts: parts.map {
                (
                    sender: $0.0 == 1 ? "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" : "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
                    messages: $0.1
                )
            },
            experience: experience, extra: [("model", #""m2""#)])
    }

    static let lines: [String] = [
        chat([(1, ["hi there", "<image>a boat</image> look"]), (2, ["nice <3"]), (1, ["bye <end/>"])]),
        chat([
            (2, [#"<delay hours="2"/>"#, "sorry, a < b"]), (1, ["ok"]),
            (2, ["<gif>wave</gif>", "see <https://example.org>"]), (1, ["k"]), (2, ["<end/> early"]), (1, ["done"]),
        ]),
        chat([(1, ["one", "two", "three"]), (1, ["solo again"])], topic: "alone"),
        p1, p2,
        #"{"text":"other","n":3}"#,
        #"[1,2]"#,
    ]

    static func analyse(_ lines: [String]) -> StatsDocument {
        var stats = StatsDocument()
        let parser = JSONParser()
        for text in lines {
            var line = text
            line.withUTF8 { raw in
                guard case .success(let document) = parser.parse(UnsafeRawBufferPointer(raw)) else {
                    Issue.record("fixture line is not JSON: \(text)")
                    return
                }
                #expect(StatsStage.add(document, to: &stats) == nil)
            }
        }
        return stats
    }

    /// Blank is the one definition validate and scrub use: White_Space and default-ignorables.
    @Test func blankMessagesAreCounted() {
        let s = Self.analyse([Self.chat([(1, ["", " ", "\u{a0}", "\u{200b}\u{feff}", "a", "\u{e9}"]), (2, ["ok"])])])
        #expect(s.chats.blankMessages == 4)
        #expect(Self.analyse(Self.lines).chats.blankMessages == 0)
    }

    @Test func countsOfTheFixture() {
        let s = Self.analyse(Self.lines)
        #expect(s.records == 7)
        #expect(s.chats.records == 3)
        #expect(s.personas.records == 2)
        #expect(s.other.records == 2)
        #expect(s.chats.turns.maximum == 6)
        #expect(s.chats.totalMessages == 4 + 8 + 4)
        #expect(s.chats.tags[ChatTag.image.rawValue].occurrences == 1)
        #expect(s.chats.tags[ChatTag.gif.rawValue].occurrences == 1)
        #expect(s.chats.tags[ChatTag.end.rawValue].occurrences == 2)
        #expect(s.chats.tags[ChatTag.end.rawValue].chats == 2)
        #expect(s.chats.tags[ChatTag.unknown.rawValue].occurrences == 0)
        #expect(s.chats.endInLastPartChats == 1)
        #expect(s.chats.endAtEndChats == 1)
        #expect(s.chats.delayMinutes.sum == 120)
        #expect(s.chats.persona1Messages == 2 + 1 + 1 + 1 + 1 + 3 + 1)
        #expect(s.chats.persona1FirstChats == 2)
        #expect(s.chats.singleSpeakerChats == 1)
        #expect(s.chats.longestSpeakerRun.maximum == 2)
        #expect(s.chats.personas.records == 6)
        #expect(s.chats.personas.ids.distinct == 2)
        #expect(s.chats.personas.usernameNull == 3)
        #expect(s.chats.personas.traits.entries["calm"]?.count == 6)
        #expect(s.personas.traitsPerPersona.sum == 7)
        #expect(s.personas.duplicateIDs == 0)
        #expect(s.other.keys.entries["text"]?.count == 1)
        #expect(s.other.rootTypes[4] == 1)
    }

    @Test func jsonRoundTripsForMerging() throws {
        let s = Self.analyse(Self.lines)
        let json = StatsJSONWriter.json(s)
        let back = try StatsJSONReader.document(json)
        #expect(StatsJSONWriter.json(back).prettyPrinted() == json.prettyPrinted())
    }

    @Test func mergedHalvesEqualTheWhole() throws {
        let whole = Self.analyse(Self.lines)
        var merged = try StatsJSONReader.document(StatsJSONWriter.json(Self.analyse(Array(Self.lines[..<2]))))
        merged.merge(try StatsJSONReader.document(StatsJSONWriter.json(Self.analyse(Array(Self.lines[2...])))))
        #expect(merged.chats.turns == whole.chats.turns)
        #expect(merged.chats.wordsPerMessage == whole.chats.wordsPerMessage)
        #expect(merged.chats.tags == whole.chats.tags)
        #expect(merged.chats.personas.traits == whole.chats.personas.traits)
        #expect(merged.personas.age == whole.personas.age)
        #expect(merged.other == whole.other)
    }

    @Test func workUnitsMergedEqualOnePass() throws {
        let one = StatsStage(inputs: [], format: .json, output: nil, requirements: [])
        let primary = StatsStage(inputs: [], format: .json, output: nil, requirements: [])
        let workers = try [primary.makeWorker(), primary.makeWorker()].map { try #require($0 as? StatsStage) }
        let lines = Self.lines + Self.lines + Self.lines
        // Units of three lines, decided by alternating workers, taken in by the primary in order.
        for (k, line) in lines.enumerated() {
            let worker = workers[(k / 3) % 2]
            try withDocument(line) { doc in
                _ = one.process(doc, at: RecordLocation(file: "-", line: k + 1))
                _ = worker.process(doc, at: RecordLocation(file: "-", line: k + 1))
            }
            if k % 3 == 2 || k == lines.count - 1, let unit = worker.endUnit() { try primary.absorb(unit) }
        }
        #expect(StatsJSONWriter.json(primary.stats) == StatsJSONWriter.json(one.stats))
    }

    @Test func sizeCategories() {
        #expect(StatsDocument.sizeCategory(0) == "n<1K")
        #expect(StatsDocument.sizeCategory(999) == "n<1K")
        #expect(StatsDocument.sizeCategory(1_000) == "1K<n<10K")
        #expect(StatsDocument.sizeCategory(19_112) == "10K<n<100K")
        #expect(StatsDocument.sizeCategory(2_500_000) == "1M<n<10M")
    }
}
