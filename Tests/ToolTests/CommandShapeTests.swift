import Foundation
import SOCTestSupport
import Testing

/// How the tools take their command lines: subcommands dispatched by argument-parser, a default
/// subcommand's options in the root's help, `help NAME`, `-V`/`--version` (issues 12 and 13).
@Suite struct CommandShapeTests {
    static let tools = ["soc-validate", "soc-scrub", "soc-dedup", "soc-filter", "soc-stats"]

    /// `--help`, `-h` and `help` print the same text, which lists the default subcommand's
    /// arguments and options as well as the other subcommands.
    @Test(arguments: [
        ("soc-stats", "analyze", ["--format <format>", "--require <expr>", "merge"]),
        (
            "soc-dedup", "run",
            ["--threshold <t>", "--key <json-path>", "--clusters <file>", "sign", "cluster", "apply"]
        ),
    ])
    func rootHelpShowsTheDefaultSubcommandsOptions(tool: String, defaultName: String, needles: [String]) throws {
        let help = try ToolProcess.run(tool, ["--help"])
        #expect(help.status == 0, "\(help.stderr)")
        let text = help.stdoutText
        for needle in needles + [
            "ARGUMENTS:", "<file>", "--output <file>", "\(defaultName) (default)", "-V, --version",
        ] {
            #expect(text.contains(needle), "\(tool) --help lacks \(needle)")
        }
        let usage = text.split(separator: "\n").first { $0.hasPrefix("USAGE: ") } ?? ""
        #expect(usage.hasPrefix("USAGE: \(tool) [\(defaultName)] ["), "\(usage)")
        #expect(try ToolProcess.run(tool, ["-h"]).stdoutText == text)
        #expect(try ToolProcess.run(tool, ["help"]).stdoutText == text)
        let subcommandHelp = try ToolProcess.run(tool, ["help", defaultName])
        #expect(subcommandHelp.status == 0)
        #expect(subcommandHelp.stdoutText.contains("USAGE: \(tool) \(defaultName) "))
        #expect(!subcommandHelp.stdoutText.contains("SUBCOMMANDS:"))
    }

