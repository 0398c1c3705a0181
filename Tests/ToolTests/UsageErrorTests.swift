import Foundation
import SOCTestSupport
import Testing

/// Arguments that cannot mean anything are usage errors, status 2 with a message (issue 11,
/// item 13), never a run that silently does something else.
@Suite struct UsageErrorTests {
    static let chat =
        #"{"chat_id":"a_b_1","experience":{"persona1":{"name":"Ann","id":"a"},"persona2":{"name":"Bob","id":"b"}},"chat_parts":[{"sender":"a","messages":["hi"]},{"sender":"b","messages":["yo"]}]}"#

    func expectUsageError(_ tool: String, _ arguments: [String], mentions: String, in dir: TemporaryDirectory) throws {
        let input = try dir.write("in.jsonl", Self.chat + "\n")
        let outcome = try ToolProcess.run(tool, arguments + [input])
        #expect(outcome.status == 2, "\(tool) \(arguments): \(outcome.stderr)")
        #expect(outcome.stderr.contains(mentions), "\(tool) \(arguments): \(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test(arguments: [
        (["--max-turns=-5"], "--max-turns must not be negative"),
        (["--min-turns", "5", "--max-turns", "3"], "--min-turns 5 is greater than --max-turns 3"),
        (["--min-messages", "9", "--max-messages", "2"], "--min-messages 9 is greater than --max-messages 2"),
        (["--min-words", "9", "--max-words", "2"], "--min-words 9 is greater than --max-words 2"),
        (["--min-chars", "9", "--max-chars", "2"], "--min-chars 9 is greater than --max-chars 2"),
        (["--max-words=-1"], "--max-words must not be negative"),
        (["--min-chars=-1"], "--min-chars must not be negative"),
        (["--max-message-chars=-1"], "--max-message-chars must not be negative"),
    ])
    func filterBounds(arguments: [String], message: String) throws {
        try expectUsageError("soc-filter", arguments, mentions: message, in: TemporaryDirectory())
    }

    @Test func unterminatedQuoteInARuleFile() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.write("bad.rules", "[r]\npattern: x\nreplace: \"abc\n")
        try expectUsageError("soc-scrub", ["--rules", rules], mentions: "bad.rules:3: unterminated quote", in: dir)
    }

    @Test func unknownPlaceholderInARuleFile() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.write("bad.rules", "[r]\npattern: ^{firstname}:\n")
        try expectUsageError("soc-scrub", ["--rules", rules], mentions: "unknown placeholder {firstname}", in: dir)
        // Quantifiers, escaped braces and the known placeholders are fine.
        let good = try dir.write(
            "good.rules",
            "[r]\npattern: ^x{2,}y{1}\\{firstname}\\p{L}\\x{41}[\\P{Lu}\\p{N}]{first_name}{name}{username}:\n")
        let outcome = try ToolProcess.run("soc-scrub", ["--rules", good, try dir.write("in.jsonl", Self.chat + "\n")])
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test func ruleFolderWithoutRuleFiles() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("empty"), withIntermediateDirectories: true)
        try expectUsageError("soc-scrub", ["--rules", dir.path("empty")], mentions: "holds no *.rules file", in: dir)
    }

    @Test func personaBankWithTwoDifferentPersonasForOneID() throws {
        let dir = try TemporaryDirectory()
        let same = try dir.write(
            "same.jsonl",
            #"{"id":"a","name":"Ann"}"# + "\n" + #"{"id":"b","name":"Bob"}"# + "\n" + #"{"id":"a", "name":"Ann"}"#
                + "\n")
        let input = try dir.write("in.jsonl", Self.chat + "\n")
        let accepted = try ToolProcess.run("soc-validate", ["--personas", same, "--skip", "unknown_kind", input])
        #expect(accepted.status != 2, "an identical repeat is harmless: \(accepted.stderr)")
        let bank = try dir.write("bank.jsonl", #"{"id":"a","name":"Ann"}"# + "\n" + #"{"id":"a","name":"Anna"}"# + "\n")
        try expectUsageError(
            "soc-validate", ["--personas", bank], mentions: "bank.jsonl:2: persona a differs from the one on line 1",
            in: dir)
    }

    @Test func statsMergeRefusesNegativeCounts() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.chat + "\n")
        let made = try ToolProcess.run("soc-stats", ["--format", "json", "-o", dir.path("a.json"), input])
        #expect(made.status == 0)
        let text = try dir.read("a.json")
        for (from, to) in [
            ("\"chats\": 1,", "\"chats\": -1,"), ("\"ids_seen\": 2", "\"ids_seen\": -2"),
            ("\"chats\": 1,", "\"chats\": 1e300,"),
        ] {
            #expect(text.contains(from))
            let bad = try dir.write("bad.json", text.replacingOccurrences(of: from, with: to))
            let outcome = try ToolProcess.run("soc-stats", ["merge", dir.path("a.json"), bad])
            #expect(outcome.status == 2, "\(to): \(outcome.stderr)")
            #expect(outcome.stderr.contains("bad.json"))
            #expect(outcome.stdout.isEmpty)
        }
    }
}
