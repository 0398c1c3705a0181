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
                // The literal overload compares words in place; it must give the same answer.
                for (k, literal) in Self.literals.enumerated() {
                    #expect(
                        document.member(document.root, literal) == document.member(document.root, Self.names[k]),
                        "\(members) \(literal)")
                }
            }
        }
    }

    /// `names` as literals, which take the `StaticString` overload.
    static let literals: [StaticString] = ["id", "model", "experience", "messages", "sender", "", "é", "\"q", "x"]

    /// The literal overload on keys of every length class `equalsShort` has (1-3, 4-7, 8-16,
    /// longer), repeated and escaped keys, and values that are not objects.
    @Test func literalKeysOfEveryLength() throws {
        let keys: [StaticString] = [
            "a", "id", "abc", "name", "model", "sender", "persona1", "messages", "chat_parts", "experience",
            "conversations", "a_very_long_key_of_40_bytes_for_memcmp__",
        ]
        let objects = [
            #"{"a": 1, "id": 2, "abc": 3, "name": 4, "model": 5, "sender": 6, "persona1": 7, "messages": 8}"#,
            #"{"chat_parts": 1, "experience": 2, "conversations": 3, "chat_partz": 4, "a_very_long_key_of_40_bytes_for_memcmp__": 5}"#,
            #"{"id": 1, "id": 2, "i": 3, "idx": 4}"#, #"{"\u0069d": 1, "a": 2}"#, #"{"a": 1, "\u0069d": 2, "id": 3}"#,
            #"{"": 1, "a": 2}"#, "{}", "[]", #""id""#, "null",
        ]
        for text in objects {
            try withDocument(text) { document in
                for key in keys {
                    let bytes = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
                    #expect(document.member(0, key) == document.member(0, bytes), "\(key) in \(text)")
                }
            }
        }
    }
}