    @Test(arguments: ["soc-stats", "soc-dedup"])
    func helpOnAnUnknownSubcommandIsAUsageError(tool: String) throws {
        let outcome = try ToolProcess.run(tool, ["help", "nothing"])
        #expect(outcome.status == 2)
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("no help on 'nothing'"), "\(outcome.stderr)")
    }

    /// The analysis runs with or without its subcommand's name; `merge` is a subcommand, and a
    /// file named like one is reached as `./merge`.
    @Test func statsDispatchesThroughItsSubcommands() throws {
        let dir = try TemporaryDirectory()
        let chat =
            #"{"chat_id":"c1","chat_parts":[{"sender":"p1","messages":["hi there"]},{"sender":"p2","messages":["hello <end/>"]}]}"#
        let input = try dir.write("merge", chat + "\n")
        let plain = try ToolProcess.run("soc-stats", ["--format", "json", "./merge"], in: dir.url)
        #expect(plain.status == 0, "\(plain.stderr)")
        let named = try ToolProcess.run("soc-stats", ["analyze", "--format", "json", input])
        #expect(named.status == 0, "\(named.stderr)")
        #expect(named.stdoutText.contains(#""records": 1"#), "\(named.stdoutText)")
        #expect(named.stdoutText.replacingOccurrences(of: input, with: "./merge") == plain.stdoutText)
        let shard = try dir.write("a.json", named.stdoutText)
        let merged = try ToolProcess.run("soc-stats", ["merge", shard, shard, "--format", "json"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdoutText.contains(#""records": 2"#), "\(merged.stdoutText)")
        // An analysis option given to merge is a usage error, not a file name.
        #expect(try ToolProcess.run("soc-stats", ["merge", "--threads", "2", shard]).status == 2)
    }

    /// soc-dedup parses a line that can only mean `run` as `run` alone
    /// (`DedupCommand.parseDefaultSubcommand`); a line with `run` named, a help or version
    /// request anywhere, or a usage error takes the root's parse: the same outputs, messages and
    /// statuses either way.
    @Test func dedupRunsTheSameWithOrWithoutRunNamed() throws {
        let dir = try TemporaryDirectory()
        let chat = #"{"chat_id":"c1","chat_parts":[{"sender":"p1","messages":["hi there you"]}]}"#
        let input = try dir.write("in.jsonl", chat + "\n" + chat + "\n")
        for options in [
            ["--key", "chat_id"], ["--ngram", "3", "--removed", "/dev/null"], ["--ngram", "0"], ["--bogus"],
        ] {
            let plain = try ToolProcess.run("soc-dedup", options + [input])
            let named = try ToolProcess.run("soc-dedup", ["run"] + options + [input])
            #expect(plain.status == named.status && plain.stdout == named.stdout, "\(options)")
            #expect(plain.stderr == named.stderr, "\(options)")
        }
        #expect(try ToolProcess.run("soc-dedup", ["--ngram", "0", input]).stderr.contains("Usage: soc-dedup run"))
        // A help request after a file is `run`'s help, as the root's parse has it.
        let help = try ToolProcess.run("soc-dedup", ["run", "--help"])
        #expect(try ToolProcess.run("soc-dedup", [input, "--help"]).stdout == help.stdout)
        let version = try ToolProcess.run("soc-dedup", ["--version"])
        #expect(try ToolProcess.run("soc-dedup", [input, "-V"]).stdout == version.stdout)
    }

    /// `-V` is `--version` on every tool and in every subcommand; the version itself is not
    /// pinned here, only its shape (semantic version, optionally git-described).
    @Test(arguments: tools)
    func shortVersionEqualsLongVersion(tool: String) throws {
        let long = try ToolProcess.run(tool, ["--version"])
        let short = try ToolProcess.run(tool, ["-V"])
        #expect(long.status == 0 && short.status == 0)
        #expect(short.stdout == long.stdout)
        let version = long.stdoutText.trimmingCharacters(in: .newlines)
        #expect(
            version.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?/) != nil, "\(tool) version '\(version)'")
        let help = try ToolProcess.run(tool, ["--help"])
        #expect(help.stdoutText.contains("-V, --version"), "\(tool)")
    }

    @Test func shortVersionWorksInSubcommands() throws {
        let root = try ToolProcess.run("soc-dedup", ["--version"]).stdout
        #expect(try ToolProcess.run("soc-dedup", ["sign", "-V"]).stdout == root)
        #expect(try ToolProcess.run("soc-stats", ["merge", "-V"]).stdout == root)
        // After `--`, -V is an input file like any other.
        let file = try ToolProcess.run("soc-filter", ["--", "-V"])
        #expect(file.status == 3)
        #expect(file.stderr.contains("-V: cannot open"), "\(file.stderr)")
    }

    static let commands: [[String]] =
        tools.map { [$0] } + [
            ["soc-dedup", "sign"], ["soc-dedup", "cluster"], ["soc-dedup", "apply"], ["soc-stats", "merge"],
        ]

    /// At any terminal width (`COLUMNS`, as argument-parser reads it) no help line runs past it,
    /// the usage line included; the exceptions are argument-parser's own closing hint and a
    /// single word longer than the room left (it cannot be broken).
    @Test(arguments: [50, 60, 80, 100])
    func helpWrapsAtTheTerminalWidth(columns: Int) throws {
        for command in Self.commands {
            let help = try ToolProcess.shell("COLUMNS=\(columns) \(command.joined(separator: " ")) --help")
            #expect(help.status == 0, "\(command)")
            for line in help.stdoutText.split(separator: "\n") where line.count > columns {
                let unbreakable = !line.trimmingPrefix(while: { $0 == " " }).contains(" ")
                #expect(unbreakable || line.hasPrefix("  See '"), "\(command) at \(columns) columns: \(line)")
            }
        }
    }

    /// One concept, one value name: files are <file>, counts and sizes <n>, JSON paths
    /// <json-path>; and an option has the same value name in every tool and subcommand.
    @Test func valueNamesAreConsistentAcrossTools() throws {
        var seen: [String: String] = [:]
        let files = [
            "output", "report", "rejects", "removed", "clusters", "audit", "errors", "schema", "personas", "remove",
        ]
        let numbers = ["threads", "max-depth", "max-line-bytes", "ngram", "num-perm", "max-records", "cache-size"]
        for command in Self.commands {
            let help = try ToolProcess.run(command[0], Array(command.dropFirst()) + ["--help"]).stdoutText
            for match in help.matches(of: /(--[a-z-]+) <([a-z=-]+)>/) {
                let (option, value) = (String(match.1), String(match.2))
                if let earlier = seen[option] { #expect(earlier == value, "\(option): <\(earlier)> and <\(value)>") }
                seen[option] = value
                let name = String(option.dropFirst(2))
                if files.contains(name) { #expect(value == "file", "\(option) <\(value)>") }
                if numbers.contains(name) || name.hasPrefix("min-") || name.hasPrefix("max-") {
                    #expect(value == "n", "\(option) <\(value)>")
                }
            }
            for positional in help.matches(of: /^  <([a-z-]+)>/.anchorsMatchLineEndings()) {
                #expect(positional.1 == "file", "\(command): <\(positional.1)>")
            }
        }
        #expect(seen["--key"] == "json-path" && seen["--text"] == "json-path")
        #expect(seen.count > 25)
    }
}
