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
            Default rules (rules/scrub/*.rules, built in): a speaker label such as "Elias Vance: ", "Elias:Hey", "**Luna:** " or "[quantum_scribe]: " at the start of a message or of a line in it is removed (either persona's full name, first name or username, under full case folding and either Unicode normalization; "Elias:)" and "Elias:P" stay); <audio> and <delay/> tags become messages of their own; <image>, <gif> and <video> start a new message that keeps the caption; an <end/> a split would leave early moves to the end; messages are trimmed; empty messages and parts are dropped, and the parts around a dropped one merged when one sender wrote both. In SPB persona records a username or @handle leaked into `name` is removed. OpenAI (messages) and ShareGPT (conversations) chats (--layout) get the same rules on the text of every non-system message; the label rule looks for the names the record gives its speakers (`name` fields), and a split makes copies of the message, one per piece (docs/scrub.md). Records no rule changes are written byte-identical; a changed record differs only in the changed strings. The report counts modified records and changes per rule. Rule format: rules/README.md.

            Examples:
              cat raw.jsonl | soc-validate | soc-scrub --audit audit.jsonl \\
                | soc-dedup > clean.jsonl
              soc-scrub --dry-run --audit changes.jsonl --report r.json raw.jsonl
              soc-scrub --rules my.rules --list-rules

            Reason codes: not_a_chat (neither a chat nor a persona, as docs/formats.md detects them, or chat_parts not a list of {sender, messages}, or messages / conversations not a list of objects with a role / from string), emptied_by_scrub (the chat would keep fewer than 2 parts or turns), regex_limit (a rule PCRE2 could not finish), malformed_json, invalid_utf8, too_deep, line_too_long (rejected); empty_line (removed).
            Exit status: 0 ok, 1 rejected lines without --rejects (or with --strict), 2 usage or a bad rule file (file:line: rule 'id': PCRE2 message at offset N), 3 I/O error.
            """,
        version: SOCTools.version
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var layout: LayoutOption

    @Option(
        help: ArgumentHelp(
            "Add a rule file, or every *.rules file in a folder. A file named like a default one (chat.rules, persona.rules) replaces it; a rule with an id already loaded replaces that rule. Repeatable.",
            valueName: "path"))
    var rules: [String] = []

    @Flag(help: "Use only the --rules files, not the built-in defaults.")
    var noDefaultRules = false

    @Option(
        help: ArgumentHelp(
            "Write one JSON line per change to FILE: {file, line, id, part, message, rule, before, after}.",
            valueName: "file"))
    var audit: String?

    @Flag(help: "Write no records; only the audit and the report.")
    var dryRun = false

    @Flag(help: "Print the rules in effect (file, id, target, flags, description) and exit.")
    var listRules = false

    @Option(
        help: ArgumentHelp("Persona sets whose compiled rules are kept (least recently used go first).", valueName: "n")
    )
    var cacheSize: Int = 4096

    func validate() throws {
        guard cacheSize > 0 else { throw ValidationError("--cache-size must be at least 1") }
        if noDefaultRules && rules.isEmpty {
            throw ValidationError("--no-default-rules needs at least one --rules file")
        }
    }

    func run() throws {
        var set = noDefaultRules ? RuleSet() : try RuleSet.defaults()
        for path in rules { try set.add(path: path) }
        let engine = try ScrubEngine(set, cacheCapacity: cacheSize)
        if listRules {
            for file in set.files {
                for rule in file.rules {
                    let flags = rule.flagNames.isEmpty ? "" : " [\(rule.flagNames.joined(separator: " "))]"
                    print(
                        "\(file.source):\(rule.line): \(rule.id) (\(rule.target.rawValue))\(flags): \(rule.description)"
                    )
                }
            }
            return
        }
        let runner = RecordRunner(
            configuration: RunConfiguration(tool: "soc-scrub", common: common, writesRecords: !dryRun),
            stage: ScrubStage(engine: engine, audit: audit, layout: layout.layout)
        )
        try runner.run()
    }
}
