import Foundation
import SOCTestSupport
import Testing

/// Outputs named `.gz`, `.zst`, `.bz2` or `.xz` (issue 13): each output, side outputs and the
/// report included, is written in the format its own name asks for, read back by the system's
/// tools and by the soc-tools themselves, and the compressed bytes do not depend on `--threads`.
@Suite struct CompressedOutputTests {
    /// A compression, its file extension and the system command that decompresses it to stdout.
    struct Format: CustomTestStringConvertible, Sendable {
        var name: String
        var suffix: String
        var decompress: String
        var testDescription: String { name }
    }

    static let formats: [Format] = [
        Format(name: "gzip", suffix: "gz", decompress: "gzip -dc"),
        Format(name: "zstd", suffix: "zst", decompress: "zstd -dcq"),
        Format(name: "bzip2", suffix: "bz2", decompress: "bzip2 -dc"),
        Format(name: "xz", suffix: "xz", decompress: "xz -dc"),
    ]

    /// `n` distinct valid chats, one malformed line, and one chat with a single turn.
    static func input(chats n: Int) -> String {
        OutputFaultTests.chats(n) + "{not json\n"
            + OutputFaultTests.chats(1, tag: "short").replacingOccurrences(
                of: #""chat_parts": ["#, with: #""chat_parts": [{"sender": "persona1", "messages": ["hi"]}], "old": ["#)
    }

    /// The file decompressed by the system tool.
    static func systemRead(_ path: String, _ format: Format) throws -> Data {
        let run = try ToolProcess.shell("\(format.decompress) '\(path)'")
        #expect(run.status == 0, "\(format.decompress) \(path): \(run.stderr)")
        return run.stdout
    }

    @Test(arguments: formats)
    func filterWritesEveryOutputInTheFormatOfItsName(_ format: Format) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.input(chats: 40))
        let plain = try ToolProcess.run(
            "soc-filter",
            [
                "--min-turns", "2", input, "-o", dir.path("out.jsonl"), "--rejects", dir.path("rej.jsonl"),
                "--removed", dir.path("rem.jsonl"), "--report", dir.path("rep.json"),
            ])
        #expect(plain.status == 0, "\(plain.stderr)")
        let x = format.suffix
        let run = try ToolProcess.run(
            "soc-filter",
            [
                "--min-turns", "2", input, "-o", dir.path("out.jsonl.\(x)"), "--rejects", dir.path("rej.jsonl.\(x)"),
                "--removed", dir.path("rem.jsonl.\(x)"), "--report", dir.path("rep.json.\(x)"),
            ])
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["out.jsonl", "rej.jsonl", "rem.jsonl", "rep.json"] {
            let expected = try Data(contentsOf: URL(fileURLWithPath: dir.path(name)))
            #expect(!expected.isEmpty, "\(name) is empty: the test would prove nothing")
            let compressed = try Data(contentsOf: URL(fileURLWithPath: dir.path("\(name).\(x)")))
            #expect(compressed != expected, "\(name).\(x) is not compressed")
            #expect(try Self.systemRead(dir.path("\(name).\(x)"), format) == expected, "\(name).\(x)")
        }
        // The tools read their own output back, under its name and under a name that says nothing.
        let back = try ToolProcess.run("soc-filter", [dir.path("out.jsonl.\(x)")])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout == (try Data(contentsOf: URL(fileURLWithPath: dir.path("out.jsonl")))))
        let unnamed = try ToolProcess.run("soc-filter", ["-"], stdinFile: dir.path("out.jsonl.\(x)"))
        #expect(unnamed.status == 0, "\(unnamed.stderr)")
        #expect(unnamed.stdout == back.stdout)
    }

    /// Every tool's side outputs by their own names: scrub's audit, validate's errors, dedup's
    /// clusters and soc-stats' statistics (which `soc-stats merge` then reads compressed).
    @Test(arguments: formats)
    func sideOutputsFollowTheirOwnNames(_ format: Format) throws {
        let dir = try TemporaryDirectory()
        let x = format.suffix
        let raw = Repository.root.appendingPathComponent("examples/raw.jsonl").path
        let runs: [(String, [String], String)] = [
            ("soc-scrub", ["--audit", dir.path("audit.jsonl.\(x)")], "audit.jsonl.\(x)"),
            ("soc-validate", ["--check", "--errors", dir.path("errors.jsonl.\(x)")], "errors.jsonl.\(x)"),
            ("soc-dedup", ["--clusters", dir.path("clusters.jsonl.\(x)"), "-o", "/dev/null"], "clusters.jsonl.\(x)"),
            ("soc-stats", ["--format", "json", "-o", dir.path("stats.json.\(x)")], "stats.json.\(x)"),
        ]
        for (tool, arguments, file) in runs {
            let compressedRun = try ToolProcess.run(tool, arguments + ["--rejects", "/dev/null", raw])
            #expect(compressedRun.status <= 1, "\(tool): \(compressedRun.stderr)")
            let plainFile = String(file.dropLast(x.count + 1))
            let plainArguments = arguments.map { $0.hasSuffix(".\(x)") ? String($0.dropLast(x.count + 1)) : $0 }
            let plainRun = try ToolProcess.run(tool, plainArguments + ["--rejects", "/dev/null", raw])
            #expect(plainRun.status == compressedRun.status)
            let expected = try Data(contentsOf: URL(fileURLWithPath: dir.path(plainFile)))
            #expect(!expected.isEmpty, "\(tool) wrote an empty \(plainFile): the test would prove nothing")
            #expect(try Self.systemRead(dir.path(file), format) == expected, "\(tool) \(file)")
        }
        let merged = try ToolProcess.run("soc-stats", ["merge", "--format", "json", dir.path("stats.json.\(x)")])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdoutText.contains("\"soc-stats\""))
    }

    /// The compressed bytes depend on the data alone: not on `--threads`, on when the writer
    /// flushed, or on the time (the gzip header has no name and a zero time).
    @Test(arguments: formats)
    func compressedOutputIsTheSameBytesForAnyThreadCount(_ format: Format) throws {
        let dir = try TemporaryDirectory()
        // About 3 MB: several of the sink's 1 MiB pieces.
        let input = try dir.write("in.jsonl", Self.input(chats: 700))
        var outputs: [Data] = []
        for threads in [1, 3] {
            let out = dir.path("t\(threads).jsonl.\(format.suffix)")
            let run = try ToolProcess.run(
                "soc-filter", ["--threads", String(threads), "--rejects", "/dev/null", input, "-o", out])
            #expect(run.status == 0, "\(run.stderr)")
            outputs.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        #expect(outputs[0] == outputs[1], "--threads 1 and 3 give different \(format.name) bytes")
        #expect(try Self.systemRead(dir.path("t1.jsonl.\(format.suffix)"), format).count > 2 << 20)
        if format.name == "gzip" {
            let header = Array(outputs[0].prefix(10))
            #expect(header[0] == 0x1F && header[1] == 0x8B && header[2] == 8)
            #expect(header[3] == 0, "no name, comment or extra field in the header")
            #expect(header[4..<8].allSatisfy { $0 == 0 }, "a zero modification time")
            #expect(header[9] == 3, "the Unix system code, on any machine")
        }
        let integrity = try ToolProcess.shell(
            "\(format.decompress.replacingOccurrences(of: "-dc", with: "-t")) '\(dir.path("t1.jsonl.\(format.suffix)"))'"
        )
        #expect(integrity.status == 0, "\(integrity.stderr)")
    }

    /// Standard output is never compressed, whatever the data: `-o -` is plain text.
    @Test func standardOutputIsPlain() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", OutputFaultTests.chats(3))
        let run = try ToolProcess.run("soc-filter", ["-o", "-", input])
        #expect(run.status == 0)
        #expect(run.stdoutText == OutputFaultTests.chats(3))
    }
}
