import Foundation
import SOCTestSupport
import Testing

/// soc-stats on OpenAI and ShareGPT chats: each is a chat, and its turns, messages and words are
/// those counted by hand in the fixture.
@Suite struct StatsLayoutTests {
    @Test func reportsTheTurnsMessagesAndWordsOfEachLayout() throws {
        let records = try LayoutFixtures.counted()
        let outcome = try ToolProcess.run(
            "soc-stats", ["--format", "json", LayoutFixtures.path("filter/layouts.jsonl")])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let stats = try JSONSerialization.jsonObject(with: outcome.stdout) as! [String: Any]
        #expect(stats["chats"] as? Int == records.count)
        #expect(stats["messages"] as? Int == records.map(\.messages).reduce(0, +))
        let turns = stats["turns"] as! [String: Any]
        #expect(turns["sum"] as? Int == records.map(\.turns).reduce(0, +))
        #expect(turns["min"] as? Int == records.map(\.turns).min())
        #expect(turns["max"] as? Int == records.map(\.turns).max())
        let words = stats["words_per_chat"] as! [String: Any]
        #expect(words["sum"] as? Int == records.map(\.words).reduce(0, +))
        #expect(words["n"] as? Int == records.count)
        // A message with text: null content (two in o4, one in s3) and o6's only message have none.
        let perMessage = stats["words_per_message"] as! [String: Any]
        #expect(perMessage["n"] as? Int == records.map(\.messages).reduce(0, +) - 3)
    }

    @Test func withLayoutSocTheyAreOtherRecordsAsToday() throws {
        let outcome = try ToolProcess.run(
            "soc-stats", ["--format", "json", "--layout", "soc", LayoutFixtures.path("filter/layouts.jsonl")])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let stats = try JSONSerialization.jsonObject(with: outcome.stdout) as! [String: Any]
        #expect(stats["chats"] as? Int == 0)
        let other = stats["other"] as! [String: Any]
        let count = try LayoutFixtures.counted().count
        #expect(other["records"] as? Int == count)
    }

    @Test func countsTagsInTextParts() throws {
        let line =
            #"{"messages": [{"role": "user", "content": [{"type": "text", "text": "see"}, {"type": "text", "text": "<image>a cat</image>"}]}, {"role": "assistant", "content": "nice <end/>"}]}"#
        let outcome = try ToolProcess.run("soc-stats", ["--format", "json"], stdin: Data((line + "\n").utf8))
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let stats = try JSONSerialization.jsonObject(with: outcome.stdout) as! [String: Any]
        let tags = stats["tags"] as! [String: Any]
        let image = tags["image"] as! [String: Any]
        #expect(image["occurrences"] as? Int == 1)
        #expect(image["messages"] as? Int == 1)
        let end = tags["end"] as! [String: Any]
        #expect(end["at_end_chats"] as? Int == 1)
        #expect(end["in_last_part_chats"] as? Int == 1)
        #expect(stats["messages"] as? Int == 2)
    }
}
