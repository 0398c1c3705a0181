import Testing

@testable import SOCCore

/// `PersonaValueCache.members` by `KeyWords` (two word loads a key, no branch) finds the same
/// members as by bytes, and the written-out words are those of the names.
@Suite struct PersonaValueCacheMembersTests {
    @Test func wordsAreTheNames() {
        for (words, name) in [
            (KeyWords.name, KeyWords("name")), (.username, KeyWords("username")), (.persona1, KeyWords("persona1")),
            (.persona2, KeyWords("persona2")),
        ] {
            #expect(words.count == name.count && words.head == name.head && words.tail == name.tail)
        }
    }

    static let objects = [
        #"{"name": "a", "username": "b", "age": 3}"#, #"{"username": "b"}"#, #"{}"#, #"{"": 1, "n": 2, "na": 3}"#,
        #"{"name": 1, "name": "x"}"#, #"{"nam": 1, "names": 2, "usernam": 3, "usernames": 4, "Name": 5}"#,
        #"{"n\u0061me": "e", "username": "u"}"#, #"{"user": 1, "username": {"name": 2}, "name": [1]}"#,
        #"{"persona1": {}, "persona2": {"name": "x"}, "persona3": 1, "personal": 2, "id": "i"}"#,
        #"{"persona1":1,"persona1":2}"#, #"{"a":{"name":"n"},"name":"m"}"#, #"{"usernamé": 1, "namé": 2}"#,
    ]

    @Test func wordsFindWhatBytesFind() throws {
        let parser = JSONParser()
        for text in Self.objects {
            let line = #"{"experience": {"persona1": "# + text + "}}"
            try Array(line.utf8).withUnsafeBytes { bytes in
                let document = try parser.parse(bytes).get()
                for object in 0..<document.nodes.count where document.kind(object) == .object {
                    for (a, b, sa, sb) in [
                        (KeyWords.name, KeyWords.username, "name", "username"),
                        (.persona1, .persona2, "persona1", "persona2"),
                    ] {
                        let expected = Array(sa.utf8).withUnsafeBytes { ra in
                            Array(sb.utf8).withUnsafeBytes { rb in PersonaValueCache.members(document, object, ra, rb) }
                        }
                        let escaped = document.memberKeys(object).contains { document.hasEscapes($0) }
                        if let found = PersonaValueCache.members(document, object, a, b) {
                            #expect(!escaped)
                            #expect(found.0 == expected.0 && found.1 == expected.1, "\(text) at \(object)")
                        } else {
                            #expect(escaped, "\(text) at \(object)")
                        }
                    }
                }
            }
        }
    }
}
