import Foundation
import SOCTestSupport
import Testing

/// The README's pipeline on the shipped sample, as scripts/demo.sh runs it.
@Suite struct PipelineTests {
    @Test func examplesCleanThroughTheWholePipeline() throws {
        let dir = try TemporaryDirectory()
        let examples = Repository.root.appendingPathComponent("examples").path
        let run = try ToolProcess.shell(
            """
            set -o pipefail
            soc-validate '\(examples)/raw.jsonl' --personas '\(examples)/personas.jsonl' --rejects v.rej --report v.json \
              | soc-scrub --report s.json \
              | soc-dedup --key chat_id --removed d.removed --report d.json \
              | soc-filter --min-turns 4 --report f.json -o clean.jsonl
            soc-stats clean.jsonl --format json -o stats.json --require 'records>=50'
            """, in: dir.url)
        #expect(run.status == 0, "\(run.stderr)")
        func counts(_ name: String) throws -> [Int] {
            let report = try dir.readJSON(name)
            return ["read", "written", "rejected", "removed", "modified"].map { report[$0] as? Int ?? -1 }
        }
        let rawLines = try String(contentsOfFile: "\(examples)/raw.jsonl", encoding: .utf8).split(separator: "\n").count
        // validate: the malformed line, the too-short chat, the early <end/>, the exact copy and the
        // reused chat_id are rejected; scrub changes the chats with planted labels and glued tags;
        // dedup removes the planted near duplicate.
        #expect(try counts("v.json") == [rawLines, rawLines - 5, 5, 0, 0])
        let scrub = try counts("s.json")
        #expect(scrub[0] == rawLines - 5 && scrub[1] == scrub[0] && scrub[4] > 20)
        #expect(try counts("d.json") == [rawLines - 5, rawLines - 6, 0, 1, 0])
        #expect(try (dir.readJSON("d.json")["reasons"] as? [String: Int]) == ["near_duplicate": 1])
        #expect(try counts("f.json")[1] == 50)
        let stats = try dir.readJSON("stats.json")
        #expect(stats["records"] as? Int == 50)
        #expect(stats["chats"] as? Int == 50)
    }
}
