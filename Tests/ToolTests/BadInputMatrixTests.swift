import Foundation
import SOCTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The input side of the standing bad-input matrix (issue 11): every tool, spawned as users run
/// it, on every kind of bad input. For each cell: the exit status and stderr the README
/// promises, `read = written + rejected + removed` in `--report`, no line lost (every line read
/// is in the output, in `--rejects` or counted as removed), and no temporary file left behind.
@Suite struct BadInputMatrixTests {
    enum Tool: String, CaseIterable, CustomTestStringConvertible {
        case filter = "soc-filter"
        case scrub = "soc-scrub"
        case dedup = "soc-dedup"
        case validate = "soc-validate"
        case stats = "soc-stats"
        var testDescription: String { rawValue }
        /// True for the tools whose output is records (soc-stats writes statistics).
        var writesRecords: Bool { self != .stats }
    }

    /// Two valid, different chats from the shipped sample (every tool keeps them).
    static let records: [String] = {
        let text =
            (try? String(contentsOf: Repository.root.appendingPathComponent("examples/raw.jsonl"), encoding: .utf8))
            ?? ""
        return Array(text.split(separator: "\n").prefix(2).map(String.init))
    }()

    /// One cell: how its input is made, and what every tool must do with it.
    struct Cell: CustomTestStringConvertible, Sendable {
        var name: String
        var testDescription: String { name }
        /// The input file's name and bytes (nil bytes: the cell makes the path itself).
        var file: String
        var bytes: @Sendable () -> [UInt8]?
        /// Extra arguments per tool.
        var arguments: @Sendable (Tool) -> [String] = { _ in [] }
        /// The exit status per tool.
        var status: @Sendable (Tool) -> Int32 = { _ in 0 }
        /// A text stderr must hold, per tool (nil: anything).
        var stderr: @Sendable (Tool) -> String? = { _ in nil }
        /// read, rejected, removed per tool (nil: not checked, e.g. the run stopped on an I/O error).
        var counts: @Sendable (Tool) -> (read: Int, rejected: Int, removed: Int)? = { _ in nil }
        /// The exact record output (nil: not checked).
        var output: @Sendable (Tool) -> [UInt8]? = { _ in nil }
    }

    /// The two chats, shorter first.
    static let bySize = records.sorted { $0.utf8.count < $1.utf8.count }

    static func bytes(_ lines: [String], ending: String = "\n") -> [UInt8] {
        Array(lines.map { $0 + ending }.joined().utf8)
    }

    /// The first chat with `insert` spliced in right after its opening brace.
    static func withField(_ insert: String) -> String { "{" + insert + ", " + records[0].dropFirst() }

    /// The first chat with its first message prefixed by `prefix` (raw bytes).
    static func withMessagePrefix(_ prefix: [UInt8]) -> [UInt8] {
        let line = records[0]
        let marker = #""messages": [""#
        let range = line.range(of: marker)!
        return Array(line[..<range.upperBound].utf8) + prefix + Array(line[range.upperBound...].utf8) + [10]
    }

    static func compressed(_ tool: String, _ bytes: [UInt8]) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "-c"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try? process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    static let numbersLine = withField(
        #""n": 1e400, "m": "# + String(repeating: "1234567890", count: 30)
            + ", \"k\": -0.000000000000000000000000000001e-400")

