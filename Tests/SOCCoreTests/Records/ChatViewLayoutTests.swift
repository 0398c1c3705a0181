import Testing

@testable import SOCCore

/// The one chat walk in each layout: turns, messages and text as docs/formats.md defines them.
@Suite struct ChatViewLayoutTests {
    /// What the walk gives for one record: per turn, its speaker and its messages' texts.
    static func walk(_ line: String, layout: LayoutChoice = .auto) -> (
        layout: ChatLayout?, turns: [[String]], count: Int
    ) {
        ValidateFixtures.withDocument(line) { document in
            guard let document, case .success(let chat) = ChatView.of(document, layout: layout) else {
                return (nil, [], -1)
            }
            var turns: [[String]] = []
            chat.forEachPart { part in
                var turn = [part.sender.flatMap { document.string($0) } ?? "?"]
                chat.forEachMessage(in: part) { message, position in
                    var texts: [String] = []
                    chat.forEachText(message) { text, _ in texts.append(document.string(text) ?? "") }
                    turn.append("\(position):" + texts.joined(separator: "+"))
                }
                turns.append(turn)
            }
            return (chat.layout, turns, chat.turnCount)
        }
    }

    @Test func autoTellsTheLayoutByKeys() {
        let cases: [(String, ChatLayout?)] = [
            (#"{"chat_parts": [], "messages": []}"#, .soc),
            (#"{"messages": [], "conversations": []}"#, .openai),
            (#"{"conversations": []}"#, .sharegpt),
            (#"{"chat_id": "x"}"#, nil),  // a SOC chat without its parts: not_a_chat
        ]
        for (line, expected) in cases {
            #expect(Self.walk(line).layout == expected, "\(line)")
        }
        ValidateFixtures.withDocument(#"{"messages": [], "name": "x"}"#) { document in
            #expect(RecordKind.detect(document!) == .soc)
            #expect(RecordKind.detect(document!, layout: .soc) == nil)
            #expect(RecordKind.detect(document!, layout: .sharegpt) == nil)
            #expect(RecordKind.detect(document!, layout: .openai) == .soc)
        }
        ValidateFixtures.withDocument(#"{"conversations": [], "traits": []}"#) { document in
            #expect(RecordKind.detect(document!) == .soc)
            #expect(RecordKind.detect(document!, layout: .soc) == .spb)
        }
    }

    @Test func aTurnIsARunOfOneRoleAndSystemMessagesAreNotThere() {
        let line = #"""
            {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "a"},
             {"role": "user", "content": "b"}, {"role": "developer", "content": "d"}, {"role": "user", "content": "c"},
             {"role": "assistant", "content": null}, {"role": "tool", "content": "t"}, {"role": "assistant", "content": "e"}]}
            """#
        let walked = Self.walk(line.replacingOccurrences(of: "\n", with: " "))
        #expect(walked.layout == .openai)
        #expect(
            walked.turns == [
                ["user", "1:a", "2:b", "4:c"], ["assistant", "5:"], ["tool", "6:t"], ["assistant", "7:e"],
            ])
        #expect(walked.count == 4)
    }

    @Test func listContentGivesItsTextPartsAndNullGivesNone() {
        let line =
            #"{"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}, {"type": "image_url", "image_url": {"url": "u"}}, "bare", {"type": "input_text", "text": "y"}, {"text": 5}]}, {"role": "assistant", "content": null}, {"role": "assistant"}]}"#
        #expect(Self.walk(line).turns == [["user", "0:x+bare+y"], ["assistant", "1:", "2:"]])
    }

    @Test func shareGPTUsesFromAndValue() {
        let line =
            #"{"conversations": [{"from": "system", "value": "s"}, {"from": "human", "value": "q"}, {"from": "gpt", "value": null}, {"from": "gpt", "value": "r"}]}"#
        #expect(Self.walk(line).turns == [["human", "1:q"], ["gpt", "2:", "3:r"]])
        // ShareGPT has no list content: a list value holds no text.
        #expect(Self.walk(#"{"conversations": [{"from": "human", "value": ["q"]}]}"#).turns == [["human", "0:"]])
    }

    @Test func rolesCompareAfterUnescaping() {
        let line = #"{"messages": [{"role": "user", "content": "a"}, {"role": "\u0075ser", "content": "b"}]}"#
        #expect(Self.walk(line).turns == [["user", "0:a", "1:b"]])
    }

    @Test func socIsWalkedAsBefore() {
        let line =
            #"{"chat_parts": [{"sender": "a", "messages": ["x", "y"]}, {"sender": "b", "messages": ["z", 3]}], "messages": "ignored"}"#
        #expect(Self.walk(line).turns == [["a", "0:x", "1:y"], ["b", "0:z", "1:"]])
        #expect(Self.walk(line, layout: .openai).layout == nil)
    }

    @Test func notAChatSaysWhereAndWhy() {
        let cases: [(String, LayoutChoice, String)] = [
            (#"{"messages": {"role": "user"}}"#, .auto, "$.messages"),
            (#"{"messages": [{"role": "user"}, 3]}"#, .auto, "$.messages[1]"),
            (#"{"conversations": [{"from": 1, "value": "x"}]}"#, .auto, "$.conversations[0]"),
            (#"{"messages": []}"#, .sharegpt, "$.conversations"),
        ]
        for (line, layout, path) in cases {
            ValidateFixtures.withDocument(line) { document in
                guard case .failure(let diagnosis) = ChatView.of(document!, layout: layout) else {
                    Issue.record("\(line) should not be a chat")
                    return
                }
                #expect(diagnosis.code == .notAChat)
                #expect(diagnosis.path == path)
            }
        }
    }

    @Test func aPartsMessagesAreFoundAsMemberFindsThem() {
        // `of` compares a part's keys where they lie; it must find what `JSONDocument.member`
        // finds: the last of a repeated key, a key written with escapes, and no other key.
        let cases: [(String, String?)] = [
            (#"{"chat_parts": [{"sender": "a", "messages": ["x"]}, {"sender": "b", "messages": ["y"]}]}"#, nil),
            (#"{"chat_parts": [{"messages": 1, "sender": "a", "messages": ["x"]}, {"messages": ["y"]}]}"#, nil),
            (#"{"chat_parts": [{"messages": ["x"], "messages": 1}]}"#, "$.chat_parts[0].messages"),
            (#"{"chat_parts": [{"sender": "a", "m\u0065ssages": ["x"]}]}"#, nil),
            (#"{"chat_parts": [{"m\u0065ssages": ["x"], "messages": 2}]}"#, "$.chat_parts[0].messages"),
            (#"{"chat_parts": [{"sender": "a", "message": ["x"]}]}"#, "$.chat_parts[0].messages"),
            (#"{"chat_parts": [{"sender": "a", "messagess": ["x"]}]}"#, "$.chat_parts[0].messages"),
            (#"{"chat_parts": [{"sender": "a", "messages": ["x"]}, ["messages"]]}"#, "$.chat_parts[1].messages"),
            (#"{"chat_parts": [{"sender": "a", "messages": ["x"]}, "messages"]}"#, "$.chat_parts[1].messages"),
        ]
        for (line, failurePath) in cases {
            ValidateFixtures.withDocument(line) { document in
                let document = document!
                let parts = document.member(document.root, "chat_parts")!
                let expected = document.elements(parts).allSatisfy { part in
                    document.member(part, "messages").map { document.kind($0) == .array } ?? false
                }
                switch ChatView.of(document) {
                case .success:
                    #expect(expected && failurePath == nil, "\(line)")
                case .failure(let diagnosis):
                    #expect(!expected && diagnosis.path == failurePath, "\(line)")
                }
            }
        }
    }

    @Test func textPathsNameTheTextInEachLayout() {
        let paths: [String] = ValidateFixtures.withDocument(#"{"messages": []}"#) { document in
            guard case .success(let chat) = ChatView.of(document!) else { return [] }
            return [chat.textPath(part: 0, message: 3), chat.textPath(part: 0, message: 3, item: 1)]
        }
        #expect(paths == ["$.messages[3].content", "$.messages[3].content[1].text"])
    }
}
