import Foundation
import SOCTestSupport
import Testing

/// The output side of the hardening matrix (issue 11): full disks, closed pipes on every output,
/// outputs that are inputs, a closed stdout, signals, file modes. For each: the status and
/// stderr the README promises, and no temporary file left behind.
@Suite struct OutputFaultTests {
    /// A tool run as users write it; `{in}` is the input file.
    struct Tool: CustomStringConvertible, Sendable {
        var name: String
        var arguments: [String]
        var description: String { name }
        func command(_ input: String, _ extra: String = "") -> String {
            "\(name) \(arguments.joined(separator: " ")) \(extra) '\(input)'"
        }
    }

    static let tools: [Tool] = [
        Tool(name: "soc-filter", arguments: ["--min-turns", "1"]),
        Tool(name: "soc-validate", arguments: []),
        Tool(name: "soc-scrub", arguments: []),
        Tool(name: "soc-dedup", arguments: []),
        Tool(name: "soc-stats", arguments: ["--format", "json"]),
    ]

    /// The first chat of the examples (valid for every tool, soc-validate's schema included).
    static let exampleChat: String = {
        let raw =
            (try? String(contentsOf: Repository.root.appendingPathComponent("examples/raw.jsonl"), encoding: .utf8))
            ?? ""
        return String(raw.split(separator: "\n")[0])
    }()

    /// `n` distinct valid chats (the example chat with its id and first words changed), one per line.
    static func chats(_ n: Int, tag: String = "c") -> String {
        let idStart = exampleChat.range(of: "\"chat_id\": \"")!.upperBound
        let idEnd = exampleChat[idStart...].firstIndex(of: "\"")!
        let head = exampleChat[..<idStart]
        let tail = exampleChat[idEnd...]
        // The id keeps the schema's form: 32 hex digits, _, 32 hex digits, _, a number.
        let prefix = exampleChat[idStart...].prefix(66)
        let number = tag.unicodeScalars.reduce(0) { $0 &* 31 &+ Int($1.value) } & 0xFFFFF
        return (0..<n).map { k in
            head + prefix + "\(number)\(k)"
                + tail.replacingOccurrences(of: "\"messages\": [\"", with: "\"messages\": [\"\(tag) \(k) ")
        }.joined(separator: "\n") + "\n"
    }

