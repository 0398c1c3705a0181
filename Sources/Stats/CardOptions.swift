import ArgumentParser
import SOCCore

/// The options of the card and of the cleaning funnel shown with the statistics, shared by
/// `soc-stats` and `soc-stats merge`.
struct CardOptions: ParsableArguments {
    @Option(
        name: .customLong("reports"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "The --report files of the cleaning stages, in pipeline order: adds the cleaning funnel (md, html, card).",
            valueName: "report"))
    var reports: [String] = []

    @Option(
        name: .customLong("data-files"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "The card's data_files paths or globs (default: the input files).", valueName: "path"))
    var dataFiles: [String] = []

    @Option(
        name: .customLong("language"),
        help: ArgumentHelp(
            "An ISO 639 code for the card's language list (repeatable; none by default).", valueName: "code"))
    var languages: [String] = []

    /// The card's settings.
    var settings: DatasetCard.Settings { DatasetCard.Settings(dataFiles: dataFiles, languages: languages) }

    /// The funnel of `--reports`, or nil without them.
    func funnel() throws(RunFailure) -> CleaningFunnel? {
        reports.isEmpty ? nil : try StatsMerger.loadFunnel(reports)
    }
}

/// `soc-stats funnel`: the whole clean-up from the stages' `--report` files.
struct Funnel: ParsableCommand {
    static let configuration = CommandConfiguration(
        // Given, not derived from the type name (`String(describing:)` on each look-up at start-up).
        commandName: "funnel",
        abstract: "Show the cleaning funnel of a pipeline from its stages' --report files.",
        discussion: """
            Give the --report files in pipeline order. The table goes from the
            lines read through each stage's rejected and removed lines by reason
            to the lines written. The counts must chain (one stage's written =
            the next stage's read): otherwise each break is on stderr and the exit
            status is 1 (the table is written all the same). Reports of runs that
            wrote no records (--check, --dry-run, soc-stats) are refused (status 2).

            Example:
              soc-stats funnel validate.json scrub.json dedup.json filter.json --format html -o funnel.html
            """
    )

    @Argument(help: ArgumentHelp("--report files of the stages, in pipeline order.", valueName: "report"))
    var files: [String]

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("Write to FILE (atomically) instead of stdout.", valueName: "file"))
    var output: String?

    @Option(help: "Output form: md (a table), json or html (a table and a chart).")
    var format: StatsFormat = .md

    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give the --report files of the stages, in order") }
        guard format != .card else { throw ValidationError("a funnel is written as md, json or html") }
    }

    func run() throws {
        try StatsMerger.runFunnel(files: files, output: output ?? "-", format: format)
    }
}
