import Testing

@testable import SOCCore

/// The iterative walkers agree with the materialized value, and go as deep as the parser does.
@Suite struct JSONWalkTests {
    static let samples = [
        #"{"a":[1,{"b":"x\u00e9","c":[]},{}],"d":"y","e":{"f":{"g":[true,false,null,-1.5e3]}}}"#,
        #"[ "a" , [ [ ] ] , { "k" : "v\n" } , 12345678901234567890123 ]"#,
        #""just a string""#, "42", #"{"x":{"y":{"z":"\ud800\ud83d\ude00"}}}"#,
    ]

    @Test(arguments: samples)
    func compactTextEqualsTheSerializedValue(text: String) throws {
        try withDocument(text) { document in
            #expect(String(decoding: document.compactText(0), as: UTF8.self) == document.value().serialized())
        }
    }

    @Test func stringsComeInDocumentOrderWithoutKeys() throws {
        try withDocument(#"{"k1":"a","k2":["b",{"k3":"c"}],"k4":"d"}"#) { document in
            var found: [String] = []
            document.forEachString(in: 0) { found.append(document.string($0)!) }
            #expect(found == ["a", "b", "c", "d"])
        }
    }

    @Test func repeatedKeysMaterializeAsTheLastValueInTheFirstPlace() throws {
        try withDocument(#"{"a":1,"b":2,"\u0061":3}"#) { document in
            #expect(document.value().serialized() == #"{"a":3,"b":2}"#)
            #expect(document.member(0, "a").map { document.raw($0).count } == 1)
            #expect(document.integer(document.member(0, "a")!) == 3)
        }
    }

    @Test func walkersGoAsDeepAsTheParser() throws {
        let depth = 200_000
        let text = String(repeating: #"{"a":["#, count: depth) + #""deep""# + String(repeating: "]}", count: depth)
        try withDocument(text, maxDepth: 2 * depth + 1) { document in
            var strings = 0
            document.forEachString(in: 0) { _ in strings += 1 }
            #expect(strings == 1)
            #expect(document.compactText(0).count == text.utf8.count)
        }
    }
}
