import ArgumentParser
import SOCCore

extension StatsFormat: ExpressibleByArgument {}

/// `soc-stats`: one-pass statistics of SOC chats, SPB personas or any JSONL, for dataset cards,
/// CI gates and people; shard outputs merge exactly with `soc-stats merge`.
///
/// argument-parser dispatches: `analyze` is the default subcommand (so the root takes no
/// positional inputs that would read `merge` as a file name), and `ToolHelp` shows the
/// analysis options in `soc-stats --help`.
@main
struct StatsCommand: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "soc-stats",
        abstract: "Describe SOC chats, SPB personas or any JSONL in one pass: Markdown, JSON or HTML.",
        version: SOCTools.version,
        subcommands: [Analyze.self, Merge.self],
        defaultSubcommand: Analyze.self
    )

    /// Lists failed gates on stderr.
    static func report(failures: [String]) {
        for failure in failures { StandardError.write("soc-stats: requirement failed: \(failure)\n") }
    }
}

/// `soc-stats [analyze]`: the one-pass statistics (the default subcommand).
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
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
            """
    )

    @OptionGroup var common: CommonOptions

    @Option(help: "Output form: md (dataset card section), json (mergeable), html (self-contained page).")
    var format: StatsFormat = .md

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
        var configuration = RunConfiguration(tool: "soc-stats", common: common, writesRecords: false)
        configuration.output = nil
        let runner = RecordRunner(configuration: configuration, stage: stage)
        do {
            try runner.run()
        } catch let error as ToolError where error.exitStatus == .dataFailure {
            // Rejected lines: the gates are still reported before the run fails.
            StatsCommand.report(failures: stage.failures)
            throw error
        }
        StatsCommand.report(failures: stage.failures)
        if !stage.failures.isEmpty { throw RunFailure(.dataFailure, "") }
    }
}

/// `soc-stats merge`: merges the JSON outputs of shards into the figures of the whole.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge soc-stats JSON outputs of shards into the statistics of the whole.",
        discussion: """
            Counts, sums, min, max, mean, std and histogram bins merge exactly;
            quantiles are read from the merged histograms (within one bin);
            distinct persona ids become a HyperLogLog estimate.

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
        let status = StatsMerger.run(files: files, output: output ?? "-", format: format, requirements: gates) {
            failures in
            StatsCommand.report(failures: failures)
        }
        if status != .success { throw RunFailure(status, "") }
    }
}
