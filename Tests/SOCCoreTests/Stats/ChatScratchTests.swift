import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct ChatScratchTests {
    /// Parses `line` (a JSON object) and hands it to `body`.
    static func withDocument(_ parser: JSONParser, _ line: String, _ body: (JSONDocument) -> Void) {
        var line = line
        line.withUTF8 { raw in
            guard case .success(let document) = parser.parse(UnsafeRawBufferPointer(raw)) else {
                Issue.record("fixture is not JSON")
                return
            }
            body(document)
        }
    }

    /// The remembered model name is `document.string` of every model, repeated or not, escaped
    /// or not, a prefix of the last one, empty, or not a string.
    @Test func modelNamesEqualTheDocumentsStrings() {
        let models = [
            #""m2""#, #""m2""#, #""m\u0032""#, #""m""#, #""m2""#, #""""#, "7", #""""#, "null", #""gpt-4o""#,
            #""gpt-4o""#, #""é\n""#, #""é\n""#,
        ]
        let scratch = ChatScratch()
        let parser = JSONParser()
        for model in models {
            Self.withDocument(parser, #"{"model":\#(model)}"#) { document in
                let index = document.member(document.root, "model")!
                #expect(scratch.modelName(document, index) == document.string(index), "\(model)")
            }
        }
    }

    /// Model names counted by runs of equal names (`ChatStats.models`, the pending run added on
    /// reading and before a merge) equal counting each chat's name, past the counter's capacity
    /// too (where the order of additions matters), for one ChatStats and for shards merged.
    @Test func modelRunsEqualCountingEachName() {
        var numbers = SeededNumbers(state: 31)
        let names = (0..<130).map { k -> String in
            let run = numbers.next(4) == 0 ? 1 : 3
            return #""m\#((k / run) % 120)""#
        }
        let models = names + ["7", #""m\u0031""#, #""m1""#, "null"] + names.reversed()
        let parser = JSONParser()
        var whole = ChatStats()
        var shards = [ChatStats(), ChatStats(), ChatStats()]
        var expected = CategoryCounter(capacity: 100)
        var expectedShards = [CategoryCounter](repeating: CategoryCounter(capacity: 100), count: 3)
        let scratch = ChatScratch()
        for (k, model) in models.enumerated() {
            let line = #"{"model":\#(model),"chat_parts":[{"sender":"a","messages":["hi"]}]}"#
            Self.withDocument(parser, line) { document in
                guard case .success(let chat) = ChatView.of(document) else {
                    Issue.record("fixture is not a chat")
                    return
                }
                whole.add(chat, personaCache: nil, scratch: scratch)
                shards[k * 3 / models.count].add(chat, personaCache: nil, scratch: ChatScratch())
                if let name = document.string(document.member(document.root, "model")!) {
                    expected.add(name)
                    expectedShards[k * 3 / models.count].add(name)
                }
            }
        }
        #expect(whole.records == models.count)
        #expect(whole.models == expected)
        var merged = shards[0]
        merged.merge(shards[1])
        merged.merge(shards[2])
        var expectedMerged = expectedShards[0]
        expectedMerged.merge(expectedShards[1])
        expectedMerged.merge(expectedShards[2])
        #expect(merged.models == expectedMerged)
    }

    /// Chats of growing and shrinking sizes counted with one scratch (figures and unescaped
    /// texts left from larger chats, the model name remembered) equal the same chats counted
    /// each with its own.
    @Test func sharedScratchEqualsFreshScratch() {
        var shared = ChatStats()
        var fresh = ChatStats()
        let scratch = ChatScratch()
        let parser = JSONParser()
        for k in 0..<40 {
            let parts = (0..<(k * 7 % 23)).map { t in
                let messages = (0...(t % 4)).map { m in
                    #""w\#(t)\n x <end/>\u00e9 \#(String(repeating: "y ", count: m + k))""#
                }
                return #"{"sender":"\#(t % 2 == 0 ? "a" : "b")","messages":[\#(messages.joined(separator: ","))]}"#
            }
            let line =
                #"{"model":"\#(k % 3 == 0 ? "m\\u0031" : "m\(k % 2)")","experience":{"persona1":{"id":"a"},"persona2":{"id":"b"}},"chat_parts":[\#(parts.joined(separator: ","))]}"#
            Self.withDocument(parser, line) { document in
                guard case .success(let chat) = ChatView.of(document) else {
                    Issue.record("fixture is not a chat")
                    return
                }
                shared.add(chat, personaCache: nil, scratch: scratch)
                fresh.add(chat, personaCache: nil, scratch: ChatScratch())
            }
        }
        #expect(shared.records == 40)
        #expect(shared == fresh)
        var a = StatsDocument()
        var b = StatsDocument()
        a.chats = shared
        b.chats = fresh
        #expect(StatsJSONWriter.json(a).prettyPrinted() == StatsJSONWriter.json(b).prettyPrinted())
    }
}
