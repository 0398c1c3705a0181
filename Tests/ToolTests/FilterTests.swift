import Foundation
import SOCTestSupport
import Testing

/// soc-filter as users run it: real processes on real files and pipes.
@Suite struct FilterTests {
    /// A SOC-shaped chat with `turns` parts; `tag` makes each line distinct.
    static func chat(turns: Int, tag: Int, messagesPerPart: Int = 1) -> String {
        let parts = (0..<turns).map { t in
            (
                sender: t % 2 == 0 ? "a" : "b",
                messages: Array(repeating: "m\(t) of chat \(tag) é", count: messagesPerPart)
            )
        }
        return ChatFixture.line(id: "c\(tag)", parts: parts, extra: [("n", "1.50")], spaced: true)
    }

    @Test func keepsChatsInRangeByteIdenticalAndAccountsForEveryLine() throws {
        let dir = try TemporaryDirectory()
        var lines: [String] = []
        var expected: [String] = []
        let malformed = ["{\"chat_parts\": [", "not json at all", "{\"a\":1,}"]
        for k in 0..<40 {
            let turns = (k * 7) % 30
            let line = Self.chat(turns: turns, tag: k)
            lines.append(line)
            if (10...24).contains(turns) { expected.append(line) }
            if k % 13 == 5 { lines.append(malformed[k % 3]) }
        }
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")

        let withRejects = try ToolProcess.run(
            "soc-filter",
            [
                "--min-turns", "10", "--max-turns", "24", input,
                "--rejects", dir.path("rejects.jsonl"), "--report", dir.path("report.json"),
            ])
        #expect(withRejects.status == 0)
        #expect(withRejects.stdoutLines == expected)
        let rejected = try dir.read("rejects.jsonl").split(separator: "\n").map(String.init)
        #expect(rejected == lines.filter { malformed.contains($0) })
        #expect(withRejects.stderr.contains("in.jsonl:"))
        #expect(withRejects.stderr.contains(": malformed_json: "))

        let report = try dir.readJSON("report.json")
        let read = report["read"] as? Int
        let written = report["written"] as? Int
        let rejectedCount = report["rejected"] as? Int
        let removed = report["removed"] as? Int
        #expect(read == lines.count)
        #expect(written == expected.count)
        #expect(rejectedCount == rejected.count)
        #expect(read == (written ?? 0) + (rejectedCount ?? 0) + (removed ?? 0))
        #expect(report["tool"] as? String == "soc-filter")
        let reasons = report["reasons"] as? [String: Int] ?? [:]
        #expect(reasons["malformed_json"] == rejected.count)
        #expect((reasons["below_min_turns"] ?? 0) + (reasons["above_max_turns"] ?? 0) == removed)

        let withoutRejects = try ToolProcess.run("soc-filter", ["--min-turns", "10", "--max-turns", "24", input])
        #expect(withoutRejects.status == 1)
        #expect(withoutRejects.stdoutLines == expected)

        let strict = try ToolProcess.run(
            "soc-filter", ["--min-turns", "10", input, "--rejects", dir.path("r2.jsonl"), "--strict"])
        #expect(strict.status == 1)
    }

    @Test func manyBatchesOnTwoThreadsKeepInputOrderAndCounts() throws {
        let dir = try TemporaryDirectory()
        var lines: [String] = []
        var expected: [String] = []
        var rejected: [String] = []
        for k in 0..<40_000 {
            if k % 997 == 3 {
                lines.append("{broken \(k)")
                rejected.append("{broken \(k)")
                continue
            }
            let line = Self.chat(turns: k % 9, tag: k)
            lines.append(line)
            if k % 9 >= 4 { expected.append(line) }
        }
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        // Through a pipe too, where reads (and so batches) are smaller.
        for run in [
            try ToolProcess.run("soc-filter", ["--min-turns", "4", input, "--rejects", dir.path("rej.jsonl")]),
            try ToolProcess.shell("cat '\(input)' | soc-filter --min-turns 4 --rejects '\(dir.path("rej.jsonl"))'"),
        ] {
            #expect(run.status == 0)
            #expect(run.stdoutLines == expected)
            #expect(try dir.read("rej.jsonl").split(separator: "\n").map(String.init) == rejected)
            let diagnosedLines = run.stderr.split(separator: "\n").prefix(20).compactMap {
                $0.split(separator: ":").dropFirst().first.flatMap { Int($0) }
            }
            #expect(diagnosedLines == diagnosedLines.sorted(), "diagnostics come in input order")
        }
    }

