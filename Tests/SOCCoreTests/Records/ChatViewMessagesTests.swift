import Testing

@testable import SOCCore

/// soc-scrub lists each SOC part's `messages` array as `ChatView.of(_:layout:part:)` checks it,
/// instead of with `forEachPart`: both must give the same parts and arrays, repeated and escaped
/// keys included.
@Suite struct ChatViewMessagesTests {
    @Test func sameArrayAsForEachPart() {
        let lines = [
            #"{"chat_parts": [{"sender": "a", "messages": ["x"]}, {"messages": ["y", "z"], "sender": "b"}]}"#,
            #"{"chat_parts": [{"messages": ["first"], "sender": "a", "messages": ["last"]}]}"#,
            // Two members, both keys plain: `of` matches them without `member`'s loop.
            #"{"chat_parts": [{"messages": ["first"], "messages": ["last"]}, {"sender": "b", "messages": []}]}"#,
            #"{"chat_parts": [{"sender": "a", "\u006dessages": ["escaped"]}]}"#,
            #"{"chat_parts": [{"messages": ["raw"], "m\u0065ssages": ["escaped, last"]}]}"#,
            #"{"chat_parts": [{"m\u0065ssages": ["escaped, first"], "messages": ["raw, last"]}]}"#,
            #"{"chat_parts": [{"\u0073ender": "a", "messages": []}, {"sender": "b", "messages": ["q"]}]}"#,
        ]
        for line in lines {
            ValidateFixtures.withDocument(line) { document in
                var listed: [Int] = []
                guard let document,
                    case .success(let chat) = ChatView.of(
                        document, layout: .auto, part: { listed.append(contentsOf: [$0, $1]) })
                else {
                    Issue.record("not a chat: \(line)")
                    return
                }
                var walked: [Int] = []
                chat.forEachPart { walked.append(contentsOf: [$0.index, $0.messages ?? -1]) }
                #expect(listed == walked, "\(line)")
                // And the array `member` reads (the last of repeated keys), by its byte overload.
                for k in stride(from: 0, to: listed.count, by: 2) {
                    let read = Array("messages".utf8).withUnsafeBytes { document.member(listed[k], $0) }
                    #expect(listed[k + 1] == read, "\(line)")
                }
                #expect(!listed.isEmpty)
            }
        }
    }
}
