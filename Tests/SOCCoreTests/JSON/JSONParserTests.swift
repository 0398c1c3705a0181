import Testing

@testable import SOCCore

@Suite struct JSONParserTests {
    @Test func recordsSpansOfEveryValue() throws {
        let text = #"{"a": [1, -2.5e3, "x\"y"], "b": {"c": null}, "d": true}"#
        try withDocument(text) { doc in
            let a = try #require(doc.member(doc.root, "a"))
            #expect(doc.kind(a) == .array)
            #expect(doc.count(a) == 3)
            let items = Array(doc.elements(a))
            #expect(String(decoding: doc.raw(items[1]), as: UTF8.self) == "-2.5e3")
            #expect(doc.string(items[2]) == "x\"y")
            #expect(String(decoding: doc.raw(items[2]), as: UTF8.self) == #""x\"y""#)
            let b = try #require(doc.member(doc.root, "b"))
            #expect(doc.kind(try #require(doc.member(b, "c"))) == .null)
            #expect(doc.bool(try #require(doc.member(doc.root, "d"))) == true)
            #expect(doc.member(doc.root, "zzz") == nil)
            #expect(doc.span(doc.root) == 0..<text.utf8.count)
        }
    }

    @Test func memberKeysFollowOrderAndSkipSubtrees() throws {
        try withDocument(#"{"z": {"deep": [1, {"x": 2}]}, "a": 1, "m": []}"#) { doc in
            let keys = doc.memberKeys(doc.root).map { doc.string($0)! }
            #expect(keys == ["z", "a", "m"])
        }
    }

    @Test func numbersAsIntegersAndDoubles() throws {
        try withDocument("[0, -17, 42.0, 1e2, 3.5, 123456789012345678901]") { doc in
            let values = Array(doc.elements(doc.root))
            #expect(doc.integer(values[0]) == 0)
            #expect(doc.integer(values[1]) == -17)
            #expect(doc.integer(values[2]) == 42)
            #expect(doc.integer(values[3]) == 100)
            #expect(doc.integer(values[4]) == nil)
            #expect(doc.double(values[4]) == 3.5)
            #expect(doc.integer(values[5]) == nil)
        }
    }

    @Test func unescapesStringsIncludingSurrogatePairs() throws {
        try withDocument(#"["a\nb\t\u00e9\ud83d\ude00\/", "\ud800"]"#) { doc in
            let values = Array(doc.elements(doc.root))
            #expect(doc.string(values[0]) == "a\nb\té😀/")
            #expect(doc.string(values[1]) == "\u{FFFD}")
        }
    }

    @Test(arguments: [
        "{\"a\":1,}", "[1,]", "[01]", "[NaN]", "// c\n{}", "{'a':1}", "[1 2]", "{\"a\" 1}", "tru",
        "\"abc", "[\"\u{01}\"]", "[-]", "[1.]", "[1e]", "{} {}", "", "   ", "[\"\\x\"]", "[\"\\u12\"]",
    ])
    func rejectsMalformedJSON(_ text: String) {
        #expect(parseError(Array(text.utf8))?.code == .malformedJSON)
    }

    @Test func rejectsInvalidUTF8WithItsOwnCode() {
        #expect(parseError([0x22, 0xC3, 0x28, 0x22])?.code == .invalidUTF8)
        #expect(parseError([0x22, 0xED, 0xA0, 0x80, 0x22])?.code == .invalidUTF8, "encoded surrogate")
        #expect(parseError([0x22, 0xF0, 0x9F, 0x98, 0x22])?.code == .invalidUTF8, "truncated sequence")
        #expect(parseError([0x5B, 0xFF, 0x5D])?.code == .invalidUTF8, "outside a string")
        #expect(parseError(Array("\"é😀\"".utf8)) == nil)
    }

    @Test func deepNestingIsRejectedNotACrash() {
        let deep = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(parseError(deep)?.code == .tooDeep)
        let nested = Array((String(repeating: "[", count: 512) + String(repeating: "]", count: 512)).utf8)
        #expect(parseError(nested, maxDepth: 512) == nil)
        #expect(parseError(nested, maxDepth: 511)?.code == .tooDeep)
    }

    @Test func longStringsCrossTheWordAtATimeScanner() throws {
        // Quotes, backslashes and non-ASCII at every offset modulo 8.
        for offset in 0..<16 {
            let body = String(repeating: "a", count: offset) + "é\\\"" + String(repeating: "b", count: 9)
            try withDocument("[\"\(body)\"]") { doc in
                let s = Array(doc.elements(doc.root))[0]
                #expect(
                    doc.string(s) == String(repeating: "a", count: offset) + "é\"" + String(repeating: "b", count: 9))
            }
        }
    }

    @Test func scalarsAtTopLevelAndSurroundingWhitespace() throws {
        try withDocument("  \"x\"  ") { doc in #expect(doc.string(doc.root) == "x") }
        try withDocument("7") { doc in #expect(doc.integer(doc.root) == 7) }
    }

    @Test func parserIsReusableAcrossLines() throws {
        let parser = JSONParser()
        for k in 0..<100 {
            let text = Array("{\"k\": \(k), \"pad\": [\(String(repeating: "1,", count: k))1]}".utf8)
            let value = text.withUnsafeBytes { raw -> Int? in
                guard case .success(let doc) = parser.parse(raw) else { return nil }
                return doc.integer(doc.member(doc.root, "k")!)
            }
            #expect(value == k)
        }
    }
}
