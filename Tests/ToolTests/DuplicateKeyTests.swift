import Foundation
import SOCTestSupport
import Testing

/// Duplicate keys (issue 11, item 10): every tool reads the last occurrence, as Python's
/// `json.loads` and jq do; soc-validate rejects the record as `duplicate_key`, at any depth,
/// keys compared after unescaping, with or without --schema.
@Suite struct DuplicateKeyTests {
    static let personas = #""experience":{"persona1":{"name":"Ann","id":"a"},"persona2":{"name":"Bob","id":"b"}}"#
    static func parts(_ n: Int) -> String {
        "["
            + (0..<n).map { k in #"{"sender":"\#(k % 2 == 0 ? "a" : "b")","messages":["hello there friend"]}"# }.joined(
                separator: ",") + "]"
    }

    @Test func filterReadsTheLastChatParts() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write(
            "in.jsonl",
            """
            {"chat_id":"a_b_1",\(Self.personas),"chat_parts":\(Self.parts(1)),"chat_parts":\(Self.parts(4))}
            {"chat_id":"a_b_2",\(Self.personas),"chat_parts":\(Self.parts(4)),"chat_parts":\(Self.parts(1))}

            """)
        let outcome = try ToolProcess.run("soc-filter", [input, "--min-turns", "3"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutLines.count == 1)
        #expect(outcome.stdoutText.contains("a_b_1"))
    }

    @Test func statsCountsTheLastValueOnce() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write(
            "in.jsonl",
            """
            {"id":"p","age":20,"traits":["x"],"age":40,"tr\\u0061its":["y","z"]}
            {"k":1,"k":"s","other":true}

            """)
        let outcome = try ToolProcess.run("soc-stats", [input, "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let json = try JSONSerialization.jsonObject(with: outcome.stdout) as! [String: Any]
        let spb = json["spb"] as! [String: Any]
        let age = spb["age"] as! [String: Any]
        #expect(age["n"] as? Int == 1)
        #expect(age["max"] as? Double == 40)
        let traits = spb["traits_per_persona"] as! [String: Any]
        #expect(traits["max"] as? Double == 2)
        let text = outcome.stdoutText
        #expect(!text.contains("\"x\""), "the first traits list is not read")
        let other = json["other"] as! [String: Any]
        let keys = try #require(other["keys"] as? [String: Any])
        #expect(keys["total"] as? Int == 2, "k once, other once: \(keys)")
        #expect((other["types"] as? [String: Any])?["k"] as? [String: Int] == ["string": 1])
    }

    @Test func dedupKeysOnTheLastValue() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write(
            "in.jsonl", #"{"id":"a","id":"b","t":"one"}"# + "\n" + #"{"id":"b","t":"two"}"# + "\n")
        let outcome = try ToolProcess.run("soc-dedup", [input, "--key", "id", "--no-near"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutLines.count == 1)
    }

    @Test func scrubEditsTheChatPartsItReads() throws {
        let dir = try TemporaryDirectory()
        let label = #"[{"sender":"a","messages":["Ann: hi there"]},{"sender":"b","messages":["hey you"]}]"#
        let input = try dir.write(
            "in.jsonl",
            #"{"chat_id":"a_b_1",\#(Self.personas),"chat_parts":\#(Self.parts(2)),"chat_parts":\#(label)}"# + "\n")
        let outcome = try ToolProcess.run("soc-scrub", [input])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(!outcome.stdoutText.contains("Ann: hi"))
        #expect(outcome.stdoutText.contains("\"hi there\""))
    }

    @Test(arguments: [[], ["--schema", "SCHEMA"]])
    func validateRejectsARepeatedKeyAtAnyDepth(extra: [String]) throws {
        let dir = try TemporaryDirectory()
        let schema = try dir.write("schema.json", "{}")
        let arguments = extra.map { $0 == "SCHEMA" ? schema : $0 }
        let input = try dir.write(
            "in.jsonl",
            """
            {"id":"a","name":"A","id":"b"}
            {"x":{"y":[1,{"k":1,"\\u006b":2}]}}
            {"x":{"\\ud800":1,"\\udc00":2,"\\ufffd":3,"e\\u0301":4,"é":5}}

            """)
        let outcome = try ToolProcess.run(
            "soc-validate",
            [input, "--kind", "spb", "--rejects", dir.path("rejects.jsonl"), "--report", dir.path("report.json")]
                + arguments)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stderr.contains("in.jsonl:1: duplicate_key: $.id: key \"id\" is given twice"))
        #expect(outcome.stderr.contains("in.jsonl:2: duplicate_key: $.x.y[1].k: key \"k\" is given twice"))
        #expect(!outcome.stderr.contains("in.jsonl:3: duplicate_key"))
        let report = try dir.readJSON("report.json")
        #expect((report["reasons"] as? [String: Any])?["duplicate_key"] as? Int == 2)
    }
}
