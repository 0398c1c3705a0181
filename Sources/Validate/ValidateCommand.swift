import ArgumentParser
import SOCCore

// Options with fixed values are parsed by argument-parser, which lists the values in --help
// and rejects others as usage errors.
extension RecordKind: ExpressibleByArgument {}
extension SchemaDraft: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

/// `soc-validate`: JSON Schema (2020-12, 2019-09, 7, 6, 4) plus the chat checks a schema cannot say.
@main
struct ValidateCommand: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "soc-validate",
        abstract:
            "Check SOC chats and SPB personas (or any JSONL against a JSON Schema); pass valid records through byte-identical.",
        discussion: """
            Without --schema each record's kind is detected as docs/formats.md says (a chat has chat_parts, chat_id or experience, or with --layout auto messages or conversations; a persona has traits, background, chatting_style or username) and checked against the bundled schema for it (rules/soc-chat.schema.json, openai-chat.schema.json, sharegpt-chat.schema.json by the chat's layout; rules/spb-persona.schema.json); chats then get the checks a schema cannot say. Schema violations are reported as schema_<keyword> (schema_required, schema_type, schema_pattern, schema_additional_properties, ...).

            Other reason codes (each can be turned off with --skip CODE):
            \(ValidateReasons.checks.map { "  \($0.0.rawValue.padding(17))\($0.1)" }.joined(separator: "\n"))

            Diagnostics go to stderr as FILE:LINE: code: $.json.path: message, the first problem of each record; --errors FILE gets every problem as JSONL.

            Examples:
              cat raw.jsonl | soc-validate --rejects bad.jsonl | soc-scrub > clean.jsonl
              soc-validate --check --diagnostics github data/*.jsonl
              soc-validate --personas personas.jsonl --errors errors.jsonl chats.jsonl
              soc-validate --schema my.schema.json --ref-dir https://x.org/s/=schemas a.jsonl
              soc-validate --schema old.schema.json --default-draft 7 a.jsonl   # a schema without $schema

            A schema's draft is the one its $schema names (\(SchemaDraft.supportedList); http or https, with or without a trailing #), else --default-draft (2020-12). The published meta-schemas are built in, so a $ref to one needs no network.

            Exit status: 0 ok, 1 invalid records (without --rejects, with --strict, or with --check), 2 usage or unreadable schema, 3 I/O error.
            """,
        version: SOCTools.version
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var layout: LayoutOption

    @Option(
        help: ArgumentHelp(
            "Validate against this JSON Schema (draft by its $schema) instead of the bundled ones; every JSON value is then a record.",
            valueName: "file"))
    var schema: String?

    @Option(
        help: ArgumentHelp(
            "Treat every record as this kind instead of detecting it: soc (chats, in any --layout) or spb (personas).",
            valueName: "kind"
        ))
    var kind: RecordKind?

    @Option(
        name: .customLong("ref-dir"),
        help: ArgumentHelp(
            "Read $refs starting with PREFIX from folder DIR (repeatable). References never use the network.",
            valueName: "prefix=dir"))
    var refDirs: [String] = []

    @Option(
        help: ArgumentHelp(
            "The draft of a --schema (or resource) without $schema: 2020-12 (default), 2019-09, 7, 6 or 4.",
            valueName: "draft"))
    var defaultDraft: SchemaDraft = .draft2020

    @Flag(
        help: "Assert format (date-time, date, email, uuid, ipv4, ipv6, uri) instead of treating it as an annotation.")
    var strictFormat = false

    @Option(
        help: ArgumentHelp(
            "An SPB persona bank (JSONL): chat personas must be in it and equal to it (unknown_persona, persona_mismatch).",
            valueName: "file"))
    var personas: String?

    @Option(help: ArgumentHelp("Do not report this reason code (repeatable).", valueName: "code"))
    var skip: [String] = []

    @Option(help: ArgumentHelp("The same as --diagnostics (kept for existing scripts).", valueName: "format"))
    var format: DiagnosticFormat?

    @Option(
        help: ArgumentHelp(
            "Write every problem of every rejected record as JSONL {file,line,id,code,path,message} to FILE.",
            valueName: "file"))
    var errors: String?

    @Flag(help: "For CI: write no records, print a table of counts per reason code, exit 1 if any record is invalid.")
    var check = false

    static var diagnosticsAliases: [String] { ["--format"] }

    func validate() throws {
        if let format {
            if let other = common.diagnostics.format, other != format {
                throw ValidationError("--format \(format) and --diagnostics \(other) disagree; give one")
            }
            DiagnosticChannel.shared.select(format, file: common.diagnostics.file)
        }
        let known = Set(ValidateReasons.checks.map(\.0.rawValue))
        for code in skip where !known.contains(code) && !code.hasPrefix("schema_") {
            throw ValidationError("--skip \(code): not a soc-validate reason code (see --help)")
        }
        for mapping in refDirs where SchemaRefDirectory(argument: mapping) == nil {
            throw ValidationError("--ref-dir \(mapping): expected PREFIX=DIR")
        }
    }

    func run() throws {
        var configuration = ValidateStage.Configuration()
        configuration.kind = kind
        configuration.layout = layout.layout
        configuration.skip = Set(skip.map { ReasonCode(rawValue: $0) })
        configuration.strictFormat = strictFormat
        if let schema {
            let options = JSONSchema.Options(
                strictFormat: strictFormat, refDirectories: refDirs.compactMap(SchemaRefDirectory.init(argument:)),
                defaultDraft: defaultDraft)
            configuration.schema = try JSONSchema(file: schema, options: options)
        }
        if let personas { configuration.personas = try PersonaBank(file: personas) }
        let stage: ValidateStage
        do { stage = try ValidateStage(configuration) } catch { throw SchemaError("bundled schema: \(error)") }
        var runConfiguration = RunConfiguration(
            tool: "soc-validate", common: common, writesRecords: !check)
        if check && runConfiguration.rejects == nil {
            // --check decides the exit status itself; the runner's "use --rejects" hint would mislead.
            runConfiguration.rejects = "/dev/null"
        }
        let errorLog = errors.map(ErrorLog.init(path:))
        if let errorLog { runConfiguration.sideOutputs.append(errorLog.output) }
        let runner = RecordRunner(configuration: runConfiguration, stage: stage)
        if let errorLog {
            runner.onReject = { location, first, more in
                for diagnosis in [first] + more { try errorLog.append(diagnosis, at: location, id: diagnosis.recordID) }
            }
        }
        let tally = try runner.run()
        if check {
            DiagnosticChannel.shared.summary(text: CheckSummary.table(tally), lines: CheckSummary.lines(tally))
            if tally.rejected > 0 { throw RunFailure(.dataFailure, "") }
        }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
