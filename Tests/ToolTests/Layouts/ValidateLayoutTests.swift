import Foundation
import SOCTestSupport
import Testing

/// soc-validate on OpenAI and ShareGPT chats: the bundled schema of each layout and the chat
/// checks that apply to them (Tests/Fixtures/validate/layouts.jsonl, layouts-expected.tsv).
@Suite struct ValidateLayoutTests {
    static let input = LayoutFixtures.path("validate/layouts.jsonl")

    @Test func eachRecordGetsItsExpectedFirstCodeAndPath() throws {
        let dir = try TemporaryDirectory()
        let outcome = try ToolProcess.run(
            "soc-validate", [Self.input, "--rejects", dir.path("bad.jsonl"), "--errors", dir.path("errors.jsonl")])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = try LayoutFixtures.lines("validate/layouts.jsonl")
        let expected = try LayoutFixtures.lines("validate/layouts-expected.tsv").map {
            $0.split(separator: "\t").map(String.init)
        }
        #expect(expected.count == lines.count)
        let good = zip(lines, expected).filter { $0.1[1] == "ok" }.map(\.0)
        #expect(outcome.stdoutLines == good)
        for row in expected where row[1] != "ok" {
            #expect(
                outcome.stderr.contains("layouts.jsonl:\(row[0]): \(row[1]): \(row[2]): "),
                "line \(row[0]) should be \(row[1]) at \(row[2])")
        }
    }

    @Test func kindStillChoosesChatOrPersonaAndLayoutChoosesTheChatSchema() throws {
        let good = try LayoutFixtures.lines("validate/layouts.jsonl")[1]  // a ShareGPT chat
        let stdin = Data((good + "\n").utf8)
        let auto = try ToolProcess.run("soc-validate", [], stdin: stdin)
        #expect(auto.status == 0, "\(auto.stderr)")
        let asChat = try ToolProcess.run("soc-validate", ["--kind", "soc"], stdin: stdin)
        #expect(asChat.status == 0, "\(asChat.stderr)")
        let asPersona = try ToolProcess.run("soc-validate", ["--kind", "spb"], stdin: stdin)
        #expect(asPersona.status == 1)
        #expect(asPersona.stderr.contains("schema_required"))
        // Under --layout openai a ShareGPT record is no chat; as a chat it gets OpenAI's schema.
        let asOpenAI = try ToolProcess.run("soc-validate", ["--layout", "openai"], stdin: stdin)
        #expect(asOpenAI.status == 1)
        #expect(asOpenAI.stderr.contains("unknown_kind: $: record is an object with no chat key (messages)"))
        let asOpenAIChat = try ToolProcess.run("soc-validate", ["--layout", "openai", "--kind", "soc"], stdin: stdin)
        #expect(asOpenAIChat.status == 1)
        #expect(asOpenAIChat.stderr.contains(#"schema_required: $: missing required property "messages""#))
        let asSOC = try ToolProcess.run("soc-validate", ["--layout", "soc"], stdin: stdin)
        #expect(asSOC.stderr.contains("unknown_kind"))
    }
}
