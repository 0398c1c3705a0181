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

    @Test func countsMessagesByRoleAndMergesThem() throws {
        let dir = try TemporaryDirectory()
        let lines = try LayoutFixtures.lines("filter/layouts.jsonl")
        let first = try dir.write("a.jsonl", lines.prefix(4).joined(separator: "\n") + "\n")
        let second = try dir.write("b.jsonl", lines.dropFirst(4).joined(separator: "\n") + "\n")
        let whole = try ToolProcess.run("soc-stats", ["--format", "json", first, second, "-o", dir.path("all.json")])
        #expect(whole.status == 0, "\(whole.stderr)")
        let stats = try dir.readJSON("all.json")
        let speakers = stats["speakers"] as! [String: Any]
        #expect(speakers["flat_chats"] as? Int == lines.count)
        let roles = (speakers["roles"] as! [String: Any])["values"] as! [[String: Any]]
        var byRole: [String: Int] = [:]
        for entry in roles { byRole[entry["value"] as! String] = entry["count"] as? Int }
        // Counted from the fixture (by a Python one-liner): system and developer messages are not there.
        #expect(byRole == ["user": 8, "assistant": 7, "tool": 1, "human": 5, "gpt": 3])
        #expect(speakers["persona1_messages"] as? Int == 0)
        #expect(speakers["other_messages"] as? Int == 0)

        // Shards merge to the same figures.
        for (k, shard) in [first, second].enumerated() {
            let one = try ToolProcess.run("soc-stats", ["--format", "json", shard, "-o", dir.path("\(k).json")])
            #expect(one.status == 0)
        }
        let merged = try ToolProcess.run(
            "soc-stats", ["merge", dir.path("0.json"), dir.path("1.json"), "-o", dir.path("merged.json")])
        #expect(merged.status == 0, "\(merged.stderr)")
        let mergedSpeakers = try dir.readJSON("merged.json")["speakers"] as! [String: Any]
        #expect(mergedSpeakers["flat_chats"] as? Int == lines.count)
        #expect(
            NSDictionary(dictionary: mergedSpeakers["roles"] as! [String: Any])
                == NSDictionary(dictionary: speakers["roles"] as! [String: Any]))

        // The Markdown shows roles, not persona shares, for a file of flat chats only.
        let markdown = try ToolProcess.run("soc-stats", [first, second])
        #expect(markdown.stdoutText.contains("| Messages by role (OpenAI / ShareGPT) | Count | Share |"))
        #expect(markdown.stdoutText.contains("| user | 8 |"))
        #expect(!markdown.stdoutText.contains("Messages by persona1"))
    }
}
