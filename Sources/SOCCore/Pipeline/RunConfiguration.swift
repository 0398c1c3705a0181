/// What the runner needs to know besides the stage: where records come from and go.
public struct RunConfiguration {
    public var tool: String
    public var inputs: [InputFile]
    public var output: String?
    public var rejects: String?
    public var removed: String?
    public var report: String?
    public var strict: Bool
    public var maxLineBytes: Int
    public var maxDepth: Int
    public var diagnosticFormat: DiagnosticFormat
    /// When false, records are processed and counted but none is written (`--check`, `--dry-run`).
    public var writesRecords: Bool
    /// Worker threads (`--threads`); 1 decides records on one thread.
    public var threads: Int
    /// `--timings`: a summary of times and stage counters on stderr at the end.
    public var timings: Bool

    public init(tool: String, common: CommonOptions, removed: String? = nil, diagnosticFormat: DiagnosticFormat = .text, writesRecords: Bool = true) {
        self.tool = tool
        inputs = common.inputFiles
        output = common.output
        rejects = common.rejects
        self.removed = removed
        report = common.report
        strict = common.strict
        maxLineBytes = common.maxLineBytes
        maxDepth = common.maxDepth
        self.diagnosticFormat = diagnosticFormat
        self.writesRecords = writesRecords
        threads = common.threads
        timings = common.timings
    }
}
