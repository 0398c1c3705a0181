import ArgumentParser
import SOCCore

/// `soc-dedup`: removes exact and near-duplicate records, keeping the first occurrence; the
/// same decisions can be made in stages (`sign`, `cluster`, `apply`) over many machines.
///
/// `run` is the default subcommand; `ToolHelp` shows its options in `soc-dedup --help`.
@main
struct DedupCommand: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "soc-dedup",
        abstract: "Remove exact and near-duplicate records (MinHash LSH), keeping the first occurrence.",
        version: SOCTools.version,
        subcommands: [Run.self, Sign.self, Cluster.self, Apply.self],
        defaultSubcommand: Run.self
    )

    /// `Run` alone when no argument names a subcommand or asks for help or the version (the
    /// root would read those) and `Run` parses the line; else nil, and the root parses it.
    static func parseDefaultSubcommand(_ arguments: [String]) -> ParsableCommand? {
        // Configured names only: `_commandName` of a type without one spells the type's name out
        // at run time (3.8M instructions for three of them).
        let named = configuration.subcommands.compactMap { $0.configuration.commandName }
        guard named.count == configuration.subcommands.count else { return nil }
        let names = Set(named + ["help", "--", "-h", "--help", "--version"])
        let rootOptions = ["--help", "--version", "--generate-completion", "--experimental"]
        for argument in arguments {
            if names.contains(argument) || rootOptions.contains(where: { argument.hasPrefix($0) }) { return nil }
        }
        return try? Run.parseAsRoot(arguments)
    }
}

/// What a duplicate is: shared by the one-shot run and `sign`.
struct ComparisonOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "A JSON path (e.g. chat_id, experience.persona1.id); records whose values at all --key paths equal a kept record's are exact_key duplicates. Repeatable: the values together form the key.",
            valueName: "json-path"))
    var key: [String] = []

    @Option(
        help: ArgumentHelp(
            "Compare the strings at or under this JSON path instead of the chat's message text (any --layout) / the persona's background and chatting style. Repeatable, in order.",
            valueName: "json-path"))
    var text: [String] = []

    @Option(help: ArgumentHelp("The id written to --clusters (default: chat_id, else id).", valueName: "json-path"))
    var id: String?

    @Option(help: ArgumentHelp("Words per shingle.", valueName: "n"))
    var ngram = 5

    @Option(help: ArgumentHelp("MinHash signature length (bins).", valueName: "n"))
    var numPerm = 128

    @Flag(help: "Do not remove records whose normalized text equals a kept record's (exact_text).")
    var noExactText = false

    @Flag(help: "Do not remove near duplicates (exact checks only).")
    var noNear = false

    @OptionGroup var layout: LayoutOption

    func validate() throws {
        guard ngram >= 1, ngram <= 64 else { throw ValidationError("--ngram must be between 1 and 64") }
        guard numPerm >= 2, numPerm <= 1024 else { throw ValidationError("--num-perm must be between 2 and 1024") }
        if noExactText && noNear && key.isEmpty {
            throw ValidationError("nothing to compare: give --key, or drop --no-exact-text / --no-near")
        }
        _ = try settings()
    }

    func settings() throws -> DedupSettings {
        var settings = DedupSettings()
        settings.ngram = ngram
        settings.numPerm = numPerm
        settings.exactText = !noExactText
        settings.near = !noNear
        settings.layout = layout.layout
        do {
            settings.keys = try key.map { (path) throws(RecordPathError) in try RecordPath(path) }
            settings.text = try text.map { (path) throws(RecordPathError) in try RecordPath(path) }
            settings.id = try id.map { (path) throws(RecordPathError) in try RecordPath(path) }
        } catch {
            throw ValidationError(error.description)
        }
        return settings
    }
}

