import ArgumentParser
import SOCCore

/// `soc-scrub`: removes speaker-name artifacts and fixes tags in SOC chats (and leaked handles in
/// SPB persona names) with PCRE2 rules read from rule files.
@main
struct ScrubCommand: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "soc-scrub",
        abstract: "Remove speaker labels, split glued tags and clean persona names with PCRE2 rules.",
        discussion: """
        Default rules (rules/scrub/*.rules, built in): a speaker label such as
        "Elias Vance: ", "**Luna:** " or "[quantum_scribe]: " at the start of a
        message or of a line in it is removed (either persona's full name, first
        name or username, any case); <audio> and <delay/> tags become messages of
        their own; <image>, <gif> and <video> start a new message that keeps the
        caption; messages are trimmed; empty messages and parts are dropped. In
        SPB persona records a username or @handle leaked into `name` is removed.
        Records no rule changes are written byte-identical; a changed record
        differs only in the changed strings. The report counts modified records
        and changes per rule. Rule format: rules/README.md.

        Examples:
          cat raw.jsonl | soc-validate | soc-scrub --audit audit.jsonl \\
            | soc-dedup > clean.jsonl
          soc-scrub --dry-run --audit changes.jsonl --report r.json raw.jsonl
          soc-scrub --rules my.rules --list-rules

        Reason codes: not_a_chat (neither a chat with chat_parts nor a persona
        with a name), malformed_json, invalid_utf8, too_deep, line_too_long
        (rejected); empty_line (removed).
        Exit status: 0 ok, 1 rejected lines without --rejects (or with --strict),
        2 usage or a bad rule file (file:line: rule 'id': PCRE2 message at
        offset N), 3 I/O error.
        """,
        version: SOCTools.version
    )

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("Add a rule file, or every *.rules file in a folder. A file named like a default one (chat.rules, persona.rules) replaces it; a rule with an id already loaded replaces that rule. Repeatable.", valueName: "path"))
    var rules: [String] = []

    @Flag(help: "Use only the --rules files, not the built-in defaults.")
    var noDefaultRules = false

    @Option(help: ArgumentHelp("Write one JSON line per change to FILE: {file, line, id, part, message, rule, before, after}.", valueName: "file"))
    var audit: String?

    @Flag(help: "Write no records; only the audit and the report.")
    var dryRun = false

    @Flag(help: "Print the rules in effect (file, id, target, flags, description) and exit.")
    var listRules = false

    @Option(help: ArgumentHelp("Persona sets whose compiled rules are kept (least recently used go first).", valueName: "n"))
    var cacheSize: Int = 4096

    @Flag(help: "Print on stderr what compiling the rules cost (patterns compiled at start and per persona set, cache hits, seconds) and the run's wall time. Not in --report: it depends on threads and timing.")
    var timings = false

    func validate() throws {
        guard cacheSize > 0 else { throw ValidationError("--cache-size must be at least 1") }
        if noDefaultRules && rules.isEmpty { throw ValidationError("--no-default-rules needs at least one --rules file") }
    }

    func run() throws {
        let engine: ScrubEngine
        let set: RuleSet
        do throws(RuleFileError) {
            var loaded = noDefaultRules ? RuleSet() : try RuleSet.defaults()
            for path in rules { try loaded.add(path: path) }
            set = loaded
            engine = try ScrubEngine(set, cacheCapacity: cacheSize)
        } catch {
            StandardError.write("soc-scrub: \(error)\n")
            try Self.finish(with: .usage)
            return
        }
        if listRules {
            for file in set.files {
                for rule in file.rules {
                    let flags = rule.flagNames.isEmpty ? "" : " [\(rule.flagNames.joined(separator: " "))]"
                    print("\(file.source):\(rule.line): \(rule.id) (\(rule.target.rawValue))\(flags): \(rule.description)")
                }
            }
            return
        }
        var auditSink: OutputSink?
        if let audit {
            do throws(OutputError) { auditSink = try OutputSink.file(audit) } catch {
                StandardError.write("soc-scrub: \(error)\n")
                try Self.finish(with: .ioError)
            }
        }
        let stage = ScrubStage(engine: engine, audit: auditSink)
        let runner = RecordRunner(
            configuration: RunConfiguration(tool: "soc-scrub", common: common, writesRecords: !dryRun),
            // Two threads decide records unless the audit log must be written in order.
            stage: auditSink == nil ? stage : stage.sequential
        )
        let started = ContinuousClock.now
        let status = runner.run()
        if timings {
            let elapsed = started.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            StandardError.write("soc-scrub: timings: run \(String(format3: seconds)) s; \(stage.compileStatistics.summary)\n")
        }
        try Self.finish(with: status)
    }
}

extension String {
    /// `value` with three decimals (no Foundation).
    init(format3 value: Double) {
        let thousandths = Int((value * 1000).rounded())
        let fraction = String(thousandths % 1000)
        self = "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
