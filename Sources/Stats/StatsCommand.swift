import ArgumentParser
import SOCCore

extension StatsFormat: ExpressibleByArgument {}

/// `soc-stats`: one-pass statistics of SOC chats, SPB personas or any JSONL, for dataset cards,
/// CI gates and people; shard outputs merge exactly with `soc-stats merge`.
@main
struct StatsCommand: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "soc-stats",
        abstract: "Describe SOC chats, SPB personas or any JSONL in one pass: Markdown, JSON or HTML.",
        discussion: """
            Each record is sorted by its kind: a chat (has chat_parts, chat_id or
            experience), an SPB persona (has traits, background, chatting_style or
            username), or another record (key frequencies and types). Only the
            statistics are written (-o FILE atomically). Numeric figures give n,
            min, max, mean, std, p50, p90, p99 and a histogram; tags follow
            docs/formats.md (<3, a < b, <https://...> are text). Memory stays
            constant.

            --require NAME OP NUMBER gates on a number of the JSON output, named
            by its dotted path (turns.p50, tags.end.chats_share,
            speakers.persona1_share, spb.duplicate_ids; see docs/stats.md); OP is
            >=, <=, ==, !=, > or <. Each failed gate is listed with its actual
            value and the exit status is 1.

            Examples:
              soc-validate raw.jsonl | soc-scrub | soc-stats > stats.md
              soc-stats --format html -o report.html chats.jsonl.zst
              soc-stats --format json -o a.json a.jsonl   # one per shard
              soc-stats merge a.json b.json -o all.json
              soc-stats --require 'turns.p50>=8' \\
                        --require 'tags.end.chats_share>=0.5' clean.jsonl

            Reason codes: malformed_json, invalid_utf8, too_deep, line_too_long
            (rejected lines), not_a_chat (chat_parts is not a list of {sender,
            messages}), empty_line (removed).
            Exit status: 0 ok, 1 a failed --require or rejected lines without
            --rejects, 2 usage, 3 I/O error.
            """,
        version: SOCTools.version,
        subcommands: [Merge.self, Funnel.self]
    )

    /// `soc-stats merge ...` goes to `Merge`; anything else is an analysis. (A root command with
    /// positional inputs would otherwise read `merge` as a file name.)
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "merge" { ToolMain.run(Merge.self, Array(arguments.dropFirst())) }
        if arguments.first == "funnel" { ToolMain.run(Funnel.self, Array(arguments.dropFirst())) }
        // `soc-stats help [merge]`, as the help suggests (a file named help is `./help`).
        if arguments.first == "help" {
            switch Array(arguments.dropFirst()) {
            case []: ToolMain.run(StatsCommand.self, ["--help"])
            case ["merge"]: ToolMain.run(Merge.self, ["--help"])
            case ["funnel"]: ToolMain.run(Funnel.self, ["--help"])
            case let other:
                ToolMain.fail(
                    RunFailure(
                        .usage,
                        "no help on '\(other.joined(separator: " "))'; try 'soc-stats help' or 'soc-stats help merge'"),
                    tool: "soc-stats")
            }
        }
        ToolMain.run(StatsCommand.self, arguments)
    }

    @OptionGroup var common: CommonOptions

    @Option(
        help:
            "Output form: md (dataset card section), json (mergeable), html (self-contained page), card (a whole dataset card)."
    )
    var format: StatsFormat = .md

    @OptionGroup var card: CardOptions

    @Option(
        name: .customLong("require"),
        help: ArgumentHelp("A gate NAME OP NUMBER, e.g. 'turns.p50>=8' (repeatable).", valueName: "expr"))
    var requirements: [String] = []

    func validate() throws {
        for text in requirements {
            do { _ = try StatsRequirement(parsing: text) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        let gates = try requirements.map { text in try StatsRequirement(parsing: text) }
        let stage = StatsStage(
            inputs: common.inputFiles.map(\.displayName), format: format, output: common.output, requirements: gates)
        stage.funnel = try card.funnel()
        stage.card = card.settings
        var configuration = RunConfiguration(tool: "soc-stats", common: common, writesRecords: false)
        configuration.output = nil
        let runner = RecordRunner(configuration: configuration, stage: stage)
        do {
            try runner.run()
        } catch let error as ToolError where error.exitStatus == .dataFailure {
            // Rejected lines: the gates are still reported before the run fails.
            Self.report(failures: stage.failures)
            throw error
        }
        Self.report(failures: stage.failures)
        if !stage.failures.isEmpty { throw RunFailure(.dataFailure, "") }
    }

    /// Lists failed gates on stderr.
    static func report(failures: [String]) {
        for failure in failures { StandardError.write("soc-stats: requirement failed: \(failure)\n") }
    }
}

/// `soc-stats merge`: merges the JSON outputs of shards into the figures of the whole.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soc-stats merge",
        abstract: "Merge soc-stats JSON outputs of shards into the statistics of the whole.",
        discussion: """
            Counts, sums, min, max, mean, std and histogram bins merge exactly;
            quantiles are read from the merged histograms (within one bin);
            distinct persona ids stay exact while the shards' id sets fit
            (2^20 ids), then become a HyperLogLog estimate.

            Example:
              soc-stats merge a.json b.json -o all.json --require 'turns.p50>=8'
            """
    )

    @Argument(help: ArgumentHelp("soc-stats --format json outputs to merge.", valueName: "file"))
    var files: [String]

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("Write to FILE (atomically) instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: "Output form of the merged figures.")
    var format: StatsFormat = .json

    @OptionGroup var card: CardOptions

    @Option(
        name: .customLong("require"),
        help: ArgumentHelp("A gate NAME OP NUMBER on the merged figures (repeatable).", valueName: "expr"))
    var requirements: [String] = []

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one soc-stats JSON file") }
        for text in requirements {
            do { _ = try StatsRequirement(parsing: text) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        let gates = try requirements.map { text in try StatsRequirement(parsing: text) }
        let status = StatsMerger.run(
            files: files, output: output ?? "-", format: format, requirements: gates, funnel: try card.funnel(),
            card: card.settings
        ) {
            failures in
            StatsCommand.report(failures: failures)
        }
        if status != .success { throw RunFailure(status, "") }
    }
}