    @Test func removedLinesGoToRemovedFileWithReasons() throws {
        let dir = try TemporaryDirectory()
        let lines = [
            Self.chat(turns: 2, tag: 1), Self.chat(turns: 6, tag: 2, messagesPerPart: 3), Self.chat(turns: 6, tag: 3),
        ]
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n"))
        let run = try ToolProcess.run(
            "soc-filter",
            [
                "--min-turns", "3", "--min-messages", "10", input, "--removed", dir.path("removed.jsonl"), "--report",
                dir.path("r.json"),
            ])
        #expect(run.status == 0)
        #expect(run.stdoutLines == [lines[1]])
        #expect(try dir.read("removed.jsonl") == lines[0] + "\n" + lines[2] + "\n")
        let reasons = try dir.readJSON("r.json")["reasons"] as? [String: Int]
        #expect(reasons == ["below_min_turns": 1, "below_min_messages": 1])
    }

    @Test func wordAndCharacterBounds() throws {
        let line = #"{"chat_parts": [{"sender": "a", "messages": ["one two  three", "zoë\nfour"]}]}"#
        func keeps(_ args: [String]) throws -> Bool {
            try ToolProcess.run("soc-filter", args, stdin: Data((line + "\n").utf8)).stdoutLines == [line]
        }
        // 5 words, 24 characters (ë is one), longest message 14.
        #expect(try keeps(["--min-words", "5", "--max-words", "5"]))
        #expect(try !keeps(["--min-words", "6"]))
        #expect(try keeps(["--min-chars", "22", "--max-chars", "22"]))
        #expect(try !keeps(["--max-chars", "21"]))
        #expect(try keeps(["--max-message-chars", "14"]))
        #expect(try !keeps(["--max-message-chars", "13"]))
    }

    @Test func headEndsTheRunQuietly() throws {
        let dir = try TemporaryDirectory()
        let big = (0..<60_000).map { Self.chat(turns: 3, tag: $0) }.joined(separator: "\n") + "\n"
        let input = try dir.write("big.jsonl", big)
        let run = try ToolProcess.shell("soc-filter '\(input)' | head -1")
        #expect(run.stdoutLines == [Self.chat(turns: 3, tag: 0)])
        #expect(run.stderr.isEmpty)
        let status = try ToolProcess.shell("soc-filter '\(input)' | head -1 >/dev/null; echo ${PIPESTATUS[0]}")
        #expect(status.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
    }

