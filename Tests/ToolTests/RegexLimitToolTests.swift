import Foundation
import SOCTestSupport
import Testing

/// A regex PCRE2 cannot finish is a diagnosis, end to end: the record is rejected with its own
/// reason code, counted in the report and shown on stderr, never passed as "no match".
@Suite struct RegexLimitToolTests {
    static let evilText = String(repeating: "x", count: 40) + "!y"

    @Test func scrubRejectsARecordAUserRuleCannotFinishOn() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.write("evil.rules", "[evil]\npattern: (x+x+)+y\n")
        let good =
            #"{"chat_id": "a", "chat_parts": [{"sender": "a", "messages": ["fine"]}, {"sender": "b", "messages": ["ok"]}]}"#
        let bad =
            #"{"chat_id": "b", "chat_parts": [{"sender": "a", "messages": ["\#(Self.evilText)"]}, {"sender": "b", "messages": ["ok"]}]}"#
        let input = try dir.write("in.jsonl", good + "\n" + bad + "\n")
        let run = try ToolProcess.run("soc-scrub", ["--rules", rules, input, "--report", dir.path("r.json")])
        #expect(run.status == 1)
        #expect(run.stdoutLines == [good])
        #expect(
            run.stderr.contains("\(input):2: regex_limit: $.chat_parts[0].messages[0]: rule 'evil' could not finish"))
        let report = try dir.readJSON("r.json")
        #expect(report["reasons"] as? [String: Int] == ["regex_limit": 1])
        #expect(report["rejected"] as? Int == 1)
    }

    @Test func validateReportsAPatternItCannotDecide() throws {
        let dir = try TemporaryDirectory()
        let schema = try dir.write("s.json", #"{"properties": {"t": {"not": {"pattern": "(x+x+)+y"}}}}"#)
        let input = try dir.write(
            "in.jsonl", #"{"t": "xxy"}"# + "\n" + #"{"t": "\#(Self.evilText)"}"# + "\n" + #"{"t": "ok"}"# + "\n")
        let run = try ToolProcess.run("soc-validate", ["--schema", schema, input, "--report", dir.path("r.json")])
        #expect(run.status == 1)
        #expect(run.stdoutLines == [#"{"t": "ok"}"#])
        #expect(run.stderr.contains("\(input):2: schema_pattern_limit: $.t:"))
        #expect(
            try dir.readJSON("r.json")["reasons"] as? [String: Int] == ["schema_not": 1, "schema_pattern_limit": 1])
    }

    @Test func theReadmePipelineOutputPassesCheck() throws {
        // validate | scrub | validate --check: scrub leaves nothing soc-validate rejects.
        let raw = Repository.root.appendingPathComponent("examples/raw.jsonl").path
        let bank = Repository.root.appendingPathComponent("examples/personas.jsonl").path
        let run = try ToolProcess.shell(
            "soc-validate --personas '\(bank)' --rejects /dev/null '\(raw)' | soc-scrub | soc-validate --personas '\(bank)' --check"
        )
        #expect(run.status == 0, "\(run.stderr)")
    }
}
