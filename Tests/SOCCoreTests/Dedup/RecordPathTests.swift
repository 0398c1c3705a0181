import Testing

@testable import SOCCore

@Suite struct RecordPathTests {
    func matches(_ path: String, _ json: String) throws -> [String] {
        let path = try RecordPath(path)
        return try withDocument(json) { document in
            var found: [String] = []
            path.forEachMatch(in: document) { found.append(String(decoding: document.raw($0), as: UTF8.self)) }
            return found
        }
    }

    @Test func parsesMembersIndicesAndWildcards() throws {
        #expect(try RecordPath("chat_id").steps == [.member("chat_id")])
        #expect(try RecordPath("$.a.b[2]").steps == [.member("a"), .member("b"), .index(2)])
        #expect(try RecordPath("a[*].b").steps == [.member("a"), .all, .member("b")])
        #expect(try RecordPath(#"["a.b"].c"#).steps == [.member("a.b"), .member("c")])
        for bad in ["", "a.", "a[", "a[x]", "a..b", "$"] {
            #expect(throws: RecordPathError.self, "\(bad)") { try RecordPath(bad) }
        }
    }

    @Test func resolvesInDocumentOrder() throws {
        let json = #"{"p":[{"m":["x","y"]},{"m":["z"]},{"n":1}],"k":{"a.b":true}}"#
        #expect(try matches("p[*].m[*]", json) == [#""x""#, #""y""#, #""z""#])
        #expect(try matches("p[1].m", json) == [#"["z"]"#])
        #expect(try matches("p[5]", json) == [])
        #expect(try matches(#"k["a.b"]"#, json) == ["true"])
    }

    @Test func nestedWildcardsKeepDocumentOrder() throws {
        let json = #"{"a":[[1,2],[3],[],[4,[5]]],"b":[{"c":[6,7]},{"c":8},{"d":9},{"c":[10]}]}"#
        #expect(try matches("a[*][*]", json) == ["1", "2", "3", "4", "[5]"])
        #expect(try matches("b[*].c[*]", json) == ["6", "7", "10"])
        #expect(try matches("b[*].c", json) == ["[6,7]", "8", "[10]"])
    }

    /// A path of any length is followed step by step, not by recursion (issue 11, item 8).
    @Test func aMillionStepPathDoesNotOverflowTheStack() throws {
        let depth = 1_000_000
        let path = try RecordPath(Array(repeating: "a", count: depth).joined(separator: "."))
        #expect(path.steps.count == depth)
        let json = String(repeating: #"{"a":"#, count: 1000) + "1" + String(repeating: "}", count: 1000)
        try withDocument(json, maxDepth: 2000) { document in
            var found = 0
            path.forEachMatch(in: document) { _ in found += 1 }
            #expect(found == 0)
            let short = try RecordPath(Array(repeating: "a", count: 1000).joined(separator: "."))
            #expect(short.first(in: document).map { String(decoding: document.raw($0), as: UTF8.self) } == "1")
        }
    }
}
