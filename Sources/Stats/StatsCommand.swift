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
        subcommands: [Analyze.self, Merge.self, Funnel.self],
        defaultSubcommand: Analyze.self
    )

    /// Lists failed gates on stderr.
    static func report(failures: [String]) {
        for failure in failures {
            DiagnosticChannel.shared.say(
                "requirement failed: \(failure)", level: .error, code: "requirement_failed", tool: "soc-stats")
        }
    }
}

/// `soc-stats [analyze]`: the one-pass statistics (the default subcommand).
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Given, not derived from the type name (`String(describing:)` on each look-up at start-up).
        commandName: "analyze",
        abstract: "Describe SOC chats, SPB personas or any JSONL in one pass: Markdown, JSON or HTML.",
        discussion: """
            Each record is sorted by its kind: a chat (has chat_parts, chat_id or experience; with --layout auto also messages or conversations, the OpenAI and ShareGPT layouts of docs/formats.md), an SPB persona (has traits, background, chatting_style or username), or another record (key frequencies and types). Only the statistics are written (-o FILE atomically). Numeric figures give n, min, max, mean, std, p50, p90, p99 and a histogram; tags follow docs/formats.md (<3, a < b, <https://...> are text). Memory stays constant.

            --require NAME OP NUMBER gates on a number of the JSON output, named by its dotted path (turns.p50, tags.end.chats_share, speakers.persona1_share, spb.duplicate_ids; --list-figures prints them all, docs/stats.md says what they mean); OP is >=, <=, ==, !=, > or <. Each failed gate, including one on a figure this input leaves without a value, is listed with its actual value and the exit status is 1; a NAME no input can have is a usage error (status 2).

            Examples:
              soc-validate raw.jsonl | soc-scrub | soc-stats > stats.md
              soc-stats --format html -o report.html chats.jsonl.zst
              soc-stats --format json -o a.json a.jsonl   # one per shard
              soc-stats merge a.json b.json -o all.json
              soc-stats funnel validate.json scrub.json dedup.json filter.json
              soc-stats clean.jsonl --format card --reports validate.json \\
                        scrub.json dedup.json filter.json > README.md
              soc-stats --require 'turns.p50>=8' \\
                        --require 'tags.end.chats_share>=0.5' clean.jsonl

            Reason codes: malformed_json, invalid_utf8, too_deep, line_too_long (rejected lines), not_a_chat (chat_parts is not a list of {sender, messages}; messages or conversations not a list of objects with a role / from string), empty_line (removed).
            Exit status: 0 ok, 1 a failed --require or rejected lines without --rejects, 2 usage (also a malformed --require or one naming no figure), 3 I/O error.
            """
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var layout: LayoutOption

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

    @Flag(help: "Print every figure name --require accepts, one per line (<i>: an index), and exit.")
    var listFigures = false

    func validate() throws {
        for text in requirements {
            do { _ = try StatsRequirement(checking: text) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        if listFigures {
            let sink = try OutputSink.file(common.output ?? "-")
            try sink.write(StatsFigureNames.patterns.joined(separator: "\n") + "\n")
            try sink.commit()
            return
        }
        let gates = try requirements.map { text in try StatsRequirement(checking: text) }
        let stage = StatsStage(
            inputs: common.inputFiles.map(\.displayName), format: format, output: common.output, requirements: gates,
            layout: layout.layout)
        stage.funnel = try card.funnel()
        stage.card = card.settings
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
        // Given, not derived from the type name (`String(describing:)` on each look-up at start-up).
        commandName: "merge",
        abstract: "Merge soc-stats JSON outputs of shards into the statistics of the whole.",
        discussion: """
            Counts, sums, min, max, mean, std and histogram bins merge exactly;
            quantiles are read from the merged histograms (within one bin);
            distinct persona ids and category counts stay exact while the
            shards' hash sets fit (2^20 values), then become a HyperLogLog
            estimate.

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

    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one soc-stats JSON file") }
        for text in requirements {
            do { _ = try StatsRequirement(checking: text) } catch { throw ValidationError(error.description) }
        }
    }

    func run() throws {
        let gates = try requirements.map { text in try StatsRequirement(checking: text) }
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
