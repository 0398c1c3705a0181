import Testing

@testable import SOCCore

@Suite struct ChatStatsTests {
    /// Senders are matched to the persona ids as strings, however escaped (the in-place path for
    /// plain ones, `same` for the others): the counts equal those of comparing `document.string`.
    @Test func sendersMatchIdsAsStrings() {
        let ids = [#""ab""#, #""a\u0062""#, #""c""#, "7", "null", #""""#]
        let senders = [#""ab""#, #""a\u0062""#, #""c""#, #""\u0063""#, "7", #""7""#, #""""#, #""abc""#]
        let parser = JSONParser()
        for id1 in ids {
            for id2 in ids {
                let parts = senders.map { #"{"sender":\#($0),"messages":["x"]}"# }.joined(separator: ",")
                let line =
                    #"{"experience":{"persona1":{"id":\#(id1)},"persona2":{"id":\#(id2)}},"chat_parts":[\#(parts)]}"#
                PersonaBufferTests.withChat(parser, line: line) { document, chat in
                    var stats = ChatStats()
                    stats.add(chat)
                    let experience = document.member(document.root, "experience")!
                    let p1 = document.member(document.member(experience, "persona1")!, "id")!
                    let p2 = document.member(document.member(experience, "persona2")!, "id")!
                    var expected = (0, 0, 0)
                    chat.forEachPart { part in
                        let sender = part.sender.flatMap { document.string($0) }
                        if let sender, sender == document.string(p1) {
                            expected.0 += 1
                        } else if let sender, sender == document.string(p2) {
                            expected.1 += 1
                        } else {
                            expected.2 += 1
                        }
                    }
                    #expect(stats.persona1Messages == expected.0, "\(id1) \(id2)")
                    #expect(stats.persona2Messages == expected.1, "\(id1) \(id2)")
                    #expect(stats.otherSenderMessages == expected.2, "\(id1) \(id2)")
                }
            }
        }
    }
}
