import Foundation
import SOCTestSupport
import Testing

/// soc-dedup as users run it: real processes on real files, one-shot and staged.
@Suite struct DedupTests {
    /// Deterministic chats with known edits: the shared generator over this test's own words and
    /// start state, so that its chats stay what they were.
    struct Chats {
        static let words =
            "the a to and of it that is in you for was on with this just so but not have what like my be are about know think really time if at do all get one can would yeah okay maybe week work today night coffee book idea plan thing people friend project story song game trip city rain weekend deadline meeting call deal problem answer"
            .split(separator: " ").map(String.init)
        var generator: ChatGenerator

        init(seed: UInt64) { generator = ChatGenerator(state: seed &+ 0x9E37_79B9_7F4A_7C15, words: Self.words) }

        mutating func next(_ bound: Int) -> Int { generator.next(bound) }

        mutating func messages(_ n: Int) -> [String] { generator.messages(n) }

        /// `fraction` of the messages replaced, at evenly spread positions.
        mutating func edited(_ messages: [String], _ fraction: Double) -> [String] {
            generator.edited(messages, fraction: fraction)
        }

        static func line(_ id: String, _ messages: [String]) -> String {
            let parts = stride(from: 0, to: messages.count, by: 2).map { k in
                (sender: k % 4 == 0 ? "a" : "b", messages: Array(messages[k..<min(k + 2, messages.count)]))
            }
            return ChatFixture.line(id: id, parts: parts)
        }
    }

    static func objects(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
    }

    @Test func knownPairsFirstOccurrenceAndClusters() throws {
        let dir = try TemporaryDirectory()
        var chats = Chats(seed: 1)
        let original = chats.messages(40)
        let lines = [
            Chats.line("c1", original),  // 1 kept
            // 2 exact_text of 1
            Chats.line("c2", original.map { $0.uppercased().replacingOccurrences(of: ".", with: "!") }),
            Chats.line("c1", chats.messages(40)),  // 3 exact_key of 1
            Chats.line("c4", chats.edited(original, 0.05)),  // 4 near_duplicate of 1
            Chats.line("c5", chats.edited(original, 0.75)),  // 5 kept (far)
            Chats.line("c6", chats.messages(40)),  // 6 kept
        ]
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        let run = try ToolProcess.run(
            "soc-dedup",
            [
                "--key", "chat_id", "--clusters", dir.path("clusters.jsonl"), "--removed", dir.path("removed.jsonl"),
                "--report", dir.path("report.json"), input,
            ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines == [lines[0], lines[4], lines[5]])
        #expect(try dir.read("removed.jsonl") == [lines[1], lines[2], lines[3]].joined(separator: "\n") + "\n")

        let clusters = try Self.objects(try dir.read("clusters.jsonl"))
        #expect(clusters.map { $0["line"] as? Int } == [2, 3, 4])
        #expect(clusters.map { $0["reason"] as? String } == ["exact_text", "exact_key", "near_duplicate"])
        #expect(clusters.allSatisfy { $0["kept_line"] as? Int == 1 && $0["kept_id"] as? String == "c1" })
        #expect(clusters.map { $0["id"] as? String } == ["c2", "c1", "c4"])
        #expect(clusters[0]["similarity"] as? Double == 1)
        #expect((clusters[2]["similarity"] as? Double ?? 0) >= 0.8)

        let report = try dir.readJSON("report.json")
        #expect(report["reasons"] as? [String: Int] == ["exact_text": 1, "exact_key": 1, "near_duplicate": 1])
        #expect(report["bands"] as? Int == 14 && report["rows"] as? Int == 9 && report["num_perm"] as? Int == 128)

        // The first occurrence survives whichever it is: reversed input keeps the last line.
        let reversed = try dir.write("rev.jsonl", [lines[3], lines[0]].joined(separator: "\n") + "\n")
        let second = try ToolProcess.run("soc-dedup", [reversed, "--clusters", dir.path("c2.jsonl")])
        #expect(second.stdoutLines == [lines[3]])
        let cluster = try Self.objects(try dir.read("c2.jsonl"))
        #expect(
            cluster.first?["kept_line"] as? Int == 1 && cluster.first?["line"] as? Int == 2
                && cluster.first?["kept_id"] as? String == "c4")

        // Without --key the reused chat_id is kept; with --no-near the near copy is kept.
        let noKey = try ToolProcess.run("soc-dedup", [input])
        #expect(noKey.stdoutLines == [lines[0], lines[2], lines[4], lines[5]])
        let noNear = try ToolProcess.run("soc-dedup", ["--no-near", input])
        #expect(noNear.stdoutLines == [lines[0], lines[2], lines[3], lines[4], lines[5]])
    }

