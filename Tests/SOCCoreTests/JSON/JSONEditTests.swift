import Testing

@testable import SOCCore

@Suite struct JSONEditTests {
    @Test func splicesOnlyTheEditedValue() throws {
        let text = #"{"n": 1.50, "s": "old", "z": [1e2]}"#
        let edited = try withDocument(text) { doc in
            let s = doc.member(doc.root, "s")!
            let edit = JSONEdit.replaceString(in: doc, at: s, with: "new \"quoted\"\n\u{1}")
            return text.utf8.withContiguousStorageIfAvailable {
                JSONEdit.apply([edit], to: UnsafeRawBufferPointer($0))
            }!
        }
        #expect(String(decoding: edited, as: UTF8.self) == #"{"n": 1.50, "s": "new \"quoted\"\n\u0001", "z": [1e2]}"#)
    }

    @Test func escapedStringsRoundTripThroughTheParser() throws {
        let original = "tab\t quote\" backslash\\ nl\n bell\u{7} é 😀 \u{2028}"
        let quoted = JSONString.quoted(original)
        try withDocument(quoted) { doc in #expect(doc.string(doc.root) == original) }
    }

    @Test func valuesSerializeWithKeysInOrder() throws {
        let value = try JSONValue.parse(Array(#"{"b": [1, 2.50, null], "a": {"x": "y"}}"#.utf8)).get()
        #expect(value.serialized() == #"{"b":[1,2.50,null],"a":{"x":"y"}}"#)
    }
}
