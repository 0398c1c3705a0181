import Testing

@testable import SOCCore

/// `JSONDocument.shortMember` against `member`, and soc-validate's sender comparison against
/// `SchemaEquality.stringsEqual`, on keys and strings of every short length, escaped or not.
@Suite struct ShortMemberTests {
    static let keys: [StaticString] = [
        "a", "id", "abc", "name", "model", "sender", "persona1", "messages", "chat_parts", "experience",
        "conversations", "a_very_long_key_of_40_bytes_for_memcmp__",
    ]

    @Test func shortMemberAgreesWithMember() throws {
        let objects = [
            #"{"a": 1, "id": 2, "abc": 3, "name": 4, "model": 5, "sender": 6, "persona1": 7, "messages": 8}"#,
            #"{"chat_parts": 1, "experience": 2, "conversations": 3, "chat_partz": 4, "a_very_long_key_of_40_bytes_for_memcmp__": 5}"#,
            #"{"id": 1, "id": 2, "i": 3, "idx": 4}"#, #"{"\u0069d": 1, "a": 2}"#, #"{"a": 1, "\u0069d": 2, "id": 3}"#,
            #"{"": 1, "a": 2}"#, "{}", "[]", #""id""#, "null",
        ]
        for text in objects {
            try withDocument(text) { document in
                for key in Self.keys {
                    #expect(document.shortMember(0, key) == document.member(0, key), "\(key) in \(text)")
                }
            }
        }
    }

    @Test func sameStringAgreesWithStringsEqual() throws {
        var strings: [String] = []
        for length in 0...41 {
            let text = String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            strings.append(text)
            if length > 0 {
                strings.append(String(text.dropLast()) + "z")
                strings.append("z" + text.dropFirst())
                strings.append(#"\u0061"# + text.dropFirst())
            }
        }
        let line = "[" + strings.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        try withDocument(line) { document in
            let items = Array(document.elements(0))
            for a in items {
                for b in items {
                    #expect(
                        ChatChecks.sameString(document, a, b) == SchemaEquality.stringsEqual(document, a, b),
                        "\(document.string(a) ?? "") vs \(document.string(b) ?? "")")
                }
            }
        }
    }
}