    /// A corpus with duplicates within and across four shards, blank and malformed lines.
    static func corpus() -> [[String]] {
        var chats = Chats(seed: 42)
        var all: [[String]] = []
        var shards: [[String]] = [[], [], [], []]
        for k in 0..<80 {
            let shard = k * 4 / 80
            let r = chats.next(10)
            var messages: [String]
            if !all.isEmpty, r < 2 {
                messages = chats.edited(all[chats.next(all.count)], 0.05)
            } else if !all.isEmpty, r == 2 {
                messages = all[chats.next(all.count)]
            } else {
                messages = chats.messages(20 + chats.next(20))
            }
            all.append(messages)
            shards[shard].append(Chats.line("id\(k % 70)", messages))
            if k % 17 == 3 { shards[shard].append("") }
            if k % 23 == 5 { shards[shard].append("{\"chat_parts\": [") }
        }
        return shards
    }

    @Test func fourShardStagedRunEqualsOneShot() throws {
        let dir = try TemporaryDirectory()
        let shards = Self.corpus()
        var files: [String] = []
        for (k, lines) in shards.enumerated() {
            files.append(try dir.write("part\(k + 1).jsonl", lines.joined(separator: "\n") + "\n"))
        }
        let all = try dir.write("all.jsonl", shards.map { $0.joined(separator: "\n") + "\n" }.joined())

        let oneShot = try ToolProcess.run(
            "soc-dedup",
            [
                "--key", "chat_id", "--rejects", dir.path("rej.jsonl"), "--removed", dir.path("removed-one.jsonl"),
                "--report", dir.path("one.json"),
            ], stdinFile: all)
        #expect(oneShot.status == 0, "\(oneShot.stderr)")
        let report = try dir.readJSON("one.json")
        let reasons = report["reasons"] as? [String: Int] ?? [:]
        #expect(
            (reasons["near_duplicate"] ?? 0) > 0 && (reasons["exact_text"] ?? 0) > 0 && (reasons["exact_key"] ?? 0) > 0,
            "\(reasons)")

        var script = "set -e\n"
        for k in 1...4 {
            script += "soc-dedup sign --key chat_id --shard \(k) --rejects rej\(k).jsonl part\(k).jsonl > \(k).sig\n"
        }
        script += "soc-dedup cluster --clusters staged-clusters.jsonl 1.sig 2.sig 3.sig 4.sig > remove.txt\n"
        for k in 1...4 {
            script +=
                "soc-dedup apply --shard \(k) --remove remove.txt --rejects arej\(k).jsonl --removed removed\(k).jsonl part\(k).jsonl > kept\(k).jsonl\n"
        }
        script += "cat kept1.jsonl kept2.jsonl kept3.jsonl kept4.jsonl\n"
        let staged = try ToolProcess.shell(script, in: dir.url)
        #expect(staged.status == 0, "\(staged.stderr)")
        #expect(!oneShot.stdout.isEmpty)
        #expect(staged.stdout == oneShot.stdout, "staged output differs from the one-shot output")
        let removedStaged = try (1...4).map { try dir.read("removed\($0).jsonl") }.joined()
        #expect(removedStaged == (try dir.read("removed-one.jsonl")))

