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
}