    static func temporaries(in dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.contains(".tmp-") }
    }

    // MARK: Full disk, closed pipes

    @Test(arguments: tools)
    func aFullDiskIsAnIOErrorWithAMessage(_ tool: Tool) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.chats(3000))
        let run = try ToolProcess.shell("\(tool.command(input)) > /dev/full")
        #expect(run.status == 3)
        #expect(run.stderr.hasPrefix("\(tool.name): "), "\(run.stderr)")
        #expect(run.stderr.contains("No space left on device"))
    }

    @Test(arguments: tools)
    func headEndsTheRunQuietly(_ tool: Tool) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.chats(30_000))
        let run = try ToolProcess.shell("\(tool.command(input)) | head -1 > /dev/null; echo ${PIPESTATUS[0]}")
        #expect(run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
    }

    /// Side outputs whose reader goes away: an I/O error (status 3), and -o is not committed.
    @Test(arguments: [
        ("soc-filter", "--rejects"), ("soc-filter", "--removed"), ("soc-stats", "--rejects"),
        ("soc-scrub", "--audit"), ("soc-dedup", "--clusters"), ("soc-validate", "--errors"),
    ])
    func aClosedPipeOnASideOutputIsAnIOError(_ tool: String, _ option: String) throws {
        let dir = try TemporaryDirectory()
        // Enough for each side output to overflow a pipe: malformed lines, short chats, labelled
        // messages, repeated chats.
        var text = ""
        for k in 0..<20_000 {
            text +=
                "{\"chat_id\": \"d\", \"experience\": {\"persona1\": {\"name\": \"Elias Vance\"}, \"persona2\": {\"name\": \"Luna Reyes\"}}, \"chat_parts\": [{\"sender\": \"persona1\", \"messages\": [\"Elias: hello there \(k % 7)\"]}]}\n"
            text += "{not json \(k)\n"
        }
        let input = try dir.write("in.jsonl", text)
        try dir.write("out.jsonl", "OLD\n")
        let extra = option == "--rejects" ? "" : "--rejects /dev/null"
        let arguments = tool == "soc-filter" ? "--min-turns 2" : tool == "soc-stats" ? "" : ""
        let run = try ToolProcess.shell(
            "\(tool) \(arguments) \(extra) \(option) >(head -c1 > /dev/null) -o '\(dir.path("out.jsonl"))' '\(input)'")
        #expect(run.status == 3, "\(tool) \(option): \(run.stderr.suffix(300))")
        #expect(run.stderr.contains("went away"), "\(run.stderr.suffix(300))")
        #expect(try dir.read("out.jsonl") == "OLD\n", "-o is not committed")
        #expect(try Self.temporaries(in: dir).isEmpty)
    }

    // MARK: Commit only what was read to the end

    @Test(arguments: tools)
    func anInputErrorCommitsNothing(_ tool: Tool) throws {
        let dir = try TemporaryDirectory()
        let good = try dir.write("good.jsonl", Self.chats(50))
        try dir.write("out.jsonl", "OLD\n")
        try dir.write(
            "cut.jsonl.gz", bytes: Data([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0x4c]))
        // Binary input (issue 13) stops the run like a missing file.
        try dir.write("data.parquet", bytes: Data("PAR1\u{15}\u{4}\0\0PAR1".utf8))
        for bad in [dir.path("missing.jsonl"), dir.path("cut.jsonl.gz"), dir.path("data.parquet")] {
            let run = try ToolProcess.shell(
                "\(tool.command(good, "-o '\(dir.path("out.jsonl"))' --rejects '\(dir.path("rej"))' --report '\(dir.path("rep"))'")) '\(bad)'"
            )
            #expect(run.status == 3, "\(run.stderr)")
            #expect(try dir.read("out.jsonl") == "OLD\n")
            #expect(!FileManager.default.fileExists(atPath: dir.path("rej")))
            #expect(!FileManager.default.fileExists(atPath: dir.path("rep")))
            #expect(try Self.temporaries(in: dir).isEmpty)
        }
    }

    @Test func aQuietStopOnStdoutCommitsTheSideFilesWithWhatWasProcessed() throws {
        let dir = try TemporaryDirectory()
        var text = ""
        for k in 0..<40_000 { text += k % 10 == 0 ? "{broken \(k)\n" : Self.chats(1, tag: "q\(k)-") }
        let input = try dir.write("in.jsonl", text)
        let run = try ToolProcess.shell(
            "soc-filter --rejects '\(dir.path("rej"))' --report '\(dir.path("rep"))' '\(input)' | head -1 > /dev/null; echo ${PIPESTATUS[0]}"
        )
        #expect(run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let report = try dir.readJSON("rep")
        let read = report["read"] as? Int ?? -1
        let written = report["written"] as? Int ?? -1
        let rejected = report["rejected"] as? Int ?? -1
        let removed = report["removed"] as? Int ?? -1
        #expect(read > 0 && read == written + rejected + removed)
        #expect(try dir.read("rej").split(separator: "\n").count == rejected)
        #expect(try Self.temporaries(in: dir).isEmpty)
    }

    // MARK: Outputs that are inputs

    @Test(arguments: tools)
    func anOutputThatIsAnInputIsRefusedBeforeWriting(_ tool: Tool) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("x.jsonl", Self.chats(20))
        let before = try dir.read("x.jsonl")
        for extra in [
            "-o '\(input)'", "--rejects '\(input)'", "--report '\(input)'",
            "-o '\(dir.path("y"))' --rejects '\(dir.path("y"))'",
            "-o '\(dir.path("y"))' --report './\(dir.url.lastPathComponent)/../\(dir.url.lastPathComponent)/y'",
        ] {
            let run = try ToolProcess.shell("cd '\(dir.url.path)/..' && \(tool.command(input, extra))")
            #expect(run.status == 2, "\(tool.name) \(extra): \(run.stderr)")
            #expect(try dir.read("x.jsonl") == before)
        }
        let fromStdin = try ToolProcess.shell(
            "\(tool.name) \(tool.arguments.joined(separator: " ")) -o '\(input)' < '\(input)'")
        #expect(fromStdin.status == 2, "\(fromStdin.stderr)")
        #expect(try dir.read("x.jsonl") == before)
        // Devices may be named twice.
        let devices = try ToolProcess.shell(
            "\(tool.command(input, "--rejects /dev/null --report /dev/null")) > /dev/null")
        #expect(devices.status == 0, "\(devices.stderr)")
        #expect(try Self.temporaries(in: dir).isEmpty)
    }

    @Test(arguments: tools)
    func aMissingFolderIsAnIOErrorAndLeavesNothing(_ tool: Tool) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.chats(20))
        let run = try ToolProcess.shell(
            tool.command(input, "-o '\(dir.path("missing/out"))' --rejects '\(dir.path("rej"))'"))
        #expect(run.status == 3)
        #expect(run.stderr.contains("missing"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("rej")))
        #expect(try Self.temporaries(in: dir).isEmpty)
    }

    // MARK: Closed standard streams, signals

    @Test(arguments: tools)
    func aClosedStdoutIsAnIOErrorAndNoFileTakesItsPlace(_ tool: Tool) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.chats(20))
        let run = try ToolProcess.shell("\(tool.command(input, "--rejects '\(dir.path("rej"))'")) >&-")
        #expect(run.status == 3, "\(run.stderr)")
        #expect(run.stderr.contains("standard output"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("rej")))
        // With -o, a closed stdout does not matter.
        let toFile = try ToolProcess.shell(
            "\(tool.command(input, "-o '\(dir.path("out"))' --rejects '\(dir.path("rej"))'")) >&-")
        #expect(toFile.status == 0, "\(toFile.stderr)")
        #expect(try dir.read("rej").isEmpty)
    }

    @Test(arguments: tools)
    func sigtermMidRunLeavesNoTemporary(_ tool: Tool) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.chats(20_000))
        // The input pauses, so the run is certainly in the middle when the signal comes.
        let script =
            "(cat '\(input)'; sleep 4; cat '\(input)') | \(tool.name) \(tool.arguments.joined(separator: " ")) -o '\(dir.path("out"))' --rejects '\(dir.path("rej"))' & pid=$!; sleep 1; kill -TERM $pid; wait $pid; echo $?"
        let run = try ToolProcess.shell(script)
        #expect(
            run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "143",
            "killed by SIGTERM: \(run.stdoutText) \(run.stderr)")
        #expect(try Self.temporaries(in: dir).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.path("out")))
    }

    /// A mapped input that another program truncates raises SIGBUS when its lost pages are read:
    /// an I/O error (status 3) that says so, with nothing committed. The signal is sent by hand
    /// here (a truncation race cannot be timed in a test).
    @Test func sigbusIsAnInputErrorThatCommitsNothing() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.chats(2_000))
        let script =
            "(cat '\(input)'; sleep 4) | soc-scrub - -o '\(dir.path("out"))' --rejects '\(dir.path("rej"))' 2>'\(dir.path("err"))' & pid=$!; sleep 1; kill -BUS $pid; wait $pid; echo $?"
        let run = try ToolProcess.shell(script)
        #expect(run.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == "3", "\(run.stdoutText)")
        #expect(try dir.read("err").contains("soc-scrub: "))
        #expect(try dir.read("err").contains("shrank while it was read"))
        #expect(try Self.temporaries(in: dir).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: dir.path("out")))
        #expect(!FileManager.default.fileExists(atPath: dir.path("rej")))
    }

    // MARK: File modes and links

    @Test func outputFilesFollowTheUmaskKeepTheOldModeAndWriteThroughLinks() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.chats(5))
        func mode(_ name: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: dir.path(name))[.posixPermissions] as? Int) ?? -1
        }
        #expect(try ToolProcess.shell("umask 077 && soc-filter '\(input)' -o '\(dir.path("new"))'").status == 0)
        #expect(try mode("new") == 0o600)
        #expect(try ToolProcess.shell("umask 022 && soc-filter '\(input)' -o '\(dir.path("new2"))'").status == 0)
        #expect(try mode("new2") == 0o644)
        try dir.write("old", "OLD\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: dir.path("old"))
        #expect(try ToolProcess.shell("soc-filter '\(input)' -o '\(dir.path("old"))'").status == 0)
        #expect(try mode("old") == 0o640)
        #expect(try dir.read("old") == Self.chats(5))
        try dir.write("target", "OLD\n")
        try FileManager.default.createSymbolicLink(atPath: dir.path("link"), withDestinationPath: "target")
        #expect(try ToolProcess.shell("soc-filter '\(input)' -o '\(dir.path("link"))'").status == 0)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.path("link")) == "target")
        #expect(try dir.read("target") == Self.chats(5))
    }
}
