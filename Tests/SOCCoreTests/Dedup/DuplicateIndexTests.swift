import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct DuplicateIndexTests {
    @Test func knownPairs() throws {
        var fixture = ChatGenerator(seed: 1)
        let original = fixture.messages(40)
        let near = fixture.edited(original, fraction: 0.05)
        let far = fixture.edited(original, fraction: 0.75)
        let lines = [
            ChatFixture.chatLine(id: "c1", messages: original),
            ChatFixture.chatLine(id: "c2", messages: original.map { $0.uppercased() + "!!" }),  // exact text
            ChatFixture.chatLine(id: "c1", messages: fixture.messages(40)),  // exact key
            ChatFixture.chatLine(id: "c4", messages: near),  // near
            ChatFixture.chatLine(id: "c5", messages: far),  // far
        ]
        #expect(jaccard(original.joined(separator: " "), near.joined(separator: " ")) > 0.85)
        #expect(jaccard(original.joined(separator: " "), far.joined(separator: " ")) < 0.3)
        var settings = DedupSettings()
        settings.keys = [try RecordPath("chat_id")]
        let result = try decisions(lines, settings: settings)
        #expect(result[0] == .keep(index: 0))
        #expect(result[1] == .duplicate(.exactText, of: 0, similarity: 1))
        guard case .duplicate(.exactKey, of: 0, _) = result[2] else {
            Issue.record("exact key: \(result[2])")
            return
        }
        guard case .duplicate(.nearDuplicate, of: 0, let similarity) = result[3] else {
            Issue.record("near: \(result[3])")
            return
        }
        #expect(similarity! >= 0.8)
        #expect(result[4] == .keep(index: 1))
    }

    @Test func withoutKeyTheSameIdIsNotADuplicate() throws {
        var fixture = ChatGenerator(seed: 2)
        let lines = [
            ChatFixture.chatLine(id: "x", messages: fixture.messages(20)),
            ChatFixture.chatLine(id: "x", messages: fixture.messages(20)),
        ]
        #expect(try decisions(lines) == [.keep(index: 0), .keep(index: 1)])
    }

    @Test func removedRecordsAreNotIndexed() throws {
        // A ≈ B (B removed), C ≈ B but C is compared with A only.
        var fixture = ChatGenerator(seed: 3)
        let a = fixture.messages(40)
        let b = fixture.edited(a, fraction: 0.05)
        var other = ChatGenerator(seed: 99)
        let c = other.edited(b, fraction: 0.05)
        let lines = [a, b, c].enumerated().map { ChatFixture.chatLine(id: "r\($0.offset)", messages: $0.element) }
        let result = try decisions(lines)
        #expect(result[0] == .keep(index: 0))
        guard case .duplicate(_, of: 0, _) = result[1] else {
            Issue.record("\(result[1])")
            return
        }
        if case .duplicate(_, let of, _) = result[2] { #expect(of == 0) }
    }

    @Test func noNearKeepsNearDuplicates() throws {
        var fixture = ChatGenerator(seed: 4)
        let a = fixture.messages(40)
        let lines = [
            ChatFixture.chatLine(id: "1", messages: a),
            ChatFixture.chatLine(id: "2", messages: fixture.edited(a, fraction: 0.05)),
        ]
        var settings = DedupSettings()
        settings.near = false
        #expect(try decisions(lines, settings: settings) == [.keep(index: 0), .keep(index: 1)])
    }

    @Test func personasUseBackgroundAndChattingStyle() throws {
        let lines = [
            #"{"name":"A","background":"Ana is a nurse in Lisbon who paints on weekends.","chatting_style":"Short, warm, lots of emoji.","id":"1"}"#,
            #"{"name":"B","background":"ana is a NURSE in lisbon, who paints on weekends","chatting_style":"short warm lots of emoji","id":"2"}"#,
            #"{"name":"C","age":3}"#,
            #"{"name":"D","age":4}"#,
        ]
        let result = try decisions(lines)
        #expect(result[1] == .duplicate(.exactText, of: 0, similarity: 1))
        // Records without text are never text duplicates of each other.
        #expect(result[2] == .keep(index: 1))
        #expect(result[3] == .keep(index: 2))
    }

    @Test func textPathsSelectTheComparedStrings() throws {
        var settings = DedupSettings()
        settings.text = [try RecordPath("body.parts[*]")]
        let lines = [
            #"{"body":{"parts":["one two three","four five six"]},"title":"x"}"#,
            #"{"body":{"parts":["One two three.","Four five six!"]},"title":"y"}"#,
            #"{"body":{"parts":["one two three"]},"title":"x"}"#,
        ]
        let result = try decisions(lines, settings: settings)
        #expect(result[1] == .duplicate(.exactText, of: 0, similarity: 1))
        #expect(result[2] == .keep(index: 1))
    }

    @Test func compositeKeysUseAllValues() throws {
        var settings = DedupSettings()
        settings.keys = [try RecordPath("name"), try RecordPath("age")]
        settings.exactText = false
        settings.near = false
        let lines = [
            #"{"name":"A","age":30}"#, #"{"name":"A","age":31}"#, #"{"name":"A","age":30,"x":1}"#, #"{"name":"A"}"#,
            #"{"name":"A"}"#,
        ]
        let result = try decisions(lines, settings: settings)
        #expect(result[1] == .keep(index: 1))
        #expect(result[2] == .duplicate(.exactKey, of: 0, similarity: nil))
        #expect(result[3] == .keep(index: 2))
        #expect(result[4] == .keep(index: 3), "a record missing a key path has no key")
    }

    @Test func maxRecordsRefusesToGrow() throws {
        let fingerprinter = Fingerprinter(settings: DedupSettings())
        var index = DuplicateIndex(
            threshold: 0.8, numPerm: 128, parameters: DedupSettings().lshParameters, maxRecords: 2)
        var fixture = ChatGenerator(seed: 5)
        var results: [DuplicateDecision?] = []
        for k in 0..<3 {
            try withDocument(ChatFixture.chatLine(id: "\(k)", messages: fixture.messages(10))) {
                results.append(index.decide(fingerprinter.fingerprint($0)))
            }
        }
        #expect(results[0] != nil && results[1] != nil && results[2] == nil)
    }
}
