import Foundation
import SOCTestSupport
import Testing

/// Every tool gives the same bytes on every output for any `--threads`: the work units are cut by
/// the input alone and applied in input order.
@Suite struct ThreadCountTests {
    /// ~2.4 MB (several work units): the examples eight times over (duplicates for dedup and
    /// validate), each copy with blank, malformed, overlong and tiny lines mixed in, ids reused.
    static func input(in dir: TemporaryDirectory) throws -> String {
        let raw = try String(contentsOf: Repository.root.appendingPathComponent("examples/raw.jsonl"), encoding: .utf8)
        var text = ""
        for copy in 0..<8 {
            for (k, line) in raw.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                text += line + "\n"
                switch (k + copy) % 23 {
                case 3: text += "\n   \n"
                case 7: text += "{\"chat_id\": \"broken-\(copy)\", \"chat_parts\": [\n"
                case 11: text += "{\"chat_id\": \"x\", \"pad\": \"\(String(repeating: "z", count: 70_000))\"}\n"
                case 13: text += "{}\n[1, 2]\n"
                case 17:
                    text +=
                        "{\"chat_id\": \"dup-\(k % 3)\", \"chat_parts\": [{\"sender\": \"a\", \"messages\": [\"Hi there \(copy)\"]}]}\n"
                default: break
                }
            }
        }
        return try dir.write("in.jsonl", text)
    }

    /// Runs `tool` with `arguments` (where `OUT` becomes a per-run folder) and returns stdout,
    /// the status and every file the run wrote, by name.
    static func outputs(
        _ tool: [String], threads: Int, input: String, dir: TemporaryDirectory, environment: [String: String] = [:]
    ) throws -> [String: Data] {
        let folder = dir.path(
            "t\(threads)-\(environment.isEmpty ? "" : "env-")\(tool.joined(separator: "_").filter { $0.isLetter })")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let arguments =
            Array(tool.dropFirst()).map { $0.replacingOccurrences(of: "OUT", with: folder) } + [
                "--threads", String(threads), "--max-line-bytes", "65536", input,
            ]
        let run = try ToolProcess.run(tool[0], arguments, environment: environment)
        var files: [String: Data] = [
            "stdout": run.stdout, "status": Data("\(run.status)".utf8), "stderr": Data(run.stderr.utf8),
        ]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        }
        return files
    }

    static let runs: [[String]] = [
        [
            "soc-filter", "--min-turns", "4", "--rejects", "OUT/rejects", "--removed", "OUT/removed", "--report",
            "OUT/report",
        ],
        ["soc-validate", "--rejects", "OUT/rejects", "--errors", "OUT/errors", "--report", "OUT/report"],
        ["soc-scrub", "--rejects", "OUT/rejects", "--audit", "OUT/audit", "--report", "OUT/report"],
        [
            "soc-dedup", "--key", "chat_id", "--rejects", "OUT/rejects", "--removed", "OUT/removed", "--clusters",
            "OUT/clusters", "--report", "OUT/report",
        ],
        ["soc-dedup", "sign", "--shard", "1", "-o", "OUT/sig", "--rejects", "OUT/rejects", "--report", "OUT/report"],
        ["soc-stats", "--format", "json", "--rejects", "OUT/rejects", "--report", "OUT/report"],
        ["soc-stats", "--format", "md", "-o", "OUT/stats.md", "--rejects", "OUT/rejects"],
    ]

    @Test(arguments: runs)
    func sameBytesForOneTwoThreeAndEightThreads(_ tool: [String]) throws {
        let dir = try TemporaryDirectory()
        let input = try Self.input(in: dir)
        let reference = try Self.outputs(tool, threads: 1, input: input, dir: dir)
        #expect(
            String(decoding: reference["status"]!, as: UTF8.self) == "0",
            "\(String(decoding: reference["stderr"]!, as: UTF8.self).prefix(500))")
        // Something reached every output (the test would prove nothing on empty files).
        for (name, bytes) in reference
        where name != "stderr" && name != "status" && !(name == "stdout" && tool.contains("-o"))
            && !(name == "stdout" && tool.contains("sign"))
        {
            #expect(!bytes.isEmpty, "\(tool[0]) wrote nothing to \(name)")
        }
        #expect(
            reference["rejects"].map {
                String(decoding: $0, as: UTF8.self).contains(String(repeating: "z", count: 70_000))
            } == true, "the overlong lines are rejected whole")
        for threads in [2, 3, 8] {
            let other = try Self.outputs(tool, threads: threads, input: input, dir: dir)
            #expect(other.keys.sorted() == reference.keys.sorted())
            for (name, bytes) in reference {
                #expect(
                    other[name] == bytes, "\(tool.joined(separator: " ")): \(name) differs with --threads \(threads)")
            }
        }
        // The file is read in place through mmap(2); read(2) must give the same bytes.
        let read = try Self.outputs(tool, threads: 2, input: input, dir: dir, environment: ["SOC_READ": "read"])
        for (name, bytes) in reference {
            #expect(read[name] == bytes, "\(tool.joined(separator: " ")): \(name) differs with SOC_READ=read")
        }
    }

    @Test func threadCountsOutOfRangeAreUsageErrors() throws {
        let run = try ToolProcess.run("soc-filter", ["--threads", "1025"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--threads"))
        let negative = try ToolProcess.run("soc-stats", ["--threads", "-1"])
        #expect(negative.status == 2)
    }

    @Test func zeroThreadsFollowsTheAffinityMask() throws {
        // Under taskset -c 0 the default is one thread, whatever the machine has.
        let run = try ToolProcess.shell("echo '{}' | taskset -c 0 soc-filter --timings 2>&1 >/dev/null")
        #expect(run.stdoutText.contains(", 1 thread(s),"), "\(run.stdoutText)")
    }

    @Test func anOverlongLineStreamsIntoRejectsAfterEveryLineBeforeIt() throws {
        // Through a pipe the reader's buffer is 4 MiB: a 6 MiB line streams into --rejects as it
        // is skipped, never held whole, once every line before it was written (the reading
        // thread decides and applies the units read ahead itself if no other thread does).
        let dir = try TemporaryDirectory()
        var text = ""
        var expected = ""
        for k in 0..<3000 {
            let line =
                k % 7 == 0
                ? "{\"broken \(k)"
                : "{\"chat_id\": \"c\(k)\", \"chat_parts\": [{\"sender\": \"a\", \"messages\": [\"hi\"]}]}"
            text += line + "\n"
            if k % 7 == 0 { expected += line + "\n" }
            if k == 2000 || k == 2001 {
                let overlong = "{\"x\": \"" + String(repeating: "y", count: 6 << 20) + "\"}"
                text += overlong + "\n"
                expected += overlong + "\n"
            }
        }
        let input = try dir.write("in.jsonl", text)
        for threads in [1, 2, 3, 8] {
            let rejects = dir.path("rejects-\(threads)")
            let run = try ToolProcess.shell(
                "cat '\(input)' | soc-filter --threads \(threads) --max-line-bytes 1000 --rejects '\(rejects)' - > /dev/null"
            )
            #expect(run.status == 0, "threads \(threads): \(run.stderr)")
            let got = try String(contentsOfFile: rejects, encoding: .utf8)
            #expect(got == expected, "threads \(threads): --rejects holds every rejected line in input order")
        }
    }

    @Test func nThreadsMeansNThreadsBesideTheMainOne() throws {
        // The threads take turns reading, deciding and writing: no reader or writer thread of
        // their own. While the input stalls, the process has the main thread (waiting) and N.
        let dir = try TemporaryDirectory()
        let input = try dir.write(
            "in.jsonl", "{\"chat_id\": \"c\", \"chat_parts\": [{\"sender\": \"a\", \"messages\": [\"hi\"]}]}\n")
        for threads in [1, 2, 3] {
            let run = try ToolProcess.shell(
                """
                { cat '\(input)'; sleep 2; } | soc-filter --threads \(threads) > /dev/null &
                pid=$!; most=0
                for i in $(seq 30); do
                  n=$(ls /proc/$pid/task 2>/dev/null | wc -l); [ "$n" -gt "$most" ] && most=$n; sleep 0.05
                done
                wait $pid; echo "$? $most"
                """)
            #expect(run.stdoutText == "0 \(threads + 1)\n", "threads \(threads)")
        }
    }
}
