import Foundation
import SOCTestSupport
import Testing

/// No value of any option may crash a tool (issue 11, item 8): with `--max-depth` raised to
/// 2,000,000, records nested 100,000 levels deep go through every walker (dedup's text, key and
/// id paths, stats, the other tools) without overflowing the stack.
@Suite struct DeepNestingTests {
    static let depth = 100_000

    /// `{"a":{"a":…"x y z w"…}}` and `[[…"x y"…]]`, 100,000 levels deep.
    static let deepObject =
        String(repeating: #"{"a":"#, count: depth) + #""one two three four""# + String(repeating: "}", count: depth)
    static let deepArray = String(repeating: "[", count: depth) + #""one two""# + String(repeating: "]", count: depth)

    static func input(_ dir: TemporaryDirectory) throws -> String {
        // A tab in the id makes dedup re-serialize it for --clusters.
        let tabbedID = "{\t\"a\":" + deepObject.dropFirst(5)
        return try dir.write(
            "deep.jsonl",
            """
            {"chat_id":\(tabbedID),"chat_parts":[{"sender":"a","messages":["hi there you",\(deepArray)]}],"x":\(deepObject)}
            {"id":"p","background":\(deepObject),"traits":[\(deepArray)]}
            {"id":"q","background":\(deepArray),"chatting_style":"a b c d"}
            {"id":"q","background":\(deepArray),"chatting_style":"a b c d"}
            \(deepArray)

            """)
    }

    @Test(arguments: [
        ["soc-dedup"],
        [
            "soc-dedup", "--text", "background", "--text", "chat_parts", "--id", "chat_id", "--key", "x", "--clusters",
            "CLUSTERS",
        ],
        ["soc-dedup", "sign", "--shard", "0", "--text", "background", "--key", "x"],
        ["soc-filter"], ["soc-scrub"], ["soc-stats"], ["soc-stats", "--format", "html"], ["soc-validate"],
    ])
    func deepRecordsDoNotCrash(command: [String]) throws {
        let dir = try TemporaryDirectory()
        let input = try Self.input(dir)
        let arguments = Array(command.dropFirst()).map { $0 == "CLUSTERS" ? dir.path("clusters.jsonl") : $0 }
        let outcome = try ToolProcess.run(
            command[0],
            arguments + [
                "--max-depth", "2000000", "--rejects", dir.path("rejects.jsonl"), "--report", dir.path("report.json"),
                input,
            ])
        #expect(outcome.status == 0, "\(command): \(outcome.stderr.suffix(500))")
        let report = try dir.readJSON("report.json")
        let read = report["read"] as? Int ?? -1
        let accounted =
            (report["written"] as? Int ?? 0) + (report["rejected"] as? Int ?? 0) + (report["removed"] as? Int ?? 0)
        #expect(read == 5 && accounted == 5, "\(report)")
        if command.contains("--clusters") {
            // The duplicate's id is the tabbed one, written compactly.
            let clusters = try dir.read("clusters.jsonl")
            #expect(clusters.isEmpty || clusters.hasPrefix("{"))
        }
    }

    @Test func hugeDepthLimitsAreHarmless() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.deepArray + "\n")
        for tool in ["soc-filter", "soc-stats", "soc-validate", "soc-scrub", "soc-dedup"] {
            let outcome = try ToolProcess.run(
                tool, ["--max-depth", "9223372036854775807", "--rejects", "/dev/null", input])
            #expect(outcome.status == 0, "\(tool): \(outcome.stderr.suffix(300))")
        }
    }
}
