import SOCTestSupport
import Testing

@testable import SOCCore

/// `JSONDocument.member`, which skips keys by their length before comparing, against the
/// definition: the last key whose unescaped text equals the name.
@Suite struct JSONMemberTests {
    /// Keys as written: plain ones of several lengths (some sharing a length with the names
    /// looked up), escaped spellings of them, an escaped key longer than its text, and empty.
    static let keys: [String] = [
        "id", "ie", "model", "mode", "modem", "experience", "chat_parts", "sender", "senders", "messages",
        #"\u0069d"#, #"mod\u0065l"#, #"m\u0065ssages"#, #"\"q"#, "", "i", "idd", #"\u00e9"#, "é",
    ]
    static let names: [String] = ["id", "model", "experience", "messages", "sender", "", "é", "\"q", "x"]

    @Test func equalsLastMatchingKey() {
        var numbers = SeededNumbers(state: 77_001)
        func next(_ bound: Int) -> Int { numbers.next(bound) }
        let parser = JSONParser()
        for _ in 0..<2000 {
            let members = (0..<next(7)).map { k in #""\#(Self.keys[next(Self.keys.count)])":\#(k)"# }
            ChatScratchTests.withDocument(parser, "{" + members.joined(separator: ",") + "}") { document in
                for name in Self.names {
                    var expected: Int?
                    var name = name
                    name.withUTF8 { key in
                        for index in document.memberKeys(document.root)
                        where document.stringEquals(index, UnsafeRawBufferPointer(key)) {
                            expected = index + 1
                        }
                    }
                    #expect(document.member(document.root, name) == expected, "\(members) \(name)")
                }
            }
        }
    }
}