/// The threshold and the memory limit: shared by the one-shot run and `cluster`.
struct IndexOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Jaccard similarity at or above which a record is a near duplicate (0 < t < 1).", valueName: "t"))
    var threshold = 0.8

    @Option(
        help: ArgumentHelp(
            "Weight of false negatives (false positives weigh 1 - W) when bands and rows are chosen; candidates are verified, so missing a duplicate costs more than checking one.",
            valueName: "w"))
    var fnWeight = 0.9

    @Option(
        help: ArgumentHelp(
            "Stop with an error (status 1) rather than keep more than N distinct records in memory (about 1 KB each). Default: half the physical memory's worth.",
            valueName: "n"))
    var maxRecords: Int?

    @Option(
        help: ArgumentHelp(
            "Write one JSON line per removed record to FILE: {line, id, reason, kept_line, kept_id, similarity, file, kept_file}.",
            valueName: "file"))
    var clusters: String?

    @Option(
        help: ArgumentHelp(
            "greedy: compare each record with the records kept before it (streams; the default). components: connected components of verified pairs, the earliest record of each survives (what a distributed run computes; reads file inputs twice). See docs/dedup.md.",
            valueName: "mode"))
    var groups = DedupGroups.greedy

    @Option(
        help: ArgumentHelp(
            "With --groups components: each bucket representative is verified against at most N earlier ones.",
            valueName: "n"))
    var bucketWindow = ComponentGrouping.defaultWindow

    func validate() throws {
        guard bucketWindow >= 1 else { throw ValidationError("--bucket-window must be at least 1") }
        guard threshold > 0, threshold < 1 else {
            throw ValidationError("--threshold must be greater than 0 and less than 1")
        }
        guard fnWeight > 0, fnWeight < 1 else {
            throw ValidationError("--fn-weight must be greater than 0 and less than 1")
        }
        if let maxRecords, maxRecords < 1 { throw ValidationError("--max-records must be at least 1") }
    }

    var recordLimit: Int { maxRecords ?? DedupLimit.defaultMaxRecords }
}