        // The staged clusters equal a one-shot run over the same four files.
        let multi = try ToolProcess.run(
            "soc-dedup",
            ["--key", "chat_id", "--rejects", dir.path("rej-m.jsonl"), "--clusters", dir.path("one-clusters.jsonl")] + [
                "part1.jsonl", "part2.jsonl", "part3.jsonl", "part4.jsonl",
            ], in: dir.url)
        #expect(multi.stdout == oneShot.stdout)
        #expect(try dir.read("staged-clusters.jsonl") == (try dir.read("one-clusters.jsonl")))
        #expect(try dir.read("one-clusters.jsonl").contains("\"file\":\"part1.jsonl\""))
    }

    @Test func clusterRefusesMismatchedOrDamagedSignatureFiles() throws {
        let dir = try TemporaryDirectory()
        let shards = Self.corpus()
        try dir.write("a.jsonl", shards[0].joined(separator: "\n") + "\n")
        try dir.write("b.jsonl", shards[1].filter { !$0.isEmpty && $0.hasSuffix("}") }.joined(separator: "\n") + "\n")
        let setup = try ToolProcess.shell(
            """
            soc-dedup sign --shard 1 --rejects /dev/null a.jsonl > 1.sig
            soc-dedup sign --shard 2 --ngram 4 b.jsonl > 2.sig
            soc-dedup sign --shard 1 b.jsonl > dup.sig
            head -n 3 1.sig > cut.sig
            """, in: dir.url)
        #expect(setup.status == 0, "\(setup.stderr)")
        let mismatch = try ToolProcess.run("soc-dedup", ["cluster", "1.sig", "2.sig"], in: dir.url)
        #expect(mismatch.status == 1)
        #expect(mismatch.stderr.contains("different settings"))
        let twice = try ToolProcess.run("soc-dedup", ["cluster", "1.sig", "dup.sig"], in: dir.url)
        #expect(twice.status == 1 && twice.stderr.contains("shard 1 was already given"))
        let cut = try ToolProcess.run("soc-dedup", ["cluster", "cut.sig"], in: dir.url)
        #expect(cut.status == 1 && cut.stderr.contains("truncated"))
        let notSig = try ToolProcess.run("soc-dedup", ["cluster", "a.jsonl"], in: dir.url)
        #expect(notSig.status == 1 && notSig.stderr.contains("not a soc-dedup signature file"))
        let badList = try ToolProcess.run(
            "soc-dedup", ["apply", "--shard", "1", "--remove", "1.sig", "a.jsonl"], in: dir.url)
        #expect(badList.status == 1 && badList.stderr.contains("not a soc-dedup removal list"))
        // apply notices a shard number cluster never saw, and an input that is not the one signed.
        let list = try ToolProcess.shell("soc-dedup cluster 1.sig > remove.txt", in: dir.url)
        #expect(list.status == 0)
        let unknown = try ToolProcess.run(
            "soc-dedup", ["apply", "--shard", "7", "--remove", "remove.txt", "a.jsonl"], in: dir.url)
        #expect(unknown.status == 1 && unknown.stderr.contains("shard 7 was not among"))
        let wrong = try ToolProcess.run(
            "soc-dedup", ["apply", "--shard", "1", "--remove", "remove.txt", "b.jsonl"], in: dir.url)
        #expect(wrong.status == 1 && wrong.stderr.contains("not the one that was signed"))
        #expect(wrong.stdout.isEmpty)
        let right = try ToolProcess.run(
            "soc-dedup", ["apply", "--shard", "1", "--remove", "remove.txt", "--rejects", "/dev/null", "a.jsonl"],
            in: dir.url)
        #expect(right.status == 0, "\(right.stderr)")
    }

    @Test func maxRecordsFailsClearly() throws {
        let dir = try TemporaryDirectory()
        var chats = Chats(seed: 9)
        let input = try dir.write(
            "in.jsonl", (0..<5).map { Chats.line("x\($0)", chats.messages(10)) }.joined(separator: "\n") + "\n")
        let run = try ToolProcess.run("soc-dedup", ["--max-records", "3", input, "-o", dir.path("out.jsonl")])
        #expect(run.status == 1)
        #expect(run.stderr.contains("--max-records 3"))
        #expect(!FileManager.default.fileExists(atPath: dir.path("out.jsonl")), "no partial output file")
    }

    @Test func helpShowsDefinitionExampleAndReasons() throws {
        let help = try ToolProcess.run("soc-dedup", ["--help"])
        #expect(help.status == 0)
        for needle in [
            "soc-dedup --key chat_id", "exact_key", "exact_text", "near_duplicate", "letters and digits",
            "sign --shard", "cluster", "apply",
        ] {
            #expect(help.stdoutText.contains(needle), "\(needle)")
        }
        let usage = try ToolProcess.run("soc-dedup", ["--threshold", "1.5"])
        #expect(usage.status == 2)
    }
}
