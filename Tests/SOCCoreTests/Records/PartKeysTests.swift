import SOCTestSupport
import Testing

@testable import SOCCore

/// `PartKeys.match` (`ChatView.forEachPart`'s branch-free test of a part's keys) against
/// `equalsShort`, and the walk's sender and messages against `JSONDocument.member`.
@Suite struct PartKeysTests {
    @Test func matchEqualsEqualsShort() {
        var numbers = SeededNumbers(state: 6868)
        let names: [StaticString] = ["", "a", "id", "sen", "send", "sende", "sender", "senders", "message", "messages"]
        var candidates: [[UInt8]] = []
        for name in names + ["messagess", "chat_parts", "0123456789abcdefg"] {
            let text = Array(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            candidates.append(text)
            for k in text.indices {
                var changed = text
                changed[k] ^= UInt8(1 << numbers.next(8))
                candidates.append(changed)
                candidates.append(Array(text[..<k]))
            }
        }
        for candidate in candidates {
            // As a key lies in a line: after an odd offset (unaligned loads), followed by its
            // closing quote, a `:`, a value and the object's `}` (the least `match` may read).
            let line = Array(#" {""#.utf8) + candidate + Array(#"":1}"#.utf8)
            line.withUnsafeBytes { raw in
                let key = UnsafeRawBufferPointer(rebasing: raw[3..<(3 + candidate.count)])
                let (sender, messages) = PartKeys.match(key)
                #expect(sender == key.equalsShort("sender"), "\(candidate)")
                #expect(messages == key.equalsShort("messages"), "\(candidate)")
            }
        }
    }

    @Test func forEachPartFindsMembersAsMemberDoes() {
        let lines = [
            #"{"chat_parts": [{"sender": "a", "messages": ["x"]}, {"messages": ["y"], "sender": "b"}]}"#,
            #"{"chat_parts": [{"sender": "a", "sender": "b", "messages": ["m"], "messages": ["n"]}]}"#,
            #"{"chat_parts": [{"sende": "a", "senderx": "b", "message": ["m"], "messagez": ["n"]}]}"#,
            #"{"chat_parts": [{"a": 1, "id": 2, "sender": 3, "xy": [], "messages": "not an array"}]}"#,
            #"{"chat_parts": [{"s\u0065nder": "esc", "messages": ["e"]}, {}, 7, {"sender": "c"}]}"#,
            #"{"chat_parts": [{"": "", "messages": ["only"]}, {"sender": "s", "extra": {"sender": "t"}}]}"#,
        ]
        for line in lines {
            ValidateFixtures.withDocument(line) { document in
                guard let document, let chat = ChatView.lenient(document) else {
                    Issue.record("no chat: \(line)")
                    return
                }
                var walked: [Int] = []
                chat.forEachPart { walked.append(contentsOf: [$0.sender ?? -1, $0.messages ?? -1]) }
                var expected: [Int] = []
                for part in document.elements(chat.parts) {
                    let messages = document.member(part, "messages").flatMap {
                        document.kind($0) == .array ? $0 : nil
                    }
                    expected.append(contentsOf: [document.member(part, "sender") ?? -1, messages ?? -1])
                }
                #expect(walked == expected, "\(line)")
            }
        }
    }
}
