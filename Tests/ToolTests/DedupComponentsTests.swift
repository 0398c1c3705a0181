import Foundation
import SOCTestSupport
import Testing

/// `soc-dedup --groups components` as users run it: the one-shot run (two passes over its files)
/// and the staged run (`sign`, `cluster --groups components`, `apply`) give the same bytes, and
/// `sign --bands` writes the band file the Spark job reads.
@Suite struct DedupComponentsTests {
    /// 60 chats, every third a near copy of the one before, a chain (A, C, B with A ≈ B ≈ C, A ≉ C)
    /// at the end, a reused chat_id, a blank and a malformed line.
    func input(_ dir: TemporaryDirectory) throws {
        var fixture = ChatGenerator(seed: 11)
        var lines: [String] = []
        var previous: [String] = []
        for k in 0..<60 {
            let messages = k % 3 == 2 ? fixture.edited(previous, fraction: 0.05) : fixture.messages(30)
            lines.append(ChatFixture.chatLine(id: "c\(k)", messages: messages))
            previous = messages
        }
        let (a, b, c) = fixture.chain(40)
        lines += [
            ChatFixture.chatLine(id: "A", messages: a), ChatFixture.chatLine(id: "C", messages: c),
            ChatFixture.chatLine(id: "B", messages: b), ChatFixture.chatLine(id: "c4", messages: fixture.messages(30)),
            "", "{broken",
        ]
        try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
    }

    @Test func oneShotEqualsStagedAndDiffersFromGreedyOnTheChain() throws {
        let dir = try TemporaryDirectory()
        try input(dir)
        let run = try ToolProcess.shell(
            """
            set -e
            soc-dedup --key chat_id --groups components --clusters one.clusters --removed one.removed \
              --rejects one.rejects --report one.json in.jsonl > one.jsonl
            head -n 40 in.jsonl > p1.jsonl; tail -n +41 in.jsonl > p2.jsonl
            soc-dedup sign --shard 1 --key chat_id --rejects r1 p1.jsonl > 1.sig
            soc-dedup sign --shard 2 --key chat_id --rejects r2 p2.jsonl > 2.sig
            soc-dedup cluster --groups components --report cluster.json 1.sig 2.sig > remove.txt
            soc-dedup apply --shard 1 --remove remove.txt --rejects s1.rejects --removed s1.removed p1.jsonl > s1.jsonl
            soc-dedup apply --shard 2 --remove remove.txt --rejects s2.rejects --removed s2.removed p2.jsonl > s2.jsonl
            soc-dedup --key chat_id --clusters greedy.clusters in.jsonl --rejects greedy.rejects > greedy.jsonl
            """, in: dir.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try dir.read("one.jsonl") == dir.read("s1.jsonl") + dir.read("s2.jsonl"))
        #expect(try dir.read("one.removed") == dir.read("s1.removed") + dir.read("s2.removed"))
        #expect(try dir.read("one.rejects") == "{broken\n")
        let report = try dir.readJSON("one.json")
        #expect(report["groups"] as? String == "components")
        #expect(report["rejected"] as? Int == 1 && report["read"] as? Int == 66)
        let reasons = report["reasons"] as? [String: Int] ?? [:]
        #expect(reasons["exact_key"] == 1 && (reasons["near_duplicate"] ?? 0) >= 20, "\(reasons)")
        // cluster sees records only: the blank and the malformed line are apply's.
        let recordReasons = reasons.filter { $0.key != "empty_line" && $0.key != "malformed_json" }
        #expect(try dir.readJSON("cluster.json")["reasons"] as? [String: Int] == recordReasons)
        // C (line 62) is removed with A (line 61) as its survivor; greedy kept it.
        let clusters = try dir.read("one.clusters")
        #expect(clusters.contains(#"{"line":62,"id":"C","reason":"near_duplicate","kept_line":61,"kept_id":"A""#))
        #expect(try !dir.read("greedy.clusters").contains(#""id":"C""#))
        #expect(try dir.read("greedy.jsonl").contains(#""chat_id":"C""#))
    }

    @Test func stdinIsRefused() throws {
        let outcome = try ToolProcess.run("soc-dedup", ["--groups", "components"], stdin: Data("{}\n".utf8))
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("reads its inputs twice"), "\(outcome.stderr)")
    }

    @Test func signBandsWritesBandKeysAndVerificationValues() throws {
        let dir = try TemporaryDirectory()
        try input(dir)
        let outcome = try ToolProcess.run(
            "soc-dedup", ["sign", "--bands", "--shard", "3", "--threshold", "0.7", "--rejects", "r", "in.jsonl"],
            in: dir.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdoutLines
        #expect(lines.first?.hasPrefix("#soc-dedup-bands\tv1\tshard=3\tnum_perm=128") == true)
        #expect(lines.first?.contains("\tthreshold=0.7\tfn_weight=0.9") == true)
        let bands = lines.first.flatMap { header in
            header.split(separator: "\t").first { $0.hasPrefix("bands=") }.flatMap { Int($0.dropFirst(6)) }
        }
        #expect(lines.count == 64 + 2)  // 64 records (not the blank and broken lines), header, trailer
        let fields = lines[1].split(separator: "\t", omittingEmptySubsequences: false)
        #expect(fields.count == 10)
        #expect(fields[0] == "3" && fields[1] == "1" && fields[4] == #""c0""#)
        #expect(fields[7].count == 16 && fields[8].count == 128 * 4 && fields[9].count == (bands ?? 0) * 8)
        #expect(lines.last?.hasPrefix("#end\trecords=64\tdigest=") == true)
    }
}
