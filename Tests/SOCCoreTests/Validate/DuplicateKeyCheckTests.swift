import Testing

@testable import SOCCore

/// A key given twice is found at any depth, after unescaping, by UTF-16 code units, in small
/// objects (pairwise) and large ones (a set).
@Suite struct DuplicateKeyCheckTests {
    func duplicate(_ json: String) throws -> String? {
        try withDocument(json) { document in
            DuplicateKeyCheck.firstDuplicate(in: document).map { DuplicateKeyCheck.path(to: $0, in: document) }
        }
    }

    @Test(arguments: [3, 16, 17, 200])
    func findsTheSecondOccurrenceInObjectsOfAnySize(size: Int) throws {
        let keys = (0..<size).map { #""k\#($0)":\#($0)"# }
        #expect(try duplicate("{" + keys.joined(separator: ",") + "}") == nil)
        #expect(try duplicate("{" + keys.joined(separator: ",") + #","k1":"again"}"#) == "$.k1")
        #expect(try duplicate(#"{"a":[{"b":{"# + keys.joined(separator: ",") + #","\u006b0":0}}]}"#) == "$.a[0].b.k0")
    }

    /// Objects are listed a block of nodes at a time: the first repeated key is found in
    /// whichever block it falls, and in document order.
    @Test(arguments: [1, 40, 42, 43, 44, 100, 300])
    func findsTheFirstAcrossBlocks(objects: Int) throws {
        let clean = Array(repeating: #"{"x":1,"y":[2,3]}"#, count: objects)
        #expect(try duplicate("[" + clean.joined(separator: ",") + "]") == nil)
        let late = clean + [#"{"x":1,"x":2}"#]
        #expect(try duplicate("[" + late.joined(separator: ",") + "]") == "$[\(objects)].x")
        let twice = clean + [#"{"y":1,"y":2}"#, #"{"x":1,"x":2}"#]
        #expect(try duplicate("[" + twice.joined(separator: ",") + "]") == "$[\(objects)].y")
    }

    @Test func comparesByCodeUnitsAfterUnescaping() throws {
        #expect(try duplicate(#"{"\ud800":1,"\udc00":2,"\ufffd":3,"�":4}"#) == #"$["�"]"#)
        #expect(try duplicate(#"{"\ud800":1,"\udc00":2,"\ufffd":3}"#) == nil)
        #expect(try duplicate(#"{"é":1,"e\u0301":2}"#) == nil)
        #expect(try duplicate(#"{"é":1,"\u00e9":2}"#) == #"$["é"]"#)
        #expect(try duplicate(#"{"a":{"x":1},"b":{"x":1}}"#) == nil)
        #expect(try duplicate(#"[{"x":1,"y":2},{"y":1,"x":2,"y":3}]"#) == "$[1].y")
    }
}
