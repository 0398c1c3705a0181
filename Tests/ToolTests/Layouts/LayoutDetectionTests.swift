import Foundation
import SOCTestSupport
import Testing

/// `--layout auto` (the default) tells each record's layout by its keys, so one file may mix SOC,
/// OpenAI and ShareGPT chats; SOC records come out as they do with `--layout soc`.
@Suite struct LayoutDetectionTests {
    /// examples/raw.jsonl's SOC chats with the filter fixture's OpenAI and ShareGPT records between them.
    static func mixed(in dir: TemporaryDirectory) throws -> (path: String, soc: [String], flat: [String]) {
        let soc = try String(
            contentsOf: Repository.root.appendingPathComponent("examples/raw.jsonl"), encoding: .utf8
        ).split(separator: "\n").map(String.init).filter { $0.contains("\"chat_parts\"") }.prefix(12)
        let flat = try LayoutFixtures.counted().filter { $0.turns >= 2 }.map(\.line)
        var lines: [String] = []
        for (k, line) in soc.enumerated() {
            lines.append(line)
            if k < flat.count { lines.append(flat[k]) }
        }
        return (try dir.write("mixed.jsonl", lines.joined(separator: "\n") + "\n"), Array(soc), flat)
    }

    @Test func eachToolReadsAMixedFileAndTreatsSOCRecordsAsWithLayoutSoc() throws {
        let dir = try TemporaryDirectory()
        let (path, soc, flat) = try Self.mixed(in: dir)
        let socOnly = try dir.write("soc.jsonl", soc.joined(separator: "\n") + "\n")

        // soc-filter: every chat of 2+ turns is kept, the SOC ones exactly as alone.
        let filtered = try ToolProcess.run("soc-filter", ["--min-turns", "2", path, "--rejects", dir.path("r1")])
        let socFiltered = try ToolProcess.run("soc-filter", ["--layout", "soc", "--min-turns", "2", socOnly])
        #expect(filtered.status == 0 && socFiltered.status == 0)
        #expect(filtered.stdoutLines.filter { $0.contains("\"chat_parts\"") } == socFiltered.stdoutLines)
        #expect(filtered.stdoutLines.filter { !$0.contains("\"chat_parts\"") } == flat)

        // soc-scrub: SOC records scrubbed as alone, in the same order.
        let scrubbed = try ToolProcess.run("soc-scrub", [path, "--rejects", dir.path("r2")])
        let socScrubbed = try ToolProcess.run("soc-scrub", ["--layout", "soc", socOnly, "--rejects", dir.path("r3")])
        #expect(scrubbed.stdoutLines.filter { $0.contains("\"chat_parts\"") } == socScrubbed.stdoutLines)

        // soc-stats: as many chats as SOC and flat records.
        let stats = try ToolProcess.run("soc-stats", ["--format", "json", path])
        let figures = try JSONSerialization.jsonObject(with: stats.stdout) as! [String: Any]
        #expect(figures["chats"] as? Int == soc.count + min(flat.count, soc.count))

        // soc-validate: every flat record here is valid; SOC records as alone.
        let validated = try ToolProcess.run("soc-validate", [path, "--rejects", dir.path("r4")])
        let socValidated = try ToolProcess.run(
            "soc-validate", ["--layout", "soc", socOnly, "--rejects", dir.path("r5")])
        #expect(validated.stdoutLines.filter { $0.contains("\"chat_parts\"") } == socValidated.stdoutLines)
        #expect(validated.stdoutLines.filter { !$0.contains("\"chat_parts\"") } == flat)
    }

    @Test func anUnknownLayoutIsAUsageError() throws {
        for tool in ["soc-filter", "soc-stats", "soc-dedup", "soc-scrub", "soc-validate"] {
            let outcome = try ToolProcess.run(tool, ["--layout", "alpaca"])
            #expect(outcome.status == 2, "\(tool)")
            #expect(outcome.stderr.contains("alpaca"), "\(tool)")
        }
    }
}
