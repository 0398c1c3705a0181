import Foundation
import SOCTestSupport
import Testing

/// soc-filter on OpenAI and ShareGPT chats: turns, messages and words as docs/formats.md defines
/// them (system messages out, a turn a run of one role, null and list-of-parts content).
@Suite struct FilterLayoutTests {
    static let input = LayoutFixtures.path("filter/layouts.jsonl")

    /// For each figure and each value the fixture holds, `--min-X v --max-X v` keeps exactly the
    /// records counted by hand to have v, byte-identical and in order; the others are removed.
    @Test(arguments: ["turns", "messages", "words"])
    func keepsExactlyTheRecordsWithEachCount(figure: String) throws {
        let records = try LayoutFixtures.counted()
        func value(_ record: LayoutFixtures.Counted) -> Int {
            switch figure {
            case "turns": return record.turns
            case "messages": return record.messages
            default: return record.words
            }
        }
        for target in Set(records.map(value)).sorted() {
            let outcome = try ToolProcess.run(
                "soc-filter", ["--min-\(figure)", "\(target)", "--max-\(figure)", "\(target)", Self.input])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let kept = records.filter { value($0) == target }.map(\.line)
            #expect(outcome.stdoutLines == kept, "\(figure) == \(target)")
        }
    }

    @Test func maxMessageCharsCountsAllTextPartsOfAMessage() throws {
        // "look at" + "this cat" is one message of 15 characters; the longest of o4's messages.
        let dir = try TemporaryDirectory()
        let line = try LayoutFixtures.lines("filter/layouts.jsonl").first { $0.contains("o4-null-and-parts") }!
        let input = try dir.write("in.jsonl", line + "\n")
        let at15 = try ToolProcess.run("soc-filter", ["--max-message-chars", "15", input])
        #expect(at15.stdoutLines == [line])
        let at14 = try ToolProcess.run(
            "soc-filter", ["--max-message-chars", "14", input, "--removed", dir.path("removed.jsonl")])
        #expect(at14.stdoutLines.isEmpty)
        #expect(at14.stderr.isEmpty)
        #expect(try dir.read("removed.jsonl") == line + "\n")
    }

    @Test func aChosenLayoutRejectsTheOthersAsNotAChat() throws {
        let dir = try TemporaryDirectory()
        let records = try LayoutFixtures.counted()
        let outcome = try ToolProcess.run(
            "soc-filter",
            ["--layout", "openai", Self.input, "--rejects", dir.path("rejects.jsonl"), "--report", dir.path("r.json")])
        #expect(outcome.status == 0)
        #expect(outcome.stdoutLines == records.filter { $0.layout == "openai" }.map(\.line))
        #expect(
            try dir.read("rejects.jsonl") == records.filter { $0.layout == "sharegpt" }.map { $0.line + "\n" }.joined())
        #expect(outcome.stderr.contains(": not_a_chat: $.messages: record has no messages array"))

        // --layout soc is today's soc-filter: none of these is a SOC chat.
        let soc = try ToolProcess.run("soc-filter", ["--layout", "soc", Self.input])
        #expect(soc.status == 1)
        #expect(soc.stdoutLines.isEmpty)
        #expect(soc.stderr.contains(": not_a_chat: $.chat_parts: record has no chat_parts array"))
    }

    @Test func aMessageWithoutARoleIsNotAChat() throws {
        let outcome = try ToolProcess.run(
            "soc-filter", [],
            stdin: Data(#"{"messages": [{"role": "user", "content": "hi"}, {"content": "no role"}]}"#.utf8 + [10]))
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("<stdin>:1: not_a_chat: $.messages[1]: message has no role string"))
    }
}
