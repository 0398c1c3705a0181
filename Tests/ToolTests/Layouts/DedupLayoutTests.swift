import Foundation
import SOCTestSupport
import Testing

/// soc-dedup on OpenAI and ShareGPT chats: the text compared is the conversation's message text
/// (system prompts, roles and layout left out), so the same exchange is a duplicate in any layout.
@Suite struct DedupLayoutTests {
    static let input = LayoutFixtures.path("dedup/layouts.jsonl")

    @Test func theSameExchangeIsADuplicateWhateverItsLayoutOrSystemPrompt() throws {
        let dir = try TemporaryDirectory()
        let lines = try LayoutFixtures.lines("dedup/layouts.jsonl")
        let outcome = try ToolProcess.run(
            "soc-dedup",
            [Self.input, "--removed", dir.path("removed.jsonl"), "--clusters", dir.path("clusters.jsonl")])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutLines == [lines[0], lines[4], lines[6]])
        let clusters = try dir.read("clusters.jsonl").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let pairs = clusters.map { "\($0["id"] as! String)>\($0["kept_id"] as! String):\($0["reason"] as! String)" }
        #expect(
            pairs == [
                "a-other-system>a:exact_text", "a-as-parts>a:exact_text", "a-sharegpt>a:exact_text",
                "b-near>b:near_duplicate",
            ])
    }

    @Test func withLayoutSocNoneHasTextAsToday() throws {
        let outcome = try ToolProcess.run("soc-dedup", ["--layout", "soc", Self.input])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutLines == (try LayoutFixtures.lines("dedup/layouts.jsonl")))
    }
}