extension DedupCommand {
    /// The one-shot run (the default subcommand); its help is the tool's help.
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Remove exact and near-duplicate records (MinHash LSH), keeping the first occurrence.",
            discussion: """
                A record is removed when it duplicates a record kept before it, checked in this order:
                  exact_key       its values at all --key paths equal a kept record's
                  exact_text      its normalized text equals a kept record's
                  near_duplicate  the Jaccard similarity of its shingles with a kept
                                  record's, estimated by MinHash, is >= --threshold
                Kept records are written byte-identical, in input order, as soon as they are read; the first occurrence always survives.

                Text: a SOC chat's message strings in order (a record with chat_parts); an OpenAI or ShareGPT chat's message text (--layout; system messages left out, see docs/formats.md); an SPB persona's background, then chatting_style; with --text PATH (repeatable), every string at or under those paths, in order. Tokens: maximal runs of Unicode letters and digits (categories L*, N*) inside one string, each lowercased. Normalized text: the tokens joined by single spaces. Shingle: --ngram consecutive tokens joined by a space (a shorter text is one shingle), hashed with 64-bit XXH3 over its UTF-8 bytes. Signature: --num-perm one-permutation MinHash bins. LSH bands and rows minimise the weighted false-positive plus false-negative areas at the threshold (--fn-weight; printed in --report). Every LSH candidate is verified on 16-bit signature values (2 bytes per permutation per kept record) before removal. Records without tokens only match by --key.

                Examples:
                  cat raw.jsonl | soc-validate | soc-scrub \\
                    | soc-dedup --key chat_id | soc-filter --min-turns 4 > clean.jsonl
                  soc-dedup --clusters clusters.jsonl --removed dups.jsonl \\
                    --report report.json chats.jsonl > kept.jsonl
                Staged over shards (the concatenated apply outputs equal the one-shot output over the concatenated shards):
                  soc-dedup sign --shard 1 part1.jsonl > 1.sig   # each shard, in parallel
                  soc-dedup cluster 1.sig 2.sig 3.sig > remove.txt
                  soc-dedup apply --shard 1 --remove remove.txt part1.jsonl \\
                    > kept1.jsonl

                Reason codes: removed exact_key, exact_text, near_duplicate, empty_line; rejected malformed_json, invalid_utf8, too_deep, line_too_long.
                Exit status: 0 ok; 1 rejected lines without --rejects (or with --strict), or more than --max-records distinct records; 2 usage; 3 I/O error.
                """
        )

        @OptionGroup var common: CommonOptions
        @OptionGroup var removal: RemovedOption
        @OptionGroup var comparison: ComparisonOptions
        @OptionGroup var index: IndexOptions

        func run() throws {
            var settings = try comparison.settings()
            settings.threshold = index.threshold
            settings.fnWeight = index.fnWeight
            let configuration = RunConfiguration(tool: "soc-dedup", common: common, removed: removal.removed)
            if index.groups == .components {
                try ComponentsRun(
                    settings: settings, window: index.bucketWindow, maxRecords: index.recordLimit,
                    clustersPath: index.clusters
                ).run(configuration)
                return
            }
            let stage = DedupStage(settings: settings, maxRecords: index.recordLimit, clustersPath: index.clusters)
            try RecordRunner(configuration: configuration, stage: stage).run()
        }
    }

    /// Stage 1: signatures of one shard.
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sign",
            abstract: "Write the signature file of one shard (stage 1 of 3).",
            discussion:
                "Writes a versioned, tab-separated signature file (see docs/dedup.md) to stdout or -o; writes no records. Give the same comparison options to every shard."
        )

        @OptionGroup var common: CommonOptions
        @OptionGroup var comparison: ComparisonOptions

        @Option(
            help: ArgumentHelp(
                "This shard's number (its position in the concatenation is the order given to cluster).", valueName: "k"
            ))
        var shard: Int

        @Flag(
            help:
                "Write a band file for --groups components on a cluster (band keys and 16-bit verification values per record; docs/dedup.md) instead of a signature file."
        )
        var bands = false

        @Option(help: ArgumentHelp("With --bands: the --threshold the bands are chosen for.", valueName: "t"))
        var threshold = 0.8

        @Option(help: ArgumentHelp("With --bands: the --fn-weight the bands are chosen for.", valueName: "w"))
        var fnWeight = 0.9

        func validate() throws {
            guard shard >= 0 else { throw ValidationError("--shard must not be negative") }
            guard threshold > 0, threshold < 1, fnWeight > 0, fnWeight < 1 else {
                throw ValidationError("--threshold and --fn-weight must be greater than 0 and less than 1")
            }
        }

        func run() throws {
            var settings = try comparison.settings()
            settings.threshold = threshold
            settings.fnWeight = fnWeight
            let stage = SignStage(shard: shard, settings: settings, output: common.output ?? "-", bands: bands)
            var configuration = RunConfiguration(tool: "soc-dedup", common: common, writesRecords: false)
            configuration.output = nil
            let runner = RecordRunner(configuration: configuration, stage: stage)
            try runner.run()
        }
    }

    /// Stage 2: the global decision.
    struct Cluster: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cluster",
            abstract: "Decide removals from the shards' signature files (stage 2 of 3).",
            discussion:
                "Reads the signature files in the order given (that order is the concatenation order) and writes the removal list: exactly what the one-shot run would remove."
        )

        @Argument(help: ArgumentHelp("Signature files from `soc-dedup sign`, in shard order.", valueName: "file"))
        var signatures: [String]

        @Option(
            name: [.short, .customLong("output")],
            help: ArgumentHelp("Write the removal list to FILE (atomically) instead of stdout.", valueName: "file"))
        var output: String?

        @Option(
            help: ArgumentHelp("Write the JSON report (counts per reason, LSH parameters) to FILE.", valueName: "file"))
        var report: String?

        @OptionGroup var index: IndexOptions
        @OptionGroup var diagnostics: DiagnosticOptions

        func validate() throws {
            guard !signatures.isEmpty else { throw ValidationError("give at least one signature file") }
        }

        func run() throws {
            try StandardOutputShare.check(
                [("-o", output ?? "-"), ("--report", report ?? ""), ("--clusters", index.clusters ?? "")],
                mainOutput: "the removal list")
            var cluster = ClusterRun(
                signatureFiles: signatures, threshold: index.threshold, fnWeight: index.fnWeight,
                maxRecords: index.recordLimit, clustersPath: index.clusters)
            cluster.groups = index.groups
            cluster.window = index.bucketWindow
            let sink = try OutputSink.file(output ?? "-")
            let outcome = try cluster.run(output: sink)
            try sink.commit()
            if let report {
                let json = RunReport(
                    tool: "soc-dedup cluster", tally: outcome.tally, inputs: signatures, extras: outcome.extras
                ).json
                let reportSink = try OutputSink.file(report)
                try reportSink.write(json.prettyPrinted() + "\n")
                try reportSink.commit()
            }
        }
    }

    /// Stage 3: one shard's survivors.
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apply",
            abstract: "Write one shard's survivors, given the removal list (stage 3 of 3)."
        )

        @OptionGroup var common: CommonOptions
        @OptionGroup var removal: RemovedOption

        @Option(help: ArgumentHelp("This shard's number, as given to sign.", valueName: "k"))
        var shard: Int

        @Option(help: ArgumentHelp("The removal list written by cluster.", valueName: "file"))
        var remove: String

        func run() throws {
            let list = try RemovalList.read(remove, shard: shard)
            guard list.expected != nil else {
                throw SignatureFileError("\(remove): shard \(shard) was not among the signature files given to cluster")
            }
            let runner = RecordRunner(
                configuration: RunConfiguration(tool: "soc-dedup", common: common, removed: removal.removed),
                stage: ApplyStage(removals: list.removals, expected: list.expected))
            try runner.run()
        }
    }
}

extension DedupGroups: ExpressibleByArgument {}