    static let cells: [Cell] = [
        Cell(
            name: "empty file", file: "in.jsonl", bytes: { [] },
            counts: { _ in (0, 0, 0) }, output: { _ in [] }),
        Cell(
            name: "only newlines", file: "in.jsonl", bytes: { Array("\n\n\r\n".utf8) },
            counts: { _ in (3, 0, 3) }, output: { _ in [] }),
        Cell(
            name: "byte order mark", file: "in.jsonl", bytes: { [0xEF, 0xBB, 0xBF] + bytes([records[0]]) },
            stderr: { _ in "in.jsonl:1: byte_order_mark: a UTF-8 byte order mark at the start of the input was skipped"
            },
            counts: { _ in (1, 0, 0) }, output: { _ in bytes([records[0]]) }),
        Cell(
            name: "CRLF line ends", file: "in.jsonl", bytes: { bytes(records, ending: "\r\n") },
            counts: { _ in (2, 0, 0) }, output: { _ in bytes(records) }),
        Cell(
            name: "invalid UTF-8", file: "in.jsonl", bytes: { withMessagePrefix([0xFF, 0xC0, 0x80]) },
            stderr: { _ in "in.jsonl:1: invalid_utf8" }, counts: { _ in (1, 1, 0) }, output: { _ in [] }),
        Cell(
            name: "lone surrogates", file: "in.jsonl",
            bytes: { withMessagePrefix(Array(#"\ud800 \udc00 \ufffd "#.utf8)) },
            counts: { _ in (1, 0, 0) }, output: { _ in withMessagePrefix(Array(#"\ud800 \udc00 \ufffd "#.utf8)) }),
        // A NUL byte in the first 4 KiB: binary data, refused at once (issue 13) instead of
        // thousands of bad "lines"; later, it is one malformed line like any other.
        Cell(
            name: "NUL byte", file: "in.jsonl", bytes: { withMessagePrefix([0]) + [0, 10] },
            status: { _ in 3 },
            stderr: { _ in "in.jsonl: looks like binary data, not JSONL text (a NUL byte at offset" }),
        Cell(
            name: "NUL byte after 4 KiB", file: "in.jsonl", bytes: { bytes(records) + withMessagePrefix([0]) },
            stderr: { _ in "in.jsonl:3: malformed_json: control character in a string" }, counts: { _ in (3, 1, 0) },
            output: { _ in bytes(records) }),
        Cell(
            name: "Parquet file", file: "in.jsonl",
            bytes: { Array("PAR1".utf8) + [0x15, 0x04, 0, 0] + Array("PAR1".utf8) },
            status: { _ in 3 },
            stderr: { _ in
                "in.jsonl: looks like a Parquet file (it starts with PAR1); convert it to JSONL with `soc-parquet to-jsonl"
            }),
        Cell(
            name: "Parquet inside gzip", file: "in.jsonl",
            bytes: { compressed("gzip", Array("PAR1".utf8) + [0x15, 0x04, 0, 0] + Array("PAR1".utf8)) },
            status: { _ in 3 }, stderr: { _ in "in.jsonl: holds gzip data that looks like a Parquet file" }),
        Cell(
            name: "zip archive", file: "in.jsonl", bytes: { [0x50, 0x4B, 0x03, 0x04] + bytes(records) },
            status: { _ in 3 }, stderr: { _ in "in.jsonl: looks like a zip archive; extract the JSONL with `unzip -p" }),
        Cell(
            name: "100,000 nested [", file: "in.jsonl",
            bytes: { Array(String(repeating: "[", count: 100_000).utf8) + [10] },
            stderr: { _ in "in.jsonl:1: too_deep: nesting deeper than 512 levels" }, counts: { _ in (1, 1, 0) },
            output: { _ in [] }),
        Cell(
            name: "a 100 MB line", file: "in.jsonl", bytes: { nil },
            stderr: { _ in "in.jsonl:1: line_too_long" }, counts: { _ in (2, 1, 0) },
            output: { _ in bytes([records[1]]) }),
        Cell(
            name: "a line over --max-line-bytes", file: "in.jsonl", bytes: { bytes(bySize.reversed()) },
            arguments: { _ in ["--max-line-bytes", String(bySize[1].utf8.count - 1)] },
            stderr: { _ in "in.jsonl:1: line_too_long" }, counts: { _ in (2, 1, 0) },
            output: { _ in bytes([bySize[0]]) }),
        Cell(
            name: "duplicate keys", file: "in.jsonl", bytes: { bytes([withField(#""chat_id": "first""#)]) },
            stderr: { $0 == .validate ? "in.jsonl:1: duplicate_key: $.chat_id" : nil },
            counts: { $0 == .validate ? (1, 1, 0) : (1, 0, 0) },
            output: { $0 == .validate ? [] : bytes([withField(#""chat_id": "first""#)]) }),
        Cell(
            name: "1e400 and 300-digit integers", file: "in.jsonl", bytes: { bytes([numbersLine]) },
            arguments: { $0 == .validate ? ["--schema", "SCHEMA"] : [] },
            counts: { _ in (1, 0, 0) }, output: { _ in bytes([numbersLine]) }),
        Cell(
            name: "truncated .gz", file: "in.jsonl.gz",
            bytes: { Array(compressed("gzip", bytes(records)).dropLast(20)) },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.gz: gzip stream is truncated" }),
        Cell(
            name: "empty .gz", file: "in.jsonl.gz", bytes: { [] },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.gz: not in gzip format" }),
        Cell(
            name: "plain text .gz", file: "in.jsonl.gz", bytes: { bytes(records) },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.gz: not in gzip format" }),
        Cell(
            name: "truncated .zst", file: "in.jsonl.zst",
            bytes: { Array(compressed("zstd", bytes(records)).dropLast(20)) },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.zst: zstd stream is truncated" }),
        Cell(
            name: "empty .zst", file: "in.jsonl.zst", bytes: { [] },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.zst: not in zstd format" }),
        // Compressed data under a name that says nothing is read by its magic bytes (issue 13).
        Cell(
            name: "gzip named .jsonl", file: "in.jsonl", bytes: { compressed("gzip", bytes(records)) },
            counts: { _ in (2, 0, 0) }, output: { _ in bytes(records) }),
        Cell(
            name: "zstd named .jsonl", file: "in.jsonl", bytes: { compressed("zstd", bytes(records)) },
            counts: { _ in (2, 0, 0) }, output: { _ in bytes(records) }),
        Cell(
            name: "bzip2 named .jsonl", file: "in.jsonl", bytes: { compressed("bzip2", bytes(records)) },
            counts: { _ in (2, 0, 0) }, output: { _ in bytes(records) }),
        Cell(
            name: "xz named .jsonl", file: "in.jsonl", bytes: { compressed("xz", bytes(records)) },
            counts: { _ in (2, 0, 0) }, output: { _ in bytes(records) }),
        Cell(
            name: "two bzip2 streams in .bz2", file: "in.jsonl.bz2",
            bytes: { compressed("bzip2", bytes([records[0]])) + compressed("bzip2", bytes([records[1]])) },
            counts: { _ in (2, 0, 0) }, output: { _ in bytes(records) }),
        Cell(
            name: "two xz streams in .xz", file: "in.jsonl.xz",
            bytes: { compressed("xz", bytes([records[0]])) + compressed("xz", bytes([records[1]])) },
            counts: { _ in (2, 0, 0) }, output: { _ in bytes(records) }),
        Cell(
            name: "truncated .bz2", file: "in.jsonl.bz2",
            bytes: { Array(compressed("bzip2", bytes(records)).dropLast(20)) },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.bz2: bzip2 stream is truncated" }),
        Cell(
            name: "truncated .xz", file: "in.jsonl.xz",
            bytes: { Array(compressed("xz", bytes(records)).dropLast(20)) },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.xz: xz stream is truncated" }),
        Cell(
            name: "plain text .bz2", file: "in.jsonl.bz2", bytes: { bytes(records) },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.bz2: not in bzip2 format" }),
        Cell(
            name: "plain text .xz", file: "in.jsonl.xz", bytes: { bytes(records) },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.xz: not in xz format" }),
        Cell(
            name: "empty .xz", file: "in.jsonl.xz", bytes: { [] },
            status: { _ in 3 }, stderr: { _ in "in.jsonl.xz: not in xz format: the file is empty" }),
        Cell(
            name: "missing input", file: "missing.jsonl", bytes: { nil },
            status: { _ in 3 }, stderr: { _ in "missing.jsonl: cannot open: No such file or directory" }),
        Cell(
            name: "unreadable input", file: "locked.jsonl", bytes: { nil },
            status: { _ in 3 }, stderr: { _ in "locked.jsonl: cannot open: Permission denied" }),
        Cell(
            name: "input that fails to read", file: "/proc/self/mem", bytes: { nil },
            status: { _ in 3 }, stderr: { _ in "/proc/self/mem: read failed: Input/output error" }),
        Cell(
            name: "directory input", file: "folder", bytes: { nil },
            status: { _ in 3 }, stderr: { _ in "folder: is a directory" }),
    ]

    /// Makes the cells whose input is not plain bytes.
    static func makeInput(_ cell: Cell, in dir: TemporaryDirectory) throws -> Bool {
        let path = cell.file.hasPrefix("/") ? cell.file : dir.path(cell.file)
        switch cell.name {
        case "a 100 MB line":
            // One line of 100 MB (over the 64 MiB default limit), then a good record.
            #expect(FileManager.default.createFile(atPath: path, contents: nil), "cannot create \(path)")
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.write(contentsOf: Data(#"{"x": ""#.utf8))
            let chunk = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
            for _ in 0..<100 { try handle.write(contentsOf: chunk) }
            try handle.write(contentsOf: Data(("\"}\n" + records[1] + "\n").utf8))
            try handle.close()
        case "unreadable input":
            // root reads any file: the cell cannot be made, so it is skipped there.
            if getuid() == 0 { return false }
            try dir.write(cell.file, bytes: Data(bytes(records)))
            chmod(path, 0)
        case "directory input":
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        case "missing input", "input that fails to read":
            break
        default:
            try dir.write(cell.file, bytes: Data(cell.bytes() ?? []))
        }
        return true
    }

    @Test(arguments: cells, Tool.allCases)
    func cell(_ cell: Cell, tool: Tool) throws {
        try #require(Self.records.count == 2, "examples/raw.jsonl is missing")
        let dir = try TemporaryDirectory()
        guard try Self.makeInput(cell, in: dir) else { return }
        let schema = try dir.write("schema.json", "{}")
        let arguments =
            cell.arguments(tool).map { $0 == "SCHEMA" ? schema : $0 }
            + [
                "--rejects", dir.path("rejects.jsonl"), "--report", dir.path("report.json"), "-o", dir.path("out"),
                cell.file.hasPrefix("/") ? cell.file : dir.path(cell.file),
            ]
        let outcome = try ToolProcess.run(tool.rawValue, arguments)
        #expect(outcome.status == cell.status(tool), "\(outcome.stderr.prefix(600))")
        if let needle = cell.stderr(tool) {
            #expect(outcome.stderr.contains(needle), "\(outcome.stderr.prefix(600))")
        }
        if cell.status(tool) == 0 {
            #expect(!outcome.stderr.contains("rejected; use --rejects"))
        }
        // Counts add up whenever a report was written.
        if let report = try? dir.readJSON("report.json"), !report.isEmpty {
            let read = report["read"] as? Int ?? -1
            let written = report["written"] as? Int ?? -1
            let rejected = report["rejected"] as? Int ?? -1
            let removed = report["removed"] as? Int ?? -1
            #expect(read == written + rejected + removed, "\(report)")
            if let expected = cell.counts(tool) {
                #expect(
                    read == expected.read && rejected == expected.rejected && removed == expected.removed, "\(report)")
                // No line lost: each rejected line is in --rejects, verbatim (CR and all).
                let rejects = (try? Data(contentsOf: URL(fileURLWithPath: dir.path("rejects.jsonl")))) ?? Data()
                #expect(rejects.filter { $0 == 10 }.count == rejected, "\(rejects.count) bytes of rejects")
                if tool.writesRecords {
                    let out = (try? Data(contentsOf: URL(fileURLWithPath: dir.path("out")))) ?? Data()
                    #expect(out.filter { $0 == 10 }.count == written)
                }
            }
        } else {
            #expect(cell.counts(tool) == nil, "no report was written")
        }
        if tool.writesRecords, let expected = cell.output(tool) {
            let out = (try? Data(contentsOf: URL(fileURLWithPath: dir.path("out")))) ?? Data()
            #expect(Array(out) == expected, "output differs (\(out.count) bytes, expected \(expected.count))")
        }
        // No temporary is left behind, whatever the status.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
        #expect(!left.contains { $0.contains(".tmp") || $0.hasPrefix(".") }, "\(left)")
        if cell.name == "unreadable input" { chmod(dir.path(cell.file), 0o644) }
    }
}