    @Test func aFailedWriteIsAnErrorWithAMessage() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", (0..<5000).map { Self.chat(turns: 3, tag: $0) }.joined(separator: "\n"))
        let run = try ToolProcess.shell("soc-filter '\(input)' > /dev/full")
        #expect(run.status == 3)
        #expect(run.stderr.contains("No space left on device"))
    }

    @Test func outputFileAppearsAtomicallyAndFailuresLeaveNoFile() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.chat(turns: 3, tag: 1) + "\n")
        let ok = try ToolProcess.run("soc-filter", [input, "-o", dir.path("out.jsonl")])
        #expect(ok.status == 0)
        #expect(try dir.read("out.jsonl") == Self.chat(turns: 3, tag: 1) + "\n")
        let bad = try ToolProcess.run("soc-filter", [input, "-o", dir.path("missing/out.jsonl")])
        #expect(bad.status == 3)
        #expect(!bad.stderr.isEmpty)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter {
            $0.contains(".tmp-")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func readsStdinDashAndSeveralFilesInOrderIncludingCompressed() throws {
        let dir = try TemporaryDirectory()
        let a = Self.chat(turns: 2, tag: 1)
        let b = Self.chat(turns: 2, tag: 2)
        let c = Self.chat(turns: 2, tag: 3)
        try dir.write("b.jsonl", b + "\n" + "{oops\n")
        try dir.write("c.jsonl", c + "\n")
        let prepared = try ToolProcess.shell("cd '\(dir.url.path)' && gzip -k b.jsonl && zstd -q c.jsonl")
        #expect(prepared.status == 0)
        let run = try ToolProcess.run(
            "soc-filter", ["-", dir.path("b.jsonl.gz"), dir.path("c.jsonl.zst")], stdin: Data((a + "\r\n").utf8))
        #expect(run.stdoutLines == [a, b, c])
        #expect(run.stderr.contains("b.jsonl.gz:2: malformed_json"))
        #expect(run.status == 1)
    }

    @Test func badInputGetsOneLineDiagnosticsAndTheRunGoesOn() throws {
        let dir = try TemporaryDirectory()
        let good = Self.chat(turns: 2, tag: 9)
        var bytes = Data()
        bytes.append(Data((String(repeating: "[", count: 100_000) + "\n").utf8))
        bytes.append(Data([0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D, 0x0A]))
        bytes.append(
            Data(
                ("\n" + #"{"chat_parts": "nope"}"# + "\n" + String(repeating: "x", count: 300_000) + "\n" + good + "\n")
                    .utf8))
        let input = try dir.write("bad.jsonl", bytes: bytes)
        let run = try ToolProcess.run(
            "soc-filter",
            [input, "--max-line-bytes", "200000", "--rejects", dir.path("rej.jsonl"), "--report", dir.path("r.json")])
        #expect(run.status == 0)
        #expect(run.stdoutLines == [good])
        let diagnostics = run.stderr.split(separator: "\n").map(String.init)
        #expect(diagnostics.count == 4)
        #expect(diagnostics[0].hasPrefix("\(input):1: too_deep: "))
        #expect(diagnostics[1].hasPrefix("\(input):2: invalid_utf8: "))
        #expect(diagnostics[2].hasPrefix("\(input):4: not_a_chat: "))
        #expect(diagnostics[3].hasPrefix("\(input):5: line_too_long: "))
        let rejects = try Data(contentsOf: URL(fileURLWithPath: dir.path("rej.jsonl")))
        #expect(rejects.count == 100_001 + 10 + 23 + 300_001, "every rejected line verbatim, the overlong one included")
        let reasons = try dir.readJSON("r.json")["reasons"] as? [String: Int]
        #expect(reasons == ["too_deep": 1, "invalid_utf8": 1, "empty_line": 1, "not_a_chat": 1, "line_too_long": 1])
    }

    @Test func diagnosticsStopAfterTwentyOfACodeWithOneSummaryLine() throws {
        let lines = (0..<30).map { "{bad \($0)" } + ["[1]", Self.chat(turns: 2, tag: 1)]
        let run = try ToolProcess.run("soc-filter", [], stdin: Data(lines.joined(separator: "\n").utf8))
        let stderr = run.stderr.split(separator: "\n").map(String.init)
        #expect(stderr.filter { $0.contains(": malformed_json: ") }.count == 20)
        #expect(stderr.contains("<stdin>:31: not_a_chat: $: record is an array, not a chat object"))
        #expect(stderr.contains("soc-filter: 10 more malformed_json diagnostics not shown"))
        #expect(stderr.last == "soc-filter: 31 line(s) rejected; use --rejects FILE to keep them")
        #expect(run.status == 1)
    }

    @Test func aHundredMegabyteLineIsRejectedVerbatimAndTheRunGoesOn() throws {
        let dir = try TemporaryDirectory()
        let good = Self.chat(turns: 2, tag: 7)
        let script =
            "{ printf '{\"chat_parts\": [], \"pad\": \"'; head -c 100000000 /dev/zero | tr '\\0' a; printf '\"}\\n%s\\n' '\(good)'; } | soc-filter --rejects '\(dir.path("rej.jsonl"))'"
        let run = try ToolProcess.shell(script)
        #expect(run.status == 0)
        #expect(run.stdoutLines == [good])
        #expect(run.stderr.hasPrefix("<stdin>:1: line_too_long: "))
        let size = try FileManager.default.attributesOfItem(atPath: dir.path("rej.jsonl"))[.size] as? Int
        #expect(size == 100_000_000 + 29 + 1, "27 bytes before the padding, 2 after, and the newline")
    }

    @Test func corruptCompressedInputIsAnIOError() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(
            "bad.jsonl.gz", bytes: Data([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]))
        let run = try ToolProcess.run("soc-filter", [path])
        #expect(run.status == 3)
        #expect(run.stderr.contains("bad.jsonl.gz: gzip"))
    }

    @Test func progressOnlyWhenStderrIsATerminal() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write(
            "in.jsonl", (0..<3000).map { Self.chat(turns: 3, tag: $0) }.joined(separator: "\n") + "\n")
        // A zero interval makes the meter due at every tick, with no pause in the input (no
        // timing); `script` gives the tool a terminal.
        let run = "SOC_TOOLS_PROGRESS_INTERVAL=0 soc-filter < '\(input)' > /dev/null"
        let onTerminal = try ToolProcess.shell("script -qec \"\(run)\" /dev/null")
        #expect(onTerminal.stdoutText.contains("soc-filter: <stdin>: "))
        #expect(onTerminal.stdoutText.contains(" records, "))
        #expect(onTerminal.stdoutText.contains("MB/s"))
        let onPipe = try ToolProcess.shell(run)
        #expect(onPipe.stderr.isEmpty)
    }

    @Test func emptyInputIsFine() throws {
        let run = try ToolProcess.run("soc-filter", ["--min-turns", "1"], stdin: Data())
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.isEmpty)
    }

    @Test func helpVersionAndUsageErrors() throws {
        let help = try ToolProcess.run("soc-filter", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdoutText.contains("soc-validate | soc-scrub | soc-dedup | soc-filter"))
        let version = try ToolProcess.run("soc-filter", ["--version"])
        #expect(version.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
        let usage = try ToolProcess.run("soc-filter", ["--min-turns", "many"])
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--min-turns"))
        let missing = try ToolProcess.run("soc-filter", ["/nonexistent/file.jsonl"])
        #expect(missing.status == 3)
        #expect(missing.stderr.contains("/nonexistent/file.jsonl: cannot open"))
    }
}
