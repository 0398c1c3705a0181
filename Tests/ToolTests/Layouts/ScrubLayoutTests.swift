import Foundation
import SOCTestSupport
import Testing

/// soc-scrub on OpenAI and ShareGPT chats (Tests/Fixtures/scrub/layouts.jsonl): the tag rules on
/// every conversation message, the label rule only where the record names its speakers, splits
/// as copies of the message, system messages and unchanged records left byte for byte.
@Suite struct ScrubLayoutTests {
    static let input = LayoutFixtures.path("scrub/layouts.jsonl")

    @Test func writesTheExpectedRecordsAndRejectsAnEmptiedChat() throws {
        let dir = try TemporaryDirectory()
        let outcome = try ToolProcess.run(
            "soc-scrub",
            [
                Self.input, "--rejects", dir.path("rejects.jsonl"), "--audit", dir.path("audit.jsonl"),
                "--report", dir.path("report.json"),
            ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let expected = try LayoutFixtures.lines("scrub/layouts.expected.jsonl")
        #expect(outcome.stdoutLines == expected)
        let input = try LayoutFixtures.lines("scrub/layouts.jsonl")
        let emptied = input.first { $0.contains(#""id": "emptied""#) }!
        #expect(try dir.read("rejects.jsonl") == emptied + "\n")
        #expect(outcome.stderr.contains("layouts.jsonl:6: emptied_by_scrub: $.messages: scrubbing leaves 1 turn"))

        // Records no rule changes leave byte for byte: without names, labels are text.
        for id in ["unnamed-labels-stay", "sharegpt-clean"] {
            let line = input.first { $0.contains(#""id": "\#(id)""#) }!
            #expect(outcome.stdoutLines.contains(line), "\(id)")
        }
        // The system message keeps its label and its glued tag.
        #expect(
            outcome.stdoutLines[0].contains(#""content": "Elias: keep <image>x</image> this system text as it is""#))

        let report = try dir.readJSON("report.json")
        #expect(report["modified"] as? Int == 6)
        #expect(report["dropped_messages"] as? Int == 1)
        let changes = report["changes"] as? [String: Int] ?? [:]
        #expect(changes["speaker-label"] == 4)
        #expect(changes["tag-media-caption"] == 2)
        #expect(changes["tag-audio-delay"] == 2)

        // The audit names the message's position in the list (and the part of a list content).
        let audit = try dir.read("audit.jsonl").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let listSplit = audit.first {
            $0["id"] as? String == "list-parts" && $0["rule"] as? String == "tag-audio-delay"
        }
        #expect(listSplit?["part"] as? Int == 0)
        #expect(listSplit?["message"] as? Int == 0)
        #expect(listSplit?["after"] as? [String] == ["listen", "<audio>a song</audio>"])
    }

    @Test func theOutputIsValidAndAStableFixedPoint() throws {
        let dir = try TemporaryDirectory()
        let once = try ToolProcess.run(
            "soc-scrub", [Self.input, "--rejects", dir.path("r.jsonl"), "-o", dir.path("once.jsonl")])
        #expect(once.status == 0, "\(once.stderr)")
        let twice = try ToolProcess.run("soc-scrub", [dir.path("once.jsonl")])
        #expect(twice.status == 0)
        #expect(twice.stdout == (try Data(contentsOf: URL(fileURLWithPath: dir.path("once.jsonl")))))
        // soc-validate accepts everything scrub wrote except the chats it cannot fix (none here).
        let valid = try ToolProcess.run("soc-validate", [dir.path("once.jsonl")])
        #expect(valid.status == 0, "\(valid.stderr)")
    }

    @Test func aChosenLayoutLeavesOtherLayoutsAsNotAChat() throws {
        let dir = try TemporaryDirectory()
        let outcome = try ToolProcess.run(
            "soc-scrub", ["--layout", "sharegpt", Self.input, "--rejects", dir.path("rejects.jsonl")])
        #expect(outcome.status == 0)
        #expect(outcome.stdoutLines.count == 2)
        #expect(outcome.stderr.contains("not_a_chat"))
    }
}
